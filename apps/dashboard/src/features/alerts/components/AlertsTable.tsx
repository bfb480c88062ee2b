import type { AlertItem, AlertSeverity, AlertStatus } from '@seamless-ops/contracts';
import { Fragment, useState } from 'react';
import { DateTime } from '../../../components/DateTime';
import { Badge, type BadgeTone } from '../../../components/StateBadge';
import { ALERT_SEVERITY_LABELS } from '../../../lib/labels';
import { AcknowledgeForm } from './AcknowledgeForm';

const SEVERITY_TONES: Record<AlertSeverity, BadgeTone> = { info: 'info', warning: 'warning', critical: 'danger' };
const STATUS_TONES: Record<AlertStatus, BadgeTone> = { open: 'danger', acknowledged: 'warning', resolved: 'success' };

export function AlertsTable({ alerts, canAcknowledge }: { alerts: readonly AlertItem[]; canAcknowledge: boolean }) {
  const [acknowledging, setAcknowledging] = useState<string | null>(null);
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Alert</th>
            <th scope="col">Scope</th>
            <th scope="col">Opened</th>
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
                  <Badge tone={SEVERITY_TONES[alert.severity]}>{ALERT_SEVERITY_LABELS[alert.severity]}</Badge>
                </td>
                <td>
                  <div className="alert-summary">{alert.summary}</div>
                  <div className="muted small mono">{alert.rule}</div>
                </td>
                <td>{alert.scope}</td>
                <td>
                  <DateTime value={alert.openedAt} />
                </td>
                <td>
                  <Badge tone={STATUS_TONES[alert.status]}>{alert.status}</Badge>
                  {alert.acknowledgedAt && (
                    <div className="small muted">
                      by {alert.acknowledgedBy ?? 'someone'}, <DateTime value={alert.acknowledgedAt} />
                    </div>
                  )}
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
                  <td colSpan={6}>
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
