import type { Cursor, ListRange } from '../ops-query';
import { Conditions, sortKey, type Sql } from '../ops-sql';

// Storages that died without a payment (status expired: a consumed storage never expires), read through the
// partial index storages_expired_idx (expired_at, storage_id) WHERE status = 'expired'.

export interface ExpiredStorageQuery {
  scope: string[] | null;
  /** On expired_at. */
  range: ListRange;
  /** The payment type the consumer had stored (null when no payment data was stored). */
  paymentType?: string;
  cursor?: Cursor;
  limit: number;
}

export interface ExpiredStorageRow {
  storageId: string;
  shopId: string;
  orderIdent: string;
  paymentType: string | null;
  initializedAt: Date;
  expiredAt: Date;
  livedSeconds: string;
  sortAt: string;
}

/** Newest expiry first by (expired_at, storage_id); `limit + 1` rows. */
export function listExpiredStorages(sql: Sql, f: ExpiredStorageQuery): Promise<ExpiredStorageRow[]> {
  const c = new Conditions().add(`s.status = 'expired'`).shops('s.shop_id', f.scope).range('s.expired_at', f.range);
  if (f.paymentType) c.add(`s.payment_type = ${c.param(f.paymentType)}`);
  c.after('s.expired_at', 's.storage_id', f.cursor, 'desc', 'text');
  return sql.query(
    `SELECT s.storage_id AS "storageId", s.shop_id AS "shopId", s.order_ident AS "orderIdent", s.payment_type AS "paymentType",
            s.initialized_at AS "initializedAt", s.expired_at AS "expiredAt",
            greatest(0, floor(extract(epoch FROM s.expired_at - s.initialized_at)))::bigint AS "livedSeconds",
            ${sortKey('s.expired_at')} AS "sortAt"
     FROM storages s ${c.where}
     ORDER BY s.expired_at DESC, s.storage_id DESC
     LIMIT ${c.param(f.limit + 1)}`,
    c.params,
  );
}
