import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PaymentNotification } from '@seamless-ops/contracts';
import { EventStore, type EventTransaction } from '../events/event-store';
import { Metrics } from '../observability/metrics';
import { ShopsService } from '../shops/shops.service';
import { describeTarget, postNotification, type DeliveryResult } from './notification-delivery';
import { backoffDelayMs, NOTIFICATION_OPTIONS, type NotificationOptions } from './notification-options';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signNotification, TIMESTAMP_HEADER } from './notification-signature';

/**
 * The outbox worker: sends the signed outcome notification to the shop, with retries.
 *
 * A row is written by the confirmation path in the same transaction as the state change
 * (`tx.enqueue(PAYMENT_NOTIFICATION, shop.notificationUrl, { ...notification, shopId })`). Each run:
 *
 *   1. claim: one statement takes up to `batchSize` due rows (`status = 'pending' AND next_attempt_at <= now`,
 *      FOR UPDATE SKIP LOCKED) and moves their next_attempt_at to now + lease, then commits. Other workers
 *      (other replicas, or an overlapping run) skip locked rows and no longer see claimed ones as due, so a row
 *      is not sent twice concurrently; a worker that dies mid-send leaves its rows to be retried after the lease.
 *   2. send: outside any transaction, each claimed row is POSTed (signed, 5 s timeout), in parallel.
 *   3. record: one transaction per row updates it (only if it still holds this claim: same attempts and lease)
 *      and appends `notification.sent` or `notification.failed` (dedup key `notification:<id>:<attempt>`).
 *
 * Delivery is at least once: a shop can see the same `X-Seamless-Delivery` again (e.g. when its 2xx arrived
 * after our timeout) and must treat it as idempotent.
 */

/** Outbox kind of the outcome notification. */
export const PAYMENT_NOTIFICATION = 'payment.notification';

/** What the confirmation path enqueues: the body sent to the shop, plus our routing key (not sent). */
export type PaymentNotificationMessage = PaymentNotification & { shopId: string };

export interface ProcessResult {
  claimed: number;
  sent: number;
  /** Failed attempts that will be retried. */
  retried: number;
  /** Notifications given up on this run (status failed). */
  failed: number;
  /** Attempts whose outcome could not be recorded (claim lost or database error); retried after the lease. */
  unrecorded: number;
}

/** A notification that finally failed, as operators see it. */
export interface FailedNotification {
  id: string;
  kind: string;
  shopId: string | null;
  paymentId: string | null;
  orderNumber: string | null;
  /** The URL without credentials or query. */
  target: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  /** When the last attempt was made (from its `notification.failed` event). */
  failedAt: string | null;
}

interface ClaimedRow {
  id: string;
  kind: string;
  target: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/** An outbox row being attempted, as a sender sees it. */
export interface OutboxDelivery {
  id: string;
  kind: string;
  target: string;
  payload: Record<string, unknown>;
  /** 1-based number of this attempt. */
  attempt: number;
}

/**
 * Delivers the outbox rows of a kind other than the payment notification (registered by the feature that
 * enqueues them, e.g. src/alerts). Retries, backoff, giving up and the notification events are the worker's.
 */
export interface OutboxSender {
  send(delivery: OutboxDelivery): Promise<DeliveryResult>;
  /**
   * Called in the transaction that records the attempt (only while the row still held this worker's claim), so
   * the sender's own bookkeeping commits with it.
   */
  recorded?(tx: EventTransaction, delivery: OutboxDelivery, outcome: { ok: boolean; final: boolean; error: string | null; at: Date }): Promise<void>;
}

type AttemptOutcome = 'sent' | 'retried' | 'failed' | 'unrecorded';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');
  private readonly senders = new Map<string, OutboxSender>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventStore,
    private readonly shops: ShopsService,
    private readonly metrics: Metrics,
    @Inject(NOTIFICATION_OPTIONS) private readonly options: NotificationOptions,
  ) {}

  /**
   * Sends every notification due at `now` (batch after batch, at most maxBatchesPerRun). Safe to call from any
   * number of processes at once. `now` is the clock for claiming, leases, backoff and event times; tests pass it.
   * `only.ids` restricts the run to those rows (a command delivering what it just enqueued).
   */
  async processDue(now: Date = new Date(), only: { ids?: readonly string[] } = {}): Promise<ProcessResult> {
    const total: ProcessResult = { claimed: 0, sent: 0, retried: 0, failed: 0, unrecorded: 0 };
    for (let batch = 0; batch < this.options.maxBatchesPerRun; batch++) {
      const lease = new Date(now.getTime() + this.options.leaseMs);
      const rows = await this.claim(now, lease, only.ids);
      total.claimed += rows.length;
      const outcomes = await Promise.all(rows.map((row) => this.attempt(row, now, lease)));
      for (const outcome of outcomes) total[outcome]++;
      if (rows.length < this.options.batchSize) break;
    }
    return total;
  }

  /** Notifications given up on (status failed), newest first; optionally only those of some shops. */
  async failedNotifications(shopIds?: readonly string[], limit = 100): Promise<FailedNotification[]> {
    const rows: {
      id: string;
      kind: string;
      target: string;
      shop_id: string | null;
      payment_id: string | null;
      order_number: string | null;
      attempts: number;
      last_error: string | null;
      created_at: Date;
      failed_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT o.id, o.kind, o.target, o.payload->>'shopId' AS shop_id, o.payload->>'paymentId' AS payment_id,
              o.payload->>'orderNumber' AS order_number, o.attempts, o.last_error, o.created_at,
              e.occurred_at AS failed_at
         FROM outbox o
         LEFT JOIN checkout_events e ON e.dedup_key = 'notification:' || o.id || ':' || o.attempts
        WHERE o.status = 'failed' AND ($1::text[] IS NULL OR o.payload->>'shopId' = ANY($1::text[]))
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT $2`,
      [shopIds ? [...shopIds] : null, Math.max(1, Math.min(limit, 1000))],
    );
    return rows.map((r) => ({
      id: String(r.id),
      kind: r.kind,
      shopId: r.shop_id,
      paymentId: r.payment_id,
      orderNumber: r.order_number,
      target: describeTarget(r.target),
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at.toISOString(),
      failedAt: r.failed_at ? r.failed_at.toISOString() : null,
    }));
  }

  /** Lets the worker send rows of `kind` through `sender` (one sender per kind). */
  registerSender(kind: string, sender: OutboxSender): void {
    if (kind === PAYMENT_NOTIFICATION) throw new Error(`${kind} is sent by the worker itself`);
    this.senders.set(kind, sender);
  }

  private async claim(now: Date, lease: Date, ids?: readonly string[]): Promise<ClaimedRow[]> {
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, rowCount].
    const [rows]: [ClaimedRow[], number] = await this.dataSource.query(
      `UPDATE outbox SET next_attempt_at = $2
        WHERE id IN (SELECT id FROM outbox
                      WHERE status = 'pending' AND next_attempt_at <= $1 AND ($4::bigint[] IS NULL OR id = ANY($4::bigint[]))
                      ORDER BY next_attempt_at, id
                      LIMIT $3
                      FOR UPDATE SKIP LOCKED)
        RETURNING id, kind, target, payload, attempts`,
      [now, lease, this.options.batchSize, ids ? [...ids] : null],
    );
    return rows.map((r) => ({ ...r, id: String(r.id) }));
  }

  private async attempt(row: ClaimedRow, now: Date, lease: Date): Promise<AttemptOutcome> {
    const attempt = row.attempts + 1;
    const sender = this.senders.get(row.kind);
    if (sender) {
      const delivery: OutboxDelivery = { id: row.id, kind: row.kind, target: row.target, payload: row.payload, attempt };
      const result = await sender.send(delivery).catch(
        (error: unknown): DeliveryResult => ({ ok: false, status: null, error: error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200), durationMs: 0 }),
      );
      return this.record(row, attempt, now, lease, result, false, sender);
    }
    if (row.kind !== PAYMENT_NOTIFICATION) {
      return this.record(row, attempt, now, lease, { ok: false, status: null, error: `unknown outbox kind "${row.kind}"`, durationMs: 0 }, true);
    }
    const shopId = typeof row.payload['shopId'] === 'string' ? row.payload['shopId'] : null;
    const shop = shopId ? this.shops.get(shopId) : undefined;
    if (!shop?.notificationSecret) {
      // A configuration problem: retried on the normal schedule, so fixing the configuration lets it through.
      const error = shop ? `shop "${shop.id}" has no notification secret configured` : `unknown shop "${shopId ?? ''}"`;
      return this.record(row, attempt, now, lease, { ok: false, status: null, error, durationMs: 0 }, false);
    }
    // The shop gets the notification itself; our routing key stays here. Never any secret.
    const { shopId: _routing, ...body } = row.payload;
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await postNotification(
      row.target,
      bytes,
      {
        [SIGNATURE_HEADER]: signNotification(shop.notificationSecret, timestamp, bytes),
        [TIMESTAMP_HEADER]: String(timestamp),
        [DELIVERY_HEADER]: row.id,
        'X-Seamless-Attempt': String(attempt),
        'User-Agent': 'seamless-ops-notifications/1',
      },
      this.options.timeoutMs,
    );
    return this.record(row, attempt, now, lease, result, false);
  }

  private async record(row: ClaimedRow, attempt: number, now: Date, lease: Date, result: DeliveryResult, permanent: boolean, sender?: OutboxSender): Promise<AttemptOutcome> {
    const payload = row.payload;
    const shopId = typeof payload['shopId'] === 'string' ? payload['shopId'] : null;
    const paymentId = typeof payload['paymentId'] === 'string' && UUID.test(payload['paymentId']) ? payload['paymentId'] : null;
    const orderNumber = typeof payload['orderNumber'] === 'string' ? payload['orderNumber'] : null;
    const target = describeTarget(row.target);
    const final = !result.ok && (permanent || attempt >= this.options.maxAttempts);
    const nextAttemptAt = result.ok || final ? null : new Date(now.getTime() + backoffDelayMs(this.options, attempt));
    const outcome: AttemptOutcome = result.ok ? 'sent' : final ? 'failed' : 'retried';
    const error = result.error?.slice(0, 500) ?? null;

    let recorded: boolean;
    try {
      recorded = await this.events.transaction(async (tx) => {
        // Only while the row still holds this worker's claim (same attempt count and lease).
        const claim = `id = $1 AND status = 'pending' AND attempts = $2 AND next_attempt_at = $3`;
        const [, count] = (
          result.ok
            ? await tx.query(`UPDATE outbox SET status = 'sent', attempts = $4, sent_at = $5, last_error = NULL WHERE ${claim} RETURNING id`, [
                row.id,
                row.attempts,
                lease,
                attempt,
                new Date(now.getTime() + result.durationMs),
              ])
            : await tx.query(
                `UPDATE outbox SET status = $5, attempts = $4, last_error = $6, next_attempt_at = coalesce($7, next_attempt_at)
                  WHERE ${claim} RETURNING id`,
                [row.id, row.attempts, lease, attempt, final ? 'failed' : 'pending', error, nextAttemptAt],
              )
        ) as unknown as [unknown[], number]; // TypeORM: [rows, rowCount] for UPDATE … RETURNING
        if (count === 0) return false;
        await sender?.recorded?.(tx, { id: row.id, kind: row.kind, target: row.target, payload, attempt }, { ok: result.ok, final, error, at: now });
        await tx.append({
          kind: result.ok ? 'notification.sent' : 'notification.failed',
          source: 'system',
          occurredAt: now,
          shopId,
          paymentId,
          orderNumber,
          payload: {
            outboxId: row.id,
            attempt,
            httpStatus: result.status,
            durationMs: result.durationMs,
            target,
            ...(result.ok ? {} : { error, final, nextAttemptAt: nextAttemptAt?.toISOString() ?? null }),
          },
          dedupKey: `notification:${row.id}:${attempt}`,
        });
        return true;
      });
    } catch (e) {
      this.logger.error(`Notification ${row.id}: could not record attempt ${attempt} (retried after the lease): ${e instanceof Error ? e.message : String(e)}`);
      return 'unrecorded';
    }
    if (!recorded) {
      this.logger.warn(`Notification ${row.id}: attempt ${attempt} finished after its claim was taken over; outcome not recorded`);
      return 'unrecorded';
    }

    this.metrics.notifications.inc({ result: result.ok ? 'sent' : final ? 'failed' : 'retry' });
    this.metrics.notificationSeconds.observe(result.durationMs / 1000, { result: result.ok ? 'sent' : 'error' });
    const what = `Notification ${row.id} (shop ${shopId ?? '?'}) to ${target}, attempt ${attempt}`;
    if (result.ok) this.logger.debug(`${what}: delivered, HTTP ${result.status} in ${result.durationMs} ms`);
    else if (final) this.logger.error(`${what}: ${error}; giving up after ${attempt} attempt(s)`);
    else this.logger.warn(`${what}: ${error}; next attempt at ${nextAttemptAt?.toISOString()}`);
    return outcome;
  }
}
