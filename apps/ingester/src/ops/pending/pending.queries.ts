import type { PendingAgeBucket } from '@seamless-ops/contracts';
import type { Cursor, ListRange } from '../ops-query';
import { Conditions, type Sql } from '../ops-sql';
import { OPEN_PAYMENT_STATES, PAYMENT_COLUMNS, type PaymentRow } from '../payments/payment-row';

// Payments that are not final (INITIATED, PENDING, UNKNOWN), read through the partial index
// payments_open_created_idx (created_at, id) WHERE state IN (…) — small however large payments grows.

export interface PendingFilter {
  scope: string[] | null;
  paymentType?: string;
  /** On the initiation time (created_at); open by default. */
  range: ListRange;
}

/** Upper bounds (seconds, exclusive) of PENDING_AGE_BUCKETS; the last bucket has none. */
export const AGE_BUCKET_BOUNDS: readonly [PendingAgeBucket, number][] = [
  ['<5m', 5 * 60],
  ['5-15m', 15 * 60],
  ['15-60m', 60 * 60],
  ['1-6h', 6 * 3600],
  ['6-24h', 24 * 3600],
];

const AGE_BUCKET_SQL = `CASE ${AGE_BUCKET_BOUNDS.map(([b, s]) => `WHEN age < ${s} THEN '${b}'`).join(' ')} ELSE '>24h' END`;

function conditions(f: PendingFilter): Conditions {
  const c = new Conditions().add(`p.state IN (${OPEN_PAYMENT_STATES.map((s) => `'${s}'`).join(', ')})`).shops('p.shop_id', f.scope).range('p.created_at', f.range);
  if (f.paymentType) c.add(`p.payment_type = ${c.param(f.paymentType)}`);
  return c;
}

/** Oldest first by (created_at, id), with the age at `now`; `limit + 1` rows. */
export function listPending(sql: Sql, f: PendingFilter & { now: Date; cursor?: Cursor; limit: number }): Promise<(PaymentRow & { ageSeconds: string })[]> {
  const c = conditions(f).after('p.created_at', 'p.id', f.cursor, 'asc', 'uuid');
  const now = c.param(f.now);
  return sql.query(
    `SELECT ${PAYMENT_COLUMNS}, greatest(0, floor(extract(epoch FROM ${now}::timestamptz - p.created_at)))::bigint AS "ageSeconds"
     FROM payments p ${c.where}
     ORDER BY p.created_at, p.id
     LIMIT ${c.param(f.limit + 1)}`,
    c.params,
  );
}

/** How many pending payments fall into each age bucket at `now`. */
export function pendingAgeBuckets(sql: Sql, f: PendingFilter & { now: Date }): Promise<{ bucket: PendingAgeBucket; count: string }[]> {
  const c = conditions(f);
  const now = c.param(f.now);
  return sql.query(
    `SELECT ${AGE_BUCKET_SQL} AS bucket, count(*) AS count
     FROM (SELECT extract(epoch FROM ${now}::timestamptz - p.created_at) AS age FROM payments p ${c.where}) aged
     GROUP BY 1`,
    c.params,
  );
}

export async function countPending(sql: Sql, f: PendingFilter): Promise<number> {
  const c = conditions(f);
  const [row] = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM payments p ${c.where}`, c.params);
  return Number(row?.n ?? 0);
}

export function ageBucket(seconds: number): PendingAgeBucket {
  return AGE_BUCKET_BOUNDS.find(([, s]) => seconds < s)?.[0] ?? '>24h';
}
