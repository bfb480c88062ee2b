import type { StorageStatus } from '@seamless-ops/contracts';
import type { EventTransaction } from '../events/event-store';

/**
 * The storages projection (ARCHITECTURE §3, PROTOCOL.md §4.3): a data storage lives 30 minutes after its last
 * access (init, read, JavaScript store) and dies when a payment is initiated with it. Every change here runs
 * inside the transaction that appends the matching event. Statements that change rows are wrapped as
 * `WITH … SELECT`, because TypeORM answers a top-level UPDATE with `[rows, count]` instead of the rows.
 */
export const STORAGE_LIFETIME_MS = 30 * 60 * 1000;

export function expiresAfter(access: Date): Date {
  return new Date(access.getTime() + STORAGE_LIFETIME_MS);
}

export interface StorageRow {
  storageId: string;
  shopId: string;
  orderIdent: string;
  status: StorageStatus;
  paymentType: string | null;
  initializedAt: Date;
  lastAccessAt: Date;
  expiresAt: Date;
  paymentDataStoredAt: Date | null;
  consumedAt: Date | null;
  expiredAt: Date | null;
  paymentId: string | null;
}

const COLUMN_NAMES: Record<keyof StorageRow, string> = {
  storageId: 'storage_id',
  shopId: 'shop_id',
  orderIdent: 'order_ident',
  status: 'status',
  paymentType: 'payment_type',
  initializedAt: 'initialized_at',
  lastAccessAt: 'last_access_at',
  expiresAt: 'expires_at',
  paymentDataStoredAt: 'payment_data_stored_at',
  consumedAt: 'consumed_at',
  expiredAt: 'expired_at',
  paymentId: 'payment_id',
};

/** `alias.column AS "property", …` for every StorageRow property. */
function columns(alias: string): string {
  return Object.entries(COLUMN_NAMES)
    .map(([property, column]) => `${alias}.${column} AS "${property}"`)
    .join(', ');
}

/** Something that runs SQL: an EventTransaction, or the DataSource for reads outside a transaction. */
export interface Sql {
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
}

/** The shop's storage (another shop's is never found); `lock` takes the row lock for the transaction. */
export async function findStorage(sql: Sql, shopId: string, storageId: string, lock = false): Promise<StorageRow | undefined> {
  const rows = await sql.query<StorageRow>(
    `SELECT ${columns('s')} FROM storages s WHERE storage_id = $1 AND shop_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [storageId, shopId],
  );
  return rows[0];
}

/** True when the row says active but its lifetime is over (the sweeper has not come by yet). */
export function isOverdue(row: StorageRow, now: Date): boolean {
  return row.status === 'active' && row.expiresAt.getTime() < now.getTime();
}

/** A new active storage after a successful `dataStorage/init`; false if the gateway handed out a known id. */
export async function insertActiveStorage(
  tx: EventTransaction,
  s: { storageId: string; shopId: string; orderIdent: string; accessedAt: Date },
): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO storages (storage_id, shop_id, order_ident, status, initialized_at, last_access_at, expires_at)
     VALUES ($1, $2, $3, 'active', $4, $4, $5)
     ON CONFLICT (storage_id) DO NOTHING
     RETURNING storage_id`,
    [s.storageId, s.shopId, s.orderIdent, s.accessedAt, expiresAfter(s.accessedAt)],
  );
  return rows.length === 1;
}

/**
 * A read extended the storage's life (PROTOCOL.md §4.3); the first read that shows stored payment data sets
 * payment_data_stored_at (`seenAt`, default the database's now()) and the storage's payment type. Returns the row
 * after the change, and whether payment data was seen for the first time. Only an active storage changes.
 */
export async function touchStorage(
  tx: EventTransaction,
  storageId: string,
  accessedAt: Date,
  storedPaymentType: string | null,
  seenAt?: Date,
): Promise<{ row: StorageRow; firstPaymentData: boolean } | undefined> {
  const rows = await tx.query<StorageRow & { firstPaymentData: boolean }>(
    `WITH before AS (
       SELECT storage_id, payment_data_stored_at FROM storages WHERE storage_id = $1 AND status = 'active' FOR UPDATE
     ), touched AS (
       UPDATE storages s SET
         last_access_at = greatest(s.last_access_at, $2),
         expires_at = greatest(s.expires_at, $3),
         payment_data_stored_at = CASE WHEN $4::text IS NOT NULL AND s.payment_data_stored_at IS NULL THEN coalesce($5::timestamptz, now()) ELSE s.payment_data_stored_at END,
         payment_type = CASE WHEN $4::text IS NOT NULL AND s.payment_data_stored_at IS NULL THEN $4 ELSE s.payment_type END
       FROM before WHERE s.storage_id = before.storage_id
       RETURNING ${columns('s')}, ($4::text IS NOT NULL AND before.payment_data_stored_at IS NULL) AS "firstPaymentData"
     )
     SELECT * FROM touched`,
    [storageId, accessedAt, expiresAfter(accessedAt), storedPaymentType, seenAt ?? null],
  );
  const r = rows[0];
  if (!r) return undefined;
  const { firstPaymentData, ...row } = r;
  return { row, firstPaymentData };
}

/**
 * The payment that consumed an active storage (a successful `frontend/init`) at `at` (default the database's
 * now()); false if it was not active.
 */
export async function consumeStorage(tx: EventTransaction, storageId: string, paymentId: string, at?: Date): Promise<boolean> {
  const rows = await tx.query(
    `WITH consumed AS (
       UPDATE storages SET status = 'consumed', consumed_at = coalesce($3::timestamptz, now()), payment_id = $2
       WHERE storage_id = $1 AND status = 'active' RETURNING storage_id
     )
     SELECT storage_id FROM consumed`,
    [storageId, paymentId, at ?? null],
  );
  return rows.length === 1;
}

/**
 * Marks active storages whose lifetime ended before `now` as expired, at most `limit` of them (rows locked by
 * someone else are skipped, so concurrent callers never expire one twice): per storage a `storage.expired`
 * event (occurred at its expiry, payload.livedSeconds from init to expiry; the dedup key makes a second one
 * impossible) and `storagesExpired` in the funnel hour of its expiry. `storageId` narrows it to one storage.
 * Returns how many were expired.
 */
export async function expireDueStorages(tx: EventTransaction, options: { now: Date; limit: number; storageId?: string }): Promise<number> {
  const groups = await tx.query<{ shopId: string; paymentType: string | null; hour: Date; expired: number }>(
    `WITH due AS (
       SELECT storage_id FROM storages
       WHERE status = 'active' AND expires_at < $1 AND ($3::text IS NULL OR storage_id = $3)
       ORDER BY expires_at
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     ), expired AS (
       UPDATE storages s SET status = 'expired', expired_at = s.expires_at
       FROM due WHERE s.storage_id = due.storage_id
       RETURNING s.storage_id, s.shop_id, s.order_ident, s.payment_type, s.initialized_at, s.last_access_at, s.expires_at
     ), events AS (
       INSERT INTO checkout_events (occurred_at, kind, source, shop_id, storage_id, order_ident, payment_type, payload, dedup_key)
       SELECT expires_at, 'storage.expired', 'system', shop_id, storage_id, order_ident, payment_type,
              jsonb_build_object(
                'livedSeconds', floor(extract(epoch FROM expires_at - initialized_at))::bigint,
                'initializedAt', to_char(initialized_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'lastAccessAt', to_char(last_access_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
              'storage.expired:' || storage_id
       FROM expired
       ON CONFLICT (dedup_key) DO NOTHING
       RETURNING 1
     )
     SELECT shop_id AS "shopId", payment_type AS "paymentType", date_trunc('hour', expires_at) AS hour, count(*)::int AS expired
     FROM expired GROUP BY 1, 2, 3`,
    [options.now, options.limit, options.storageId ?? null],
  );
  let total = 0;
  for (const g of groups) {
    await tx.bumpFunnel(g.hour, g.shopId, g.paymentType, { storagesExpired: g.expired });
    total += g.expired;
  }
  return total;
}
