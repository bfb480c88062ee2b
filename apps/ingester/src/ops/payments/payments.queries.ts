import type { EventKind, EventSource, PaymentState, StorageStatus } from '@seamless-ops/contracts';
import type { Cursor, ListRange } from '../ops-query';
import { Conditions, likePrefix, type Sql } from '../ops-sql';
import { MISMATCH_COLUMNS, type MismatchRow } from '../mismatches/mismatch-row';
import { PAYMENT_COLUMNS, type PaymentRow } from './payment-row';

// The payments list and one payment's detail. Lists read the payments projection only; the detail reads one
// payment's events by the (payment_id, occurred_at) and (storage_id, occurred_at) indexes.

export interface PaymentListQuery {
  /** null: every shop. */
  scope: string[] | null;
  range: ListRange;
  paymentType?: string;
  state?: PaymentState;
  /** orderIdent, orderNumber (exact), paymentId (exact, when a UUID), gatewayReferenceNumber (exact or prefix). */
  q?: string;
  /** An exact paymentId, when q is a UUID. */
  qPaymentId?: string;
  cursor?: Cursor;
  limit: number;
}

/** Newest first by (created_at, id); `limit + 1` rows so the caller knows whether a next page exists. */
export function listPayments(sql: Sql, f: PaymentListQuery): Promise<PaymentRow[]> {
  const c = new Conditions().shops('p.shop_id', f.scope).range('p.created_at', f.range);
  if (f.paymentType) c.add(`p.payment_type = ${c.param(f.paymentType)}`);
  if (f.state) c.add(`p.state = ${c.param(f.state)}`);
  if (f.q) {
    // Each alternative has its own index (BitmapOr): order_ident, order_number, the primary key, and
    // gateway_reference_number with text_pattern_ops for the prefix.
    const q = c.param(f.q);
    const alternatives = [`p.order_ident = ${q}`, `p.order_number = ${q}`, `p.gateway_reference_number LIKE ${c.param(likePrefix(f.q))}`];
    if (f.qPaymentId) alternatives.push(`p.id = ${c.param(f.qPaymentId)}::uuid`);
    c.add(`(${alternatives.join(' OR ')})`);
  }
  c.after('p.created_at', 'p.id', f.cursor, 'desc', 'uuid');
  return sql.query<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments p ${c.where}
     ORDER BY p.created_at DESC, p.id DESC
     LIMIT ${c.param(f.limit + 1)}`,
    c.params,
  );
}

export async function findPayment(sql: Sql, paymentId: string): Promise<PaymentRow | undefined> {
  const rows = await sql.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.id = $1`, [paymentId]);
  return rows[0];
}

export interface TimelineRow {
  id: string;
  occurredAt: Date;
  recordedAt: Date;
  kind: EventKind;
  source: EventSource;
  paymentState: PaymentState | null;
  amount: string | null;
  currency: string | null;
  payload: Record<string, unknown>;
  sourceAddress: string | null;
}

const EVENT_COLUMNS = `
  e.id, e.occurred_at AS "occurredAt", e.recorded_at AS "recordedAt", e.kind, e.source,
  e.payment_state AS "paymentState", e.amount::text AS amount, rtrim(e.currency) AS currency, e.payload,
  host(e.source_address) AS "sourceAddress"`;

/**
 * Every event of the payment, plus the events of its data storage from before the payment existed (init,
 * reads), in (occurred_at, id) order.
 */
export function paymentTimeline(sql: Sql, payment: { paymentId: string; shopId: string; storageId: string | null }): Promise<TimelineRow[]> {
  return sql.query<TimelineRow>(
    `SELECT ${EVENT_COLUMNS} FROM checkout_events e WHERE e.payment_id = $1
     UNION ALL
     SELECT ${EVENT_COLUMNS} FROM checkout_events e
     WHERE $2::text IS NOT NULL AND e.storage_id = $2 AND e.payment_id IS NULL AND e.shop_id = $3
     ORDER BY "occurredAt", id`,
    [payment.paymentId, payment.storageId, payment.shopId],
  );
}

export function paymentMismatches(sql: Sql, paymentId: string): Promise<MismatchRow[]> {
  return sql.query<MismatchRow>(`SELECT ${MISMATCH_COLUMNS} FROM mismatches m WHERE m.payment_id = $1 ORDER BY m.detected_at, m.id`, [paymentId]);
}

export interface StorageRow {
  storageId: string;
  status: StorageStatus;
  initializedAt: Date;
  lastAccessAt: Date;
  expiresAt: Date;
  consumedAt: Date | null;
  expiredAt: Date | null;
}

export async function findStorage(sql: Sql, storageId: string, shopId: string): Promise<StorageRow | undefined> {
  const rows = await sql.query<StorageRow>(
    `SELECT storage_id AS "storageId", status, initialized_at AS "initializedAt", last_access_at AS "lastAccessAt",
            expires_at AS "expiresAt", consumed_at AS "consumedAt", expired_at AS "expiredAt"
     FROM storages WHERE storage_id = $1 AND shop_id = $2`,
    [storageId, shopId],
  );
  return rows[0];
}
