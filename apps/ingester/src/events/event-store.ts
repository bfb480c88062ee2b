import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { EventKind, EventSource, MismatchKind, PaymentState } from '@seamless-ops/contracts';
import { sanitize } from '../confirmation/sanitize';
import { UNSPECIFIED_PAYMENT_TYPE } from '../database/enums';

/**
 * The write side of the data model: every lifecycle event is appended to `checkout_events` and the projections
 * (payments, storages, mismatches, funnel_hourly, outbox) change in the same transaction, so they can never
 * disagree with the events. Plain SQL: this sits on the confirmation path.
 */

export interface NewEvent {
  kind: EventKind;
  source: EventSource;
  /** When it happened; defaults to the database's now(). */
  occurredAt?: Date;
  shopId: string | null;
  paymentId?: string | null;
  storageId?: string | null;
  orderIdent?: string | null;
  orderNumber?: string | null;
  paymentState?: PaymentState | null;
  amount?: string | null;
  currency?: string | null;
  paymentType?: string | null;
  /** Sanitized here once more (card-data guard), whatever the caller did. */
  payload?: Record<string, unknown>;
  /** Identity of a delivery: a second event with the same key is not stored. */
  dedupKey?: string | null;
  sourceAddress?: string | null;
}

export const FUNNEL_COUNTERS = {
  checkoutsStarted: 'checkouts_started',
  storagesInitialized: 'storages_initialized',
  storagesExpired: 'storages_expired',
  paymentDataStored: 'payment_data_stored',
  paymentsInitiated: 'payments_initiated',
  confirmations: 'confirmations',
  successes: 'successes',
  cancels: 'cancels',
  failures: 'failures',
  pendings: 'pendings',
  initFailures: 'init_failures',
  returns: 'returns',
} as const;
export type FunnelCounter = keyof typeof FUNNEL_COUNTERS;

/** Shards of a funnel_hourly row (see the entity): enough to keep concurrent writers off one row lock. */
const FUNNEL_SHARDS = 8;

export interface NewMismatch {
  shopId: string;
  paymentId: string | null;
  kind: MismatchKind;
  reason: string;
  detail: Record<string, unknown>;
  /** When it was detected; defaults to the database's now(). */
  detectedAt?: Date;
}

/** A write that runs only if the event before it was stored: see {@link EventTransaction.appendWith}. */
export type FollowUp = (parameter: (value: unknown) => string) => string;

const INSERT_EVENT = `INSERT INTO checkout_events
         (occurred_at, kind, source, shop_id, payment_id, storage_id, order_ident, order_number, payment_state,
          amount, currency, payment_type, payload, dedup_key, source_address)
       VALUES (coalesce($1, now()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (dedup_key) DO NOTHING`;

/**
 * INSERT_EVENT for one row of the CTE `changed` (none when it is empty); the casts stand in for VALUES' typing. No
 * ON CONFLICT: a duplicate fails the whole statement (see {@link EventStore.appendWithPaymentUpdate}).
 */
const INSERT_EVENT_IF_CHANGED = `INSERT INTO checkout_events
         (occurred_at, kind, source, shop_id, payment_id, storage_id, order_ident, order_number, payment_state,
          amount, currency, payment_type, payload, dedup_key, source_address)
       SELECT coalesce($1::timestamptz, now()), $2::text, $3::text, $4::text, $5::uuid, $6::text, $7::text, $8::text, $9::text,
              $10::numeric, $11::text, $12::text, $13::jsonb, $14::text, $15::inet
       FROM changed`;

/** $1…$15 of INSERT_EVENT. */
function eventParameters(event: NewEvent): unknown[] {
  return [
    event.occurredAt ?? null,
    event.kind,
    event.source,
    event.shopId,
    event.paymentId ?? null,
    event.storageId ?? null,
    event.orderIdent ?? null,
    event.orderNumber ?? null,
    event.paymentState ?? null,
    event.amount ?? null,
    event.currency ?? null,
    event.paymentType ?? null,
    JSON.stringify(sanitize(event.payload ?? {})),
    event.dedupKey ?? null,
    event.sourceAddress ?? null,
  ];
}

/** {@link EventTransaction.bumpFunnel} as a follow-up (see {@link EventTransaction.appendWith}); null when there is nothing to add. */
export function funnelFollowUp(at: Date, shopId: string, paymentType: string | null, counters: Partial<Record<FunnelCounter, number>>): FollowUp | null {
  const entries = Object.entries(counters).filter(([, n]) => n);
  if (!entries.length) return null;
  const columns = entries.map(([k]) => FUNNEL_COUNTERS[k as FunnelCounter]);
  return (p) =>
    `INSERT INTO funnel_hourly (bucket, shop_id, payment_type, shard, ${columns.join(', ')})
     SELECT date_trunc('hour', ${p(at)}::timestamptz), ${p(shopId)}::text, ${p(paymentType || UNSPECIFIED_PAYMENT_TYPE)}::text,
            ${p(Math.floor(Math.random() * FUNNEL_SHARDS))}::smallint, ${entries.map(([, n]) => `${p(n)}::int`).join(', ')}
     FROM stored
     ON CONFLICT (bucket, shop_id, payment_type, shard) DO UPDATE SET
       ${columns.map((c) => `${c} = funnel_hourly.${c} + excluded.${c}`).join(', ')}`;
}

/** {@link EventTransaction.enqueue} as a follow-up. */
export function outboxFollowUp(kind: string, target: string, payload: object): FollowUp {
  return (p) => `INSERT INTO outbox (kind, target, payload) SELECT ${p(kind)}::text, ${p(target)}::text, ${p(JSON.stringify(payload))}::jsonb FROM stored`;
}

export class EventTransaction {
  constructor(readonly runner: QueryRunner) {}

  query<T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return this.runner.query(sql, parameters) as Promise<T[]>;
  }

  /** Appends one event; returns its id, or null when an event with the same dedup key exists already. */
  async append(event: NewEvent): Promise<{ id: string; occurredAt: Date } | null> {
    const rows = await this.query<{ id: string; occurred_at: Date }>(`${INSERT_EVENT} RETURNING id, occurred_at`, eventParameters(event));
    return rows.length ? { id: rows[0].id, occurredAt: rows[0].occurred_at } : null;
  }

  /**
   * Appends one event and, only if it was stored (not a duplicate), runs `followUps` — in the same statement, so
   * the hot path (an accepted confirmation) costs one round trip to the database instead of one per write. Each
   * follow-up is a data-modifying statement that reads the CTE `stored` (columns event_id, event_occurred_at) and
   * writes one row per row of it, e.g. `UPDATE … FROM stored WHERE …` or `INSERT … SELECT … FROM stored`, so it
   * writes nothing for a duplicate. Follow-ups must not touch the same row twice (one statement, one snapshot).
   */
  async appendWith(event: NewEvent, followUps: FollowUp[]): Promise<{ id: string; occurredAt: Date } | null> {
    if (!followUps.length) return this.append(event);
    const parameters = eventParameters(event);
    const p = (value: unknown): string => `$${parameters.push(value)}`;
    const ctes = followUps.map((followUp, i) => `follow_up_${i} AS (${followUp(p)})`);
    const rows = await this.query<{ event_id: string; event_occurred_at: Date }>(
      `WITH stored AS (${INSERT_EVENT} RETURNING id AS event_id, occurred_at AS event_occurred_at), ${ctes.join(', ')}
       SELECT event_id, event_occurred_at FROM stored`,
      parameters,
    );
    return rows.length ? { id: rows[0].event_id, occurredAt: rows[0].event_occurred_at } : null;
  }

  /** Adds to the hourly funnel rollup of the hour containing `at`. */
  async bumpFunnel(at: Date, shopId: string, paymentType: string | null, counters: Partial<Record<FunnelCounter, number>>): Promise<void> {
    const entries = Object.entries(counters).filter(([, n]) => n);
    if (!entries.length) return;
    const columns = entries.map(([k]) => FUNNEL_COUNTERS[k as FunnelCounter]);
    const values = entries.map(([, n]) => n);
    await this.query(
      `INSERT INTO funnel_hourly (bucket, shop_id, payment_type, shard, ${columns.join(', ')})
       VALUES (date_trunc('hour', $1::timestamptz), $2, $3, $4, ${values.map((_, i) => `$${i + 5}`).join(', ')})
       ON CONFLICT (bucket, shop_id, payment_type, shard) DO UPDATE SET
         ${columns.map((c) => `${c} = funnel_hourly.${c} + excluded.${c}`).join(', ')}`,
      [at, shopId, paymentType || UNSPECIFIED_PAYMENT_TYPE, Math.floor(Math.random() * FUNNEL_SHARDS), ...values],
    );
  }

  /**
   * Opens a mismatch (or reopens the payment's row of that kind with the newest reason) and flags the payment.
   */
  async openMismatch(m: NewMismatch): Promise<void> {
    if (m.paymentId) {
      await this.query(
        `INSERT INTO mismatches (payment_id, shop_id, kind, reason, detail, detected_at)
         VALUES ($1, $2, $3, $4, $5, coalesce($6, now()))
         ON CONFLICT (payment_id, kind) DO UPDATE SET
           reason = excluded.reason, detail = excluded.detail, status = 'open', resolved_at = NULL,
           detected_at = CASE WHEN mismatches.status = 'open' THEN mismatches.detected_at ELSE excluded.detected_at END`,
        [m.paymentId, m.shopId, m.kind, m.reason, JSON.stringify(m.detail), m.detectedAt ?? null],
      );
      await this.query(`UPDATE payments SET has_mismatch = true, updated_at = now() WHERE id = $1`, [m.paymentId]);
    } else {
      await this.query(`INSERT INTO mismatches (payment_id, shop_id, kind, reason, detail, detected_at) VALUES (NULL, $1, $2, $3, $4, coalesce($5, now()))`, [
        m.shopId,
        m.kind,
        m.reason,
        JSON.stringify(m.detail),
        m.detectedAt ?? null,
      ]);
    }
  }

  /** Queues a message for the outbox worker; it is sent only if this transaction commits. */
  async enqueue(kind: string, target: string, payload: object): Promise<void> {
    await this.query(`INSERT INTO outbox (kind, target, payload) VALUES ($1, $2, $3)`, [kind, target, JSON.stringify(payload)]);
  }
}

/** The unique index behind events' dedup keys. */
const DEDUP_KEY_CONSTRAINT = 'checkout_events_dedup_key_key';

/** Names of prepared statements by SQL text: each pooled connection parses and plans a statement once. */
const preparedNames = new Map<string, string>();
/** A bound on distinct prepared statements (the confirmation path has a few dozen shapes). */
const MAX_PREPARED = 200;

function preparedName(sql: string): string | undefined {
  let name = preparedNames.get(sql);
  if (!name && preparedNames.size < MAX_PREPARED) preparedNames.set(sql, (name = `event_store_${preparedNames.size + 1}`));
  return name;
}

@Injectable()
export class EventStore {
  constructor(private readonly dataSource: DataSource) {}

  /** TypeORM's pg pool: plain, prepared statements for the confirmation path, on the same connections. */
  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /** One prepared statement on its own (an implicit transaction): for the confirmation path's fast path. */
  async query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const result = await this.pool.query({ name: preparedName(sql), text: sql, values: parameters });
    return result.rows as T[];
  }

  /**
   * The confirmation's fast path, one statement and no explicit transaction: updates the payment with `set` (an SQL
   * SET list) if `unchanged` (an SQL condition on `payments`) still holds and no event has the event's dedup key,
   * then appends `event` and runs `followUps` as in {@link EventTransaction.appendWith}. True when all of it was
   * written; false when nothing was — the payment changed since the caller read it, or the event is a duplicate
   * (the caller then decides under a lock). The payment is updated before the event is inserted, so a duplicate
   * that commits in between makes the insert fail, and with it the whole statement, the update included.
   */
  async appendWithPaymentUpdate(paymentId: string, unchanged: FollowUp, set: FollowUp, event: NewEvent & { dedupKey: string }, followUps: FollowUp[]): Promise<boolean> {
    const parameters = eventParameters(event);
    const p = (value: unknown): string => `$${parameters.push(value)}`;
    const ctes = followUps.map((followUp, i) => `, follow_up_${i} AS (${followUp(p)})`).join('');
    try {
      const [row] = await this.query<{ stored: number }>(
        `WITH changed AS (
           UPDATE payments SET ${set(p)}
           WHERE id = ${p(paymentId)}::uuid AND ${unchanged(p)}
             AND NOT EXISTS (SELECT 1 FROM checkout_events WHERE dedup_key = ${p(event.dedupKey)}::text)
           RETURNING id),
         stored AS (${INSERT_EVENT_IF_CHANGED} RETURNING id AS event_id, occurred_at AS event_occurred_at)${ctes}
         SELECT count(*)::int AS stored FROM stored`,
        parameters,
      );
      return row.stored === 1;
    } catch (error) {
      if ((error as { code?: string; constraint?: string }).constraint === DEDUP_KEY_CONSTRAINT) return false;
      throw error;
    }
  }

  /** Runs `work` in one transaction: everything it wrote commits together or not at all. */
  async transaction<T>(work: (tx: EventTransaction) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      try {
        const result = await work(new EventTransaction(runner));
        await runner.commitTransaction();
        return result;
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.release();
    }
  }

  /** One event on its own (with its funnel counters), e.g. a rejected confirmation or a shop-reported step. */
  append(event: NewEvent): Promise<{ id: string; occurredAt: Date } | null> {
    return this.transaction((tx) => tx.append(event));
  }
}
