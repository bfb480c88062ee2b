import type { PendingPaymentItem } from '@seamless-ops/contracts';
import { Amount } from '../../../components/Amount';
import { DateTime } from '../../../components/DateTime';
import { Badge, StateBadge } from '../../../components/StateBadge';
import { withGlobalFilters } from '../../../lib/filters';
import { formatDuration } from '../../../lib/format';
import { Link, useSearchParams } from '../../../lib/router';
import { useShopName } from '../../../lib/session';

/** Oldest first, as the API sends them. */
export function PendingTable({ payments }: { payments: readonly PendingPaymentItem[] }) {
  const [params] = useSearchParams();
  const shopName = useShopName();
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Pending payments, oldest first">
        <thead>
          <tr>
            <th scope="col">Age</th>
            <th scope="col">Payment</th>
            <th scope="col">Order number</th>
            <th scope="col">Shop</th>
            <th scope="col">Type</th>
            <th scope="col" className="num">Amount</th>
            <th scope="col">State</th>
            <th scope="col">Initiated</th>
          </tr>
        </thead>
        <tbody>
          {payments.map((payment) => (
            <tr key={payment.paymentId}>
              <td>
                <strong className="nowrap">{formatDuration(payment.ageSeconds)}</strong>{' '}
                <Badge tone={payment.ageBucket === '>24h' || payment.ageBucket === '6-24h' ? 'danger' : 'neutral'}>
                  {payment.ageBucket}
                </Badge>
              </td>
              <td>
                <Link to={withGlobalFilters(`/payments/${encodeURIComponent(payment.paymentId)}`, params)} className="mono">
                  {payment.paymentId}
                </Link>
              </td>
              <td className="mono">{payment.orderNumber ?? '—'}</td>
              <td>{shopName(payment.shopId)}</td>
              <td>{payment.paymentType}</td>
              <td className="num">
                <Amount amount={payment.amount} currency={payment.currency} />
              </td>
              <td>
                <StateBadge state={payment.state} />
              </td>
              <td>
                <DateTime value={payment.initiatedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
