import type { ExpiredStorageItem } from '@seamless-ops/contracts';
import { DateTime } from '../../../components/DateTime';
import { formatDuration } from '../../../lib/format';
import { useShopName } from '../../../lib/session';

export function ExpiredStoragesTable({ storages }: { storages: readonly ExpiredStorageItem[] }) {
  const shopName = useShopName();
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Expired</th>
            <th scope="col">Storage</th>
            <th scope="col">Order ident</th>
            <th scope="col">Shop</th>
            <th scope="col">Type</th>
            <th scope="col">Initialized</th>
            <th scope="col" className="num">Lived</th>
          </tr>
        </thead>
        <tbody>
          {storages.map((storage) => (
            <tr key={storage.storageId}>
              <td>
                <DateTime value={storage.expiredAt} />
              </td>
              <td className="mono">{storage.storageId}</td>
              <td className="mono">{storage.orderIdent}</td>
              <td>{shopName(storage.shopId)}</td>
              <td>{storage.paymentType ?? <span className="muted">—</span>}</td>
              <td>
                <DateTime value={storage.initializedAt} />
              </td>
              <td className="num">{formatDuration(storage.livedSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
