import type { EventKind, PaymentState } from '@seamless-ops/contracts';
import type { Cursor, ListRange } from '../ops-query';
import { Conditions, sortKey, type Sql } from '../ops-sql';

// Security events are the `confirmation.rejected` rows of checkout_events (bad or missing fingerprint, malformed
// or unknown state), read by checkout_events_kind_idx (kind, occurred_at) — never a scan of the events.

export const SECURITY_EVENT_KIND: EventKind = 'confirmation.rejected';

export interface SecurityEventFilter {
  /**
   * null: every shop, and the events no shop could be told for (a rejected confirmation for no payment of
   * ours); otherwise these shops' events only.
   */
  scope: string[] | null;
  /** On occurred_at. */
  range: ListRange;
}

export interface SecurityEventRow {
  id: string;
  occurredAt: Date;
  shopId: string | null;
  paymentId: string | null;
  kind: EventKind;
  reason: string | null;
  paymentState: PaymentState | null;
  sourceAddress: string | null;
  sortAt: string;
}

function conditions(f: SecurityEventFilter): Conditions {
  const c = new Conditions();
  // One kind, by equality: the index then yields the rows already in (occurred_at, id) order.
  c.add(`e.kind = ${c.param(SECURITY_EVENT_KIND)}`);
  return c.shops('e.shop_id', f.scope).range('e.occurred_at', f.range);
}

/** Newest first by (occurred_at, id); `limit + 1` rows. */
export function listSecurityEvents(sql: Sql, f: SecurityEventFilter & { cursor?: Cursor; limit: number }): Promise<SecurityEventRow[]> {
  const c = conditions(f).after('e.occurred_at', 'e.id', f.cursor, 'desc', 'bigint');
  return sql.query(
    `SELECT e.id::text AS id, e.occurred_at AS "occurredAt", e.shop_id AS "shopId", e.payment_id AS "paymentId", e.kind,
            e.payload->>'reason' AS reason, e.payment_state AS "paymentState", host(e.source_address) AS "sourceAddress",
            ${sortKey('e.occurred_at')} AS "sortAt"
     FROM checkout_events e ${c.where}
     ORDER BY e.occurred_at DESC, e.id DESC
     LIMIT ${c.param(f.limit + 1)}`,
    c.params,
  );
}

export async function countSecurityEvents(sql: Sql, f: SecurityEventFilter): Promise<number> {
  const c = conditions(f);
  const [row] = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM checkout_events e ${c.where}`, c.params);
  return Number(row?.n ?? 0);
}
