import type { PendingAgeBucket } from '@seamless-ops/contracts';
import type { Cursor, ListRange } from '../ops-query';
import { Conditions, type Sql } from '../ops-sql';
import { OPEN_PAYMENT_STATES, PAYMENT_COLUMNS, type PaymentRow } from '../payments/payment-row';

// Payments that are not final (INITIATED, PENDING, UNKNOWN), read through the partial index payments_open_idx
// (created_at, id) INCLUDE (shop_id, payment_type) WHERE state IN (…): the list by its order, the counts by
// index-only scans. The counts still visit every open payment that matches (see pendingAgeBuckets).

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

/**
 * How many pending payments fall into each age bucket at `now`, by one statement: every bucket but the last lies
 * within the last 24 hours, so those are counted with count(*) FILTER over that short stretch of the index
 * (timestamp comparisons: `age < s` is `created_at > now - s`), and the last one is the total minus them. The
 * total is a count(*) over the open payments that match, an index-only scan whose cost grows with their number.
 */
export async function pendingAgeBuckets(sql: Sql, f: PendingFilter & { now: Date }): Promise<{ bucket: PendingAgeBucket; count: number }[]> {
  const c = conditions(f);
  const now = c.param(f.now);
  const newerThan = (seconds: number) => `p.created_at > ${now}::timestamptz - interval '${seconds} seconds'`;
  const recent = AGE_BUCKET_BOUNDS.map(([, s], i) => `count(*) FILTER (WHERE ${newerThan(s)}) AS b${i}`).join(', ');
  const last = AGE_BUCKET_BOUNDS[AGE_BUCKET_BOUNDS.length - 1][1];
  const [row] = await sql.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM payments p ${c.where}) AS total, ${recent}
     FROM payments p ${c.where} AND ${newerThan(last)}`,
    c.params,
  );
  // b<i>: open payments younger than the upper bound of bucket i; each bucket is the difference of two bounds.
  const younger = AGE_BUCKET_BOUNDS.map((_, i) => Number(row?.[`b${i}`] ?? 0));
  const total = Number(row?.['total'] ?? 0);
  return [
    ...AGE_BUCKET_BOUNDS.map(([bucket], i) => ({ bucket, count: younger[i] - (i > 0 ? younger[i - 1] : 0) })),
    { bucket: '>24h' as const, count: total - younger[younger.length - 1] },
  ];
}

export async function countPending(sql: Sql, f: PendingFilter): Promise<number> {
  const c = conditions(f);
  const [row] = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM payments p ${c.where}`, c.params);
  return Number(row?.n ?? 0);
}

export function ageBucket(seconds: number): PendingAgeBucket {
  return AGE_BUCKET_BOUNDS.find(([, s]) => seconds < s)?.[0] ?? '>24h';
}
