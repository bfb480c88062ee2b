import type { FunnelCounts, FunnelGranularity } from '@seamless-ops/contracts';
import { FUNNEL_COUNTERS, type FunnelCounter } from '../../events/event-store';
import type { HourRange } from '../ops-query';
import { Conditions, count, type Sql } from '../ops-sql';

// The funnel rollup (funnel_hourly: UTC hour × shop × payment type × shard, bumped in each event's
// transaction), summed over shards, shops and payment types, read by its primary key (bucket first).

export interface FunnelFilter {
  scope: string[] | null;
  range: HourRange;
  paymentType?: string;
}

export const FUNNEL_COUNTER_NAMES = Object.keys(FUNNEL_COUNTERS) as FunnelCounter[];

export function emptyCounts(): FunnelCounts {
  return Object.fromEntries(FUNNEL_COUNTER_NAMES.map((k) => [k, 0])) as unknown as FunnelCounts;
}

/**
 * Every bucket of the range in order, empty ones included. Hour buckets are the rollup's; day buckets are UTC
 * days (shop time zones come with reconciliation), and the first and last day hold only the hours inside
 * the range. Each bucket is labelled with its start, which for a partial first day lies before `from`.
 *
 * The rows are grouped by date_bin from a UTC midnight, which is date_trunc(unit, bucket, 'UTC') for hours and
 * days by arithmetic, without looking up the UTC zone for each of the tens of thousands of hourly rows a long
 * range reads (that lookup took a third of the time); the series' first bucket uses date_trunc once.
 */
export async function funnelBuckets(sql: Sql, f: FunnelFilter, granularity: FunnelGranularity): Promise<({ bucket: Date } & FunnelCounts)[]> {
  const c = new Conditions();
  const unit = c.param(granularity);
  const from = c.param(f.range.from);
  const to = c.param(f.range.to);
  c.add(`f.bucket >= ${from}::timestamptz`).add(`f.bucket < ${to}::timestamptz`).shops('f.shop_id', f.scope);
  if (f.paymentType) c.add(`f.payment_type = ${c.param(f.paymentType)}`);
  const sums = FUNNEL_COUNTER_NAMES.map((k) => `sum(f.${FUNNEL_COUNTERS[k]}) AS "${k}"`).join(', ');
  const picks = FUNNEL_COUNTER_NAMES.map((k) => `coalesce(x."${k}", 0) AS "${k}"`).join(', ');
  const rows = await sql.query<{ bucket: Date } & Record<FunnelCounter, string>>(
    `WITH series AS (
       SELECT generate_series(date_trunc(${unit}, ${from}::timestamptz, 'UTC'), ${to}::timestamptz - interval '1 microsecond',
                              ('1 ' || ${unit})::interval) AS bucket
     ), sums AS (
       SELECT date_bin(('1 ' || ${unit})::interval, f.bucket, '2000-01-01T00:00:00Z') AS bucket, ${sums}
       FROM funnel_hourly f ${c.where}
       GROUP BY 1
     )
     SELECT s.bucket, ${picks} FROM series s LEFT JOIN sums x ON x.bucket = s.bucket ORDER BY s.bucket`,
    c.params,
  );
  return rows.map((row) => {
    const counts = emptyCounts();
    for (const k of FUNNEL_COUNTER_NAMES) counts[k] = count(row[k]);
    return { bucket: row.bucket, ...counts };
  });
}

export function addCounts(total: FunnelCounts, add: FunnelCounts): FunnelCounts {
  for (const k of FUNNEL_COUNTER_NAMES) total[k] += add[k];
  return total;
}
