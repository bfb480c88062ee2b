import type { PaymentListItem } from '@seamless-ops/contracts';
import { Amount } from '../../../components/Amount';
import { DateTime } from '../../../components/DateTime';
import { Badge, StateBadge } from '../../../components/StateBadge';
import { withGlobalFilters } from '../../../lib/filters';
import { Link, useSearchParams } from '../../../lib/router';
import { useShopName } from '../../../lib/session';

export function PaymentsTable({ payments }: { payments: readonly PaymentListItem[] }) {
  const [params] = useSearchParams();
  const shopName = useShopName();
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Initiated</th>
            <th scope="col">Payment</th>
            <th scope="col">Order number</th>
            <th scope="col">Shop</th>
            <th scope="col">Type</th>
            <th scope="col" className="num">Amount</th>
            <th scope="col">State</th>
            <th scope="col">Flags</th>
          </tr>
        </thead>
        <tbody>
          {payments.map((payment) => (
            <tr key={payment.paymentId}>
              <td>
                <DateTime value={payment.initiatedAt} />
              </td>
              <td>
                <Link to={withGlobalFilters(`/payments/${encodeURIComponent(payment.paymentId)}`, params)} className="mono">
                  {payment.paymentId}
                </Link>
                {payment.orderIdent && <div className="muted small mono">{payment.orderIdent}</div>}
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
                <div className="flag-list">
                  {payment.hasMismatch && <Badge tone="danger">Mismatch</Badge>}
                  {payment.holdReason && (
                    <Badge tone="warning" title={payment.holdReason}>
                      On hold
                    </Badge>
                  )}
                  {payment.duplicateCount > 0 && (
                    <Badge tone="neutral" title={`${payment.duplicateCount} duplicate confirmation(s)`}>
                      {payment.duplicateCount} dup
                    </Badge>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
