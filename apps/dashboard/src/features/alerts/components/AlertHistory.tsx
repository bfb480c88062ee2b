import { ALERT_SEVERITIES, type AlertEventKind, type AlertHistoryEntry, type AlertSeverity } from '@seamless-ops/contracts';
import type { ReactNode } from 'react';
import { DateTime } from '../../../components/DateTime';
import { Badge } from '../../../components/StateBadge';
import { SeverityBadge } from './AlertBadges';

const KIND_LABELS: Record<AlertEventKind, string> = {
  opened: 'Opened',
  updated: 'Updated',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  notified: 'Notification',
};

const CHANNEL_LABELS: Record<string, string> = { webhook: 'Webhook', email: 'E-mail' };

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function severity(value: unknown): AlertSeverity | null {
  return typeof value === 'string' && (ALERT_SEVERITIES as readonly string[]).includes(value) ? (value as AlertSeverity) : null;
}

/** What one history entry says, by kind (the shapes are documented on AlertHistoryEntry). */
function describe(entry: AlertHistoryEntry): ReactNode {
  const d = entry.detail;
  switch (entry.kind) {
    case 'opened':
    case 'updated': {
      const now = severity(d.severity);
      const before = severity(d.previousSeverity);
      return (
        <>
          {before && now && before !== now && (
            <>
              <SeverityBadge severity={before} /> →{' '}
            </>
          )}
          {now && <SeverityBadge severity={now} />} {text(d.summary)}
        </>
      );
    }
    case 'acknowledged': {
      const comment = text(d.comment);
      return comment ? <blockquote className="ack-comment">{comment}</blockquote> : <span className="muted">No comment.</span>;
    }
    case 'resolved':
      return text(d.reason) ?? 'Resolved.';
    case 'notified': {
      const channel = text(d.channel);
      const ok = d.ok === true;
      return (
        <>
          {(channel && CHANNEL_LABELS[channel]) ?? channel ?? 'Notification'} {text(d.event) && <span className="mono">{text(d.event)}</span>}{' '}
          <Badge tone={ok ? 'success' : 'danger'}>{ok ? 'delivered' : 'failed'}</Badge>
          {typeof d.attempt === 'number' && <span className="muted small"> attempt {d.attempt}</span>}
          {!ok && text(d.error) && <span className="text-danger"> {text(d.error)}</span>}
        </>
      );
    }
    default:
      return <span className="mono small">{JSON.stringify(d)}</span>;
  }
}

/** An alert's history as the API lists it (in the order it was written). */
export function AlertHistory({ history }: { history: readonly AlertHistoryEntry[] }) {
  return (
    <ol className="timeline" aria-label="History">
      {history.map((entry) => (
        <li key={entry.id} className={`timeline-entry${entry.kind === 'notified' && entry.detail.ok !== true ? ' timeline-danger' : ''}`}>
          <div className="timeline-head">
            <DateTime value={entry.occurredAt} />
            <span className="timeline-kind">{KIND_LABELS[entry.kind] ?? entry.kind}</span>
            <span className="muted small">{entry.actor ? `by ${entry.actor}` : 'by the checks'}</span>
          </div>
          <div className="history-detail">{describe(entry)}</div>
        </li>
      ))}
    </ol>
  );
}
