import type { TimelineEvent } from '@seamless-ops/contracts';
import { useId, useState } from 'react';
import { Amount } from '../../../components/Amount';
import { DateTime } from '../../../components/DateTime';
import { Badge, StateBadge } from '../../../components/StateBadge';
import { EVENT_KIND_LABELS, EVENT_SOURCE_LABELS } from '../../../lib/labels';

/** Oldest first; events at the same instant in the order they were recorded. */
export function orderTimeline(events: readonly TimelineEvent[]): TimelineEvent[] {
  return [...events].sort(
    (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || Date.parse(a.recordedAt) - Date.parse(b.recordedAt),
  );
}

function TimelineEntry({ event }: { event: TimelineEvent }) {
  const [open, setOpen] = useState(false);
  const payloadId = useId();
  const hasPayload = Object.keys(event.payload).length > 0;
  const tone = event.kind === 'confirmation.rejected' || event.kind.endsWith('failed') ? 'danger' : undefined;
  return (
    <li className={`timeline-entry${tone ? ` timeline-${tone}` : ''}`}>
      <div className="timeline-head">
        <DateTime value={event.occurredAt} />
        <span className="timeline-kind">{EVENT_KIND_LABELS[event.kind] ?? event.kind}</span>
        <Badge tone="neutral">{EVENT_SOURCE_LABELS[event.source] ?? event.source}</Badge>
        {event.paymentState && <StateBadge state={event.paymentState} />}
        {event.amount !== null && <Amount amount={event.amount} currency={event.currency} />}
        {event.sourceAddress && <span className="muted small mono">from {event.sourceAddress}</span>}
        {hasPayload && (
          <button
            type="button"
            className="button button-ghost button-small timeline-toggle"
            aria-expanded={open}
            aria-controls={payloadId}
            onClick={() => setOpen((value) => !value)}
          >
            {open ? 'Hide payload' : 'Show payload'}
          </button>
        )}
      </div>
      {hasPayload && open && (
        <pre id={payloadId} className="payload" aria-label={`Payload of ${EVENT_KIND_LABELS[event.kind] ?? event.kind}`}>
          {JSON.stringify(event.payload, null, 2)}
        </pre>
      )}
    </li>
  );
}

/** Every event of one payment, with its sanitized payload on demand. */
export function Timeline({ events }: { events: readonly TimelineEvent[] }) {
  return (
    <ol className="timeline" aria-label="Timeline">
      {orderTimeline(events).map((event) => (
        <TimelineEntry key={event.id} event={event} />
      ))}
    </ol>
  );
}
