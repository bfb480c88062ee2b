import type { AlertDetailResponse } from '@seamless-ops/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { DateTime } from '../../../components/DateTime';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { withGlobalFilters } from '../../../lib/filters';
import { Link, useSearchParams } from '../../../lib/router';
import { canAct, useSession } from '../../../lib/session';
import { alertQueries } from '../api/alert-queries';
import { AcknowledgeForm } from '../components/AcknowledgeForm';
import { AlertScope, AlertStatusBadge, RuleName, SeverityBadge } from '../components/AlertBadges';
import { AlertHistory } from '../components/AlertHistory';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field-pair">
      <dt>{label}</dt>
      <dd>{children ?? <span className="muted">—</span>}</dd>
    </div>
  );
}

function figure(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function AlertSummary({ alert }: { alert: AlertDetailResponse }) {
  const { me } = useSession();
  const [acknowledging, setAcknowledging] = useState(false);
  const figures = Object.entries(alert.detail);
  return (
    <section className="card" aria-label="Alert summary">
      <div className="payment-headline">
        <SeverityBadge severity={alert.severity} />
        <AlertStatusBadge status={alert.status} />
        <strong>{alert.summary}</strong>
      </div>
      <dl className="fields">
        <Field label="Check">
          <RuleName rule={alert.rule} />
        </Field>
        <Field label="Scope">
          <AlertScope alert={alert} />
        </Field>
        <Field label="Opened">
          <DateTime value={alert.openedAt} />
        </Field>
        <Field label="Last seen">
          <DateTime value={alert.lastSeenAt} />
        </Field>
        <Field label="Acknowledged">
          {alert.acknowledgedAt && (
            <>
              by {alert.acknowledgedBy ?? 'someone'}, <DateTime value={alert.acknowledgedAt} />
            </>
          )}
        </Field>
        <Field label="Comment">{alert.ackComment}</Field>
        <Field label="Resolved">{alert.resolvedAt && <DateTime value={alert.resolvedAt} />}</Field>
      </dl>
      {figures.length > 0 && (
        <>
          <h3 className="small muted">What the check found at its latest run</h3>
          <dl className="fields" aria-label="Figures">
            {figures.map(([key, value]) => (
              <Field key={key} label={key}>
                <span className="mono">{figure(value)}</span>
              </Field>
            ))}
          </dl>
        </>
      )}
      {canAct(me.operator.role) && alert.status === 'open' && (
        <div className="ack-area">
          {acknowledging ? (
            <AcknowledgeForm alertId={alert.id} onDone={() => setAcknowledging(false)} />
          ) : (
            <button type="button" className="button" onClick={() => setAcknowledging(true)}>
              Acknowledge
            </button>
          )}
        </div>
      )}
    </section>
  );
}

/** One alert: what it is about, its figures, acknowledging it, and its history. */
export function AlertDetailPage({ alertId }: { alertId: string }) {
  const [params] = useSearchParams();
  const alert = useQuery(alertQueries.detail(alertId));
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={withGlobalFilters('/alerts', params)}>Alerts</Link> <span aria-hidden="true">/</span>{' '}
        <span className="mono">#{alertId}</span>
      </nav>
      <PageHeader title={`Alert #${alertId}`} queries={[alert]} />
      <QueryState query={alert} what="the alert">
        {(data) => (
          <>
            <AlertSummary alert={data} />
            <section className="card" aria-labelledby="alert-history-heading">
              <h2 id="alert-history-heading">History</h2>
              {data.history.length === 0 ? <p className="muted">No history recorded.</p> : <AlertHistory history={data.history} />}
            </section>
          </>
        )}
      </QueryState>
    </>
  );
}
