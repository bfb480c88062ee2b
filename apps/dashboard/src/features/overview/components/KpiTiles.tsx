import type { OverviewResponse } from '@seamless-ops/contracts';
import type { ReactNode } from 'react';
import { withGlobalFilters } from '../../../lib/filters';
import { formatCount, formatPercent } from '../../../lib/format';
import { Link, useSearchParams } from '../../../lib/router';

function Tile({ label, value, detail, to, tone }: { label: string; value: string; detail?: ReactNode; to?: string; tone?: 'warning' | 'danger' }) {
  const body = (
    <>
      <dt className="kpi-label">{label}</dt>
      <dd className="kpi-value">{value}</dd>
      {detail && <dd className="kpi-detail">{detail}</dd>}
    </>
  );
  return (
    <div className={`kpi${tone ? ` kpi-${tone}` : ''}`}>
      {to ? (
        <Link to={to} className="kpi-link">
          <dl>{body}</dl>
        </Link>
      ) : (
        <dl>{body}</dl>
      )}
    </div>
  );
}

export function KpiTiles({ overview }: { overview: OverviewResponse }) {
  const [params] = useSearchParams();
  const link = (path: string) => withGlobalFilters(path, params);
  return (
    <section className="kpis" aria-label="Key figures">
      <Tile
        label="Conversion"
        value={formatPercent(overview.conversion)}
        detail={`${formatCount(overview.successes)} successful payments`}
      />
      <Tile
        label="Success rate"
        value={formatPercent(overview.successRate)}
        detail={`of final outcomes · ${formatCount(overview.paymentsInitiated)} initiated`}
      />
      <Tile
        label="Pending"
        value={formatCount(overview.pending)}
        detail="not final yet"
        to={link('/pending')}
        tone={overview.pending > 0 ? 'warning' : undefined}
      />
      <Tile
        label="Open mismatches"
        value={formatCount(overview.openMismatches)}
        detail="outcomes that do not add up"
        to={link('/mismatches')}
        tone={overview.openMismatches > 0 ? 'danger' : undefined}
      />
      <Tile
        label="Open alerts"
        value={formatCount(overview.openAlerts)}
        detail="from scheduled checks"
        to={link('/alerts')}
        tone={overview.openAlerts > 0 ? 'danger' : undefined}
      />
      <Tile
        label="Security events"
        value={formatCount(overview.securityEvents)}
        detail="rejected confirmations"
        to={link('/security-events')}
        tone={overview.securityEvents > 0 ? 'warning' : undefined}
      />
    </section>
  );
}
