import type { DailyTotalsRow, DailyTotalsTotal } from '@seamless-ops/contracts';
import { Conditions } from '../ops/ops-sql';

/**
 * When a payment reached its current state, the instant that places it on a day: `final_at` for SUCCESS, CANCEL
 * and FAILURE (a final state never changes again, so a payment never moves to another day once final), the
 * initiation for the states that are not final (INITIATED, PENDING, INIT_FAILED, UNKNOWN), each falling back to
 * the nearest timestamp we have. The same expression defines reporting.payments.reached_at (migration
 * AddReconciliation), so the API and the BI views give the same numbers.
 */
export const REACHED_AT_SQL = `CASE WHEN p.state IN ('SUCCESS', 'CANCEL', 'FAILURE')
         THEN coalesce(p.final_at, p.first_confirmation_at, p.initiated_at, p.created_at)
         ELSE coalesce(p.initiated_at, p.created_at) END`;

export interface DailyTotalsQuery {
  /** Local days, both inclusive. */
  from: string;
  to: string;
  /** null: every shop. */
  scope: string[] | null;
  currency?: string;
  paymentType?: string;
  /** Every configured shop's zone; a shop not listed counts in UTC. */
  zones: { shopId: string; timeZone: string }[];
}

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * One statement: the rows of the daily totals, ordered; with `totals`, also the sums per currency and state
 * (GROUPING SETS: one snapshot, so the totals always add up to the rows), marked `total_row`.
 *
 * The time filter is a coarse UTC window one day wider on each side (any zone's local day lies inside it), then
 * the exact local-day filter on the computed day.
 */
export function dailyTotalsSql(q: DailyTotalsQuery, withTotals: boolean): { text: string; params: unknown[] } {
  const c = new Conditions();
  const ids = c.param(q.zones.map((z) => z.shopId));
  const zones = c.param(q.zones.map((z) => z.timeZone));
  const from = c.param(q.from);
  const to = c.param(q.to);
  c.add(`r.reached_at >= (${from}::date - 1)::timestamp AT TIME ZONE 'UTC'`);
  c.add(`r.reached_at < (${to}::date + 2)::timestamp AT TIME ZONE 'UTC'`);
  c.shops('p.shop_id', q.scope);
  if (q.currency) c.add(`p.currency = ${c.param(q.currency)}`);
  if (q.paymentType) c.add(`p.payment_type = ${c.param(q.paymentType)}`);
  const rowKey = 'local_day, time_zone, shop_id, currency, payment_type, state';
  const text = `
    WITH zones AS (SELECT * FROM unnest(${ids}::text[], ${zones}::text[]) AS z(shop_id, time_zone)),
    dated AS (
      SELECT p.shop_id, coalesce(z.time_zone, 'UTC') AS time_zone, p.currency::text AS currency, p.payment_type, p.state, p.amount,
             (r.reached_at AT TIME ZONE coalesce(z.time_zone, 'UTC'))::date AS local_day
      FROM payments p
      CROSS JOIN LATERAL (SELECT ${REACHED_AT_SQL} AS reached_at) r
      LEFT JOIN zones z ON z.shop_id = p.shop_id
      ${c.where}
    )
    SELECT to_char(local_day, 'YYYY-MM-DD') AS "localDay", time_zone AS "timeZone",
           to_char((local_day::timestamp AT TIME ZONE time_zone) AT TIME ZONE 'UTC', ${ISO_UTC}) AS "dayStartUtc",
           to_char(((local_day + 1)::timestamp AT TIME ZONE time_zone) AT TIME ZONE 'UTC', ${ISO_UTC}) AS "dayEndUtc",
           shop_id AS "shopId", currency, payment_type AS "paymentType", state,
           count(*)::int AS count, sum(amount)::text AS sum
           ${withTotals ? ', GROUPING(local_day) = 1 AS "totalRow"' : ''}
    FROM dated
    WHERE local_day BETWEEN ${from}::date AND ${to}::date
    GROUP BY ${withTotals ? `GROUPING SETS ((${rowKey}), (currency, state))` : rowKey}
    ORDER BY ${withTotals ? 'GROUPING(local_day), ' : ''}local_day, shop_id COLLATE "C", currency COLLATE "C", payment_type COLLATE "C", state COLLATE "C"`;
  return { text, params: c.params };
}

export type DailyTotalsSqlRow = DailyTotalsRow & { totalRow?: boolean };

export function splitTotals(rows: DailyTotalsSqlRow[]): { rows: DailyTotalsRow[]; totals: DailyTotalsTotal[] } {
  const out: DailyTotalsRow[] = [];
  const totals: DailyTotalsTotal[] = [];
  for (const { totalRow, ...row } of rows) {
    if (totalRow) totals.push({ currency: row.currency, state: row.state, count: row.count, sum: row.sum });
    else out.push(row);
  }
  return { rows: out, totals };
}
