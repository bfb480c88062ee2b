import type { DailyTotalsTotal } from '@seamless-ops/contracts';
import { Amount } from '../../../components/Amount';
import { StateBadge } from '../../../components/StateBadge';
import { formatCount } from '../../../lib/format';

/** The range's totals per currency and state, as the API summed them. */
export function TotalsTable({ totals }: { totals: readonly DailyTotalsTotal[] }) {
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label="Totals per currency and state">
        <thead>
          <tr>
            <th scope="col">Currency</th>
            <th scope="col">State</th>
            <th scope="col" className="num">
              Count
            </th>
            <th scope="col" className="num">
              Sum
            </th>
          </tr>
        </thead>
        <tbody>
          {totals.map((total, index) => {
            const firstOfCurrency = index === 0 || totals[index - 1].currency !== total.currency;
            return (
              <tr key={`${total.currency}|${total.state}`} className={firstOfCurrency && index > 0 ? 'group-start' : undefined}>
                <td className="mono">{total.currency}</td>
                <td>
                  <StateBadge state={total.state} />
                </td>
                <td className="num">{formatCount(total.count)}</td>
                <td className="num">
                  <Amount amount={total.sum} currency={total.currency} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
