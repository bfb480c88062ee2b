import type { DailyTotalsRow, PaymentState } from '@seamless-ops/contracts';
import { Amount } from '../../../components/Amount';
import { StateBadge } from '../../../components/StateBadge';
import { sumDecimals } from '../../../lib/decimal';
import { formatCount, formatUtc } from '../../../lib/format';
import { useShopName } from '../../../lib/session';

interface DayGroup {
  localDay: string;
  rows: DailyTotalsRow[];
  /** One per currency and state, in the order the API sorts rows (currency, then state). */
  subtotals: { currency: string; state: PaymentState; count: number; sum: string }[];
  /** Each shop time zone seen on the day with that day's bounds in UTC (shops in different zones differ). */
  zones: { timeZone: string; dayStartUtc: string; dayEndUtc: string }[];
}

/**
 * Rows (ordered by local day, shop, currency, payment type, state) grouped by local day, each day with its
 * subtotals per currency and state. The subtotals add the day's decimal strings exactly (never as floats);
 * amounts of different currencies, and of different states, are never added together.
 */
export function groupByDay(rows: readonly DailyTotalsRow[]): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const row of rows) {
    let group = groups.at(-1);
    if (!group || group.localDay !== row.localDay) {
      group = { localDay: row.localDay, rows: [], subtotals: [], zones: [] };
      groups.push(group);
    }
    group.rows.push(row);
    if (!group.zones.some((zone) => zone.timeZone === row.timeZone)) {
      group.zones.push({ timeZone: row.timeZone, dayStartUtc: row.dayStartUtc, dayEndUtc: row.dayEndUtc });
    }
  }
  for (const group of groups) {
    const keys = [...new Set(group.rows.map((row) => `${row.currency}|${row.state}`))].sort();
    group.subtotals = keys.map((key) => {
      const [currency, state] = key.split('|') as [string, PaymentState];
      const matching = group.rows.filter((row) => row.currency === currency && row.state === state);
      return {
        currency,
        state,
        count: matching.reduce((total, row) => total + row.count, 0),
        sum: sumDecimals(matching.map((row) => row.sum)),
      };
    });
  }
  return groups;
}

function dayHours(zone: { dayStartUtc: string; dayEndUtc: string }): number {
  return Math.round((Date.parse(zone.dayEndUtc) - Date.parse(zone.dayStartUtc)) / 3_600_000);
}

function LocalDay({ group }: { group: DayGroup }) {
  const title = group.zones.map((zone) => `${zone.timeZone}: ${formatUtc(zone.dayStartUtc)} → ${formatUtc(zone.dayEndUtc)}`).join('\n');
  const odd = group.zones.filter((zone) => dayHours(zone) !== 24);
  return (
    <>
      <time className="local-day" dateTime={group.localDay} title={title}>
        {group.localDay}
      </time>{' '}
      <span className="muted small">
        {group.zones.map((zone) => zone.timeZone).join(', ')}
        {odd.map((zone) => ` · ${dayHours(zone)}-hour day${group.zones.length > 1 ? ` in ${zone.timeZone}` : ''}`).join('')}
      </span>
    </>
  );
}

/** The daily table: one group per local day, its rows, then its subtotals per currency and state. */
export function DailyTotalsTable({ rows }: { rows: readonly DailyTotalsRow[] }) {
  const shopName = useShopName();
  const groups = groupByDay(rows);
  return (
    <div className="table-wrap">
      <table className="table reconciliation-table" aria-label="Daily totals">
        <thead>
          <tr>
            <th scope="col">Shop</th>
            <th scope="col">Currency</th>
            <th scope="col">Payment type</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              Count
            </th>
            <th scope="col" className="num">
              Sum
            </th>
          </tr>
        </thead>
        {groups.map((group) => (
          <tbody key={group.localDay} aria-label={`Day ${group.localDay}`}>
            <tr className="day-head">
              <th scope="rowgroup" colSpan={6}>
                <LocalDay group={group} />
              </th>
            </tr>
            {group.rows.map((row) => (
              <tr key={`${row.shopId}|${row.currency}|${row.paymentType}|${row.state}`}>
                <td>{shopName(row.shopId)}</td>
                <td className="mono">{row.currency}</td>
                <td>{row.paymentType}</td>
                <td>
                  <StateBadge state={row.state} />
                </td>
                <td className="num">{formatCount(row.count)}</td>
                <td className="num">
                  <Amount amount={row.sum} currency={row.currency} />
                </td>
              </tr>
            ))}
            {group.subtotals.map((subtotal) => (
              <tr key={`subtotal|${subtotal.currency}|${subtotal.state}`} className="subtotal">
                <th scope="row">Day subtotal</th>
                <td className="mono">{subtotal.currency}</td>
                <td className="muted">all types</td>
                <td>
                  <StateBadge state={subtotal.state} />
                </td>
                <td className="num">{formatCount(subtotal.count)}</td>
                <td className="num">
                  <Amount amount={subtotal.sum} currency={subtotal.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
