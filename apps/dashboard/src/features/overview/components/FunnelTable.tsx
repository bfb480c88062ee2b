import type { FunnelResponse } from '@seamless-ops/contracts';
import { formatCount, formatPercent, formatShare } from '../../../lib/format';
import { DROP_OFFS, funnelRows } from './funnel-steps';

/** The funnel's numbers: each step with its conversion. */
export function FunnelTable({ funnel }: { funnel: FunnelResponse }) {
  const rows = funnelRows(funnel.totals);
  return (
    <table className="table table-compact" aria-label="Funnel steps">
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col" className="num">Count</th>
            <th scope="col" className="num">Of previous</th>
            <th scope="col" className="num">Of entry</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.step}>
              <th scope="row">{row.label}</th>
              <td className="num">{formatCount(row.count)}</td>
              <td className="num">{formatPercent(row.ofPrevious)}</td>
              <td className="num">{formatPercent(row.ofEntry)}</td>
            </tr>
          ))}
        </tbody>
      </table>
  );
}

/** Where checkouts left the funnel, each with its share of the funnel's entry. */
export function DropOffs({ funnel }: { funnel: FunnelResponse }) {
  const entry = funnel.totals.checkoutsStarted > 0 ? funnel.totals.checkoutsStarted : funnel.totals.paymentsInitiated;
  return (
    <div className="dropoffs">
      <h3 id="dropoffs-heading">Drop-offs</h3>
      <ul aria-labelledby="dropoffs-heading">
        {DROP_OFFS.map((drop) => (
          <li key={drop.key} title={drop.explanation}>
            <span className="dropoff-label">{drop.label}</span>
            <span className="dropoff-count">{formatCount(funnel.dropOffs[drop.key])}</span>
            <span className="dropoff-share">{formatShare(funnel.dropOffs[drop.key], entry)}</span>
          </li>
        ))}
      </ul>
      <p className="funnel-summary">
        Conversion <strong>{formatPercent(funnel.conversion)}</strong> · success rate <strong>{formatPercent(funnel.successRate)}</strong>
      </p>
    </div>
  );
}
