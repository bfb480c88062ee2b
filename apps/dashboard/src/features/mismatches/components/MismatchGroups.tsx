import { MISMATCH_KINDS, type MismatchItem, type MismatchKind } from '@seamless-ops/contracts';
import { DateTime } from '../../../components/DateTime';
import { Badge } from '../../../components/StateBadge';
import { withGlobalFilters } from '../../../lib/filters';
import { MISMATCH_KIND_LABELS } from '../../../lib/labels';
import { Link, useSearchParams } from '../../../lib/router';
import { useShopName } from '../../../lib/session';

/** Mismatches grouped by kind (in the contract's order), the reason inline on each. */
export function groupByKind(items: readonly MismatchItem[]): { kind: MismatchKind; items: MismatchItem[] }[] {
  return MISMATCH_KINDS.map((kind) => ({ kind, items: items.filter((item) => item.kind === kind) })).filter(
    (group) => group.items.length > 0,
  );
}

export function MismatchGroups({ items }: { items: readonly MismatchItem[] }) {
  const [params] = useSearchParams();
  const shopName = useShopName();
  return (
    <>
      {groupByKind(items).map((group) => (
        <section key={group.kind} className="card mismatch-group" aria-labelledby={`mismatch-${group.kind}`}>
          <h2 id={`mismatch-${group.kind}`}>
            {MISMATCH_KIND_LABELS[group.kind]} <span className="count">{group.items.length}</span>
          </h2>
          <div className="table-wrap">
            <table className="table table-compact">
              <thead>
                <tr>
                  <th scope="col">Reason</th>
                  <th scope="col">Payment</th>
                  <th scope="col">Shop</th>
                  <th scope="col">Detected</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {group.items.map((item) => (
                  <tr key={item.id}>
                    <td className="reason">{item.reason}</td>
                    <td>
                      {item.paymentId ? (
                        <Link to={withGlobalFilters(`/payments/${encodeURIComponent(item.paymentId)}`, params)} className="mono">
                          {item.paymentId}
                        </Link>
                      ) : (
                        <span className="muted">no payment of ours</span>
                      )}
                    </td>
                    <td>{shopName(item.shopId)}</td>
                    <td>
                      <DateTime value={item.detectedAt} />
                    </td>
                    <td>
                      <Badge tone={item.status === 'open' ? 'danger' : 'neutral'}>{item.status}</Badge>
                      {item.resolvedAt && (
                        <div className="small muted">
                          <DateTime value={item.resolvedAt} />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
