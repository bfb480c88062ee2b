import type { AlertItem } from '@seamless-ops/contracts';
import { Fragment, useState } from 'react';
import { DateTime } from '../../../components/DateTime';
import { withGlobalFilters } from '../../../lib/filters';
import { Link, useSearchParams } from '../../../lib/router';
import { AcknowledgeForm } from './AcknowledgeForm';
import { AlertScope, AlertStatusBadge, RuleName, SeverityBadge } from './AlertBadges';

/** Who acknowledged, when, and what they wrote; when it resolved. */
export function AlertStatusNote({ alert }: { alert: AlertItem }) {
  return (
    <>
      {alert.acknowledgedAt && (
        <div className="small muted">
          by {alert.acknowledgedBy ?? 'someone'}, <DateTime value={alert.acknowledgedAt} />
        </div>
      )}
      {alert.ackComment && <blockquote className="ack-comment">{alert.ackComment}</blockquote>}
      {alert.resolvedAt && (
        <div className="small muted">
          resolved <DateTime value={alert.resolvedAt} />
        </div>
      )}
    </>
  );
}

export function AlertsTable({ alerts, canAcknowledge }: { alerts: readonly AlertItem[]; canAcknowledge: boolean }) {
  const [acknowledging, setAcknowledging] = useState<string | null>(null);
  const [params] = useSearchParams();
  const columns = canAcknowledge ? 6 : 5;
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Alert</th>
            <th scope="col">Scope</th>
            <th scope="col">Opened / last seen</th>
            <th scope="col">Status</th>
            {canAcknowledge && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <Fragment key={alert.id}>
              <tr>
                <td>
                  <SeverityBadge severity={alert.severity} />
                </td>
                <td>
                  <Link to={withGlobalFilters(`/alerts/${encodeURIComponent(alert.id)}`, params)} className="alert-summary">
                    {alert.summary}
                  </Link>
                  <div className="muted small">
                    <RuleName rule={alert.rule} />
                  </div>
                </td>
                <td>
                  <AlertScope alert={alert} />
                </td>
                <td>
                  <DateTime value={alert.openedAt} />
                  <div className="small muted">
                    last seen <DateTime value={alert.lastSeenAt} />
                  </div>
                </td>
                <td>
                  <AlertStatusBadge status={alert.status} />
                  <AlertStatusNote alert={alert} />
                </td>
                {canAcknowledge && (
                  <td className="actions">
                    {alert.status === 'open' && acknowledging !== alert.id && (
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setAcknowledging(alert.id)}
                        aria-label={`Acknowledge: ${alert.summary}`}
                      >
                        Acknowledge
                      </button>
                    )}
                  </td>
                )}
              </tr>
              {acknowledging === alert.id && (
                <tr className="row-form">
                  <td colSpan={columns}>
                    <AcknowledgeForm alertId={alert.id} onDone={() => setAcknowledging(null)} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
