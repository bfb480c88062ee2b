import type { FunnelResponse } from '@seamless-ops/contracts';
import { formatCount, formatPercent, formatShare } from '../../../lib/format';
import { DROP_OFFS, funnelRows } from './funnel-steps';

/** The funnel's numbers: each step with its conversion, then the named drop-offs. */
export function FunnelTable({ funnel }: { funnel: FunnelResponse }) {
  const rows = funnelRows(funnel.totals);
  const entry = rows[0].count > 0 ? rows[0].count : funnel.totals.paymentsInitiated;
  return (
    <div className="funnel-numbers">
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
      <div className="dropoffs">
        <h3>Drop-offs</h3>
        <ul aria-label="Drop-offs">
          {DROP_OFFS.map((drop) => (
            <li key={drop.key}>
              <span className="dropoff-label" title={drop.explanation}>
                {drop.label}
              </span>
              <span className="dropoff-count">{formatCount(funnel.dropOffs[drop.key])}</span>
              <span className="dropoff-share muted">{formatShare(funnel.dropOffs[drop.key], entry)}</span>
            </li>
          ))}
        </ul>
        <p className="funnel-summary">
          Conversion <strong>{formatPercent(funnel.conversion)}</strong> · success rate{' '}
          <strong>{formatPercent(funnel.successRate)}</strong>
        </p>
      </div>
    </div>
  );
}
