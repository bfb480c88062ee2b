import type { SecurityEventItem } from '@seamless-ops/contracts';
import { DateTime } from '../../../components/DateTime';
import { Badge, StateBadge } from '../../../components/StateBadge';
import { withGlobalFilters } from '../../../lib/filters';
import { EVENT_KIND_LABELS } from '../../../lib/labels';
import { Link, useSearchParams } from '../../../lib/router';
import { useShopName } from '../../../lib/session';

export function SecurityEventsTable({ events }: { events: readonly SecurityEventItem[] }) {
  const [params] = useSearchParams();
  const shopName = useShopName();
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Event</th>
            <th scope="col">Reason</th>
            <th scope="col">Claimed state</th>
            <th scope="col">Shop</th>
            <th scope="col">Payment</th>
            <th scope="col">Source address</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => (
            <tr key={event.id}>
              <td>
                <DateTime value={event.occurredAt} />
              </td>
              <td>
                <Badge tone="danger">{EVENT_KIND_LABELS[event.kind] ?? event.kind}</Badge>
              </td>
              <td className="reason">{event.reason}</td>
              <td>{event.paymentState ? <StateBadge state={event.paymentState} /> : <span className="muted">—</span>}</td>
              <td>{shopName(event.shopId)}</td>
              <td>
                {event.paymentId ? (
                  <Link to={withGlobalFilters(`/payments/${encodeURIComponent(event.paymentId)}`, params)} className="mono">
                    {event.paymentId}
                  </Link>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td className="mono">{event.sourceAddress ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
