import type { MismatchItem, MismatchKind } from '@seamless-ops/contracts';
import { iso, isoRequired, sortKey } from '../ops-sql';

export interface MismatchRow {
  id: string;
  paymentId: string | null;
  shopId: string;
  kind: MismatchKind;
  reason: string;
  detail: Record<string, unknown>;
  status: 'open' | 'resolved';
  detectedAt: Date;
  resolvedAt: Date | null;
  sortAt: string;
}

/** Columns of `mismatches m`, plus the keyset sort key. */
export const MISMATCH_COLUMNS = `
  m.id::text AS id, m.payment_id AS "paymentId", m.shop_id AS "shopId", m.kind, m.reason, m.detail, m.status,
  m.detected_at AS "detectedAt", m.resolved_at AS "resolvedAt",
  ${sortKey('m.detected_at')} AS "sortAt"`;

export function toMismatchItem(r: MismatchRow): MismatchItem {
  return {
    id: r.id,
    paymentId: r.paymentId,
    shopId: r.shopId,
    kind: r.kind,
    reason: r.reason,
    detail: r.detail ?? {},
    status: r.status,
    detectedAt: isoRequired(r.detectedAt),
    resolvedAt: iso(r.resolvedAt),
  };
}
