import type { PaymentListItem, PaymentState, ReturnOutcome } from '@seamless-ops/contracts';
import { count, iso, sortKey } from '../ops-sql';

/** A payments row as the operator lists read it (alias `p`), plus its keyset sort key. */
export interface PaymentRow {
  paymentId: string;
  shopId: string;
  orderIdent: string | null;
  orderNumber: string | null;
  state: PaymentState;
  amount: string;
  currency: string;
  paymentType: string;
  maskedPan: string | null;
  financialInstitution: string | null;
  gatewayReferenceNumber: string | null;
  storageId: string | null;
  initiatedAt: Date | null;
  firstConfirmationAt: Date | null;
  finalAt: Date | null;
  returnedAt: Date | null;
  returnOutcome: ReturnOutcome | null;
  confirmationCount: number;
  duplicateCount: number;
  hasMismatch: boolean;
  holdReason: string | null;
  createdAt: Date;
  sortAt: string;
}

export const PAYMENT_COLUMNS = `
  p.id AS "paymentId", p.shop_id AS "shopId", p.order_ident AS "orderIdent", p.order_number AS "orderNumber",
  p.state, p.amount::text AS amount, rtrim(p.currency) AS currency, p.payment_type AS "paymentType",
  p.masked_pan AS "maskedPan", p.financial_institution AS "financialInstitution",
  p.gateway_reference_number AS "gatewayReferenceNumber", p.storage_id AS "storageId",
  p.initiated_at AS "initiatedAt", p.first_confirmation_at AS "firstConfirmationAt", p.final_at AS "finalAt",
  p.returned_at AS "returnedAt", p.return_outcome AS "returnOutcome",
  p.confirmation_count AS "confirmationCount", p.duplicate_count AS "duplicateCount",
  p.has_mismatch AS "hasMismatch", p.hold_reason AS "holdReason", p.created_at AS "createdAt",
  ${sortKey('p.created_at')} AS "sortAt"`;

export function toPaymentListItem(r: PaymentRow): PaymentListItem {
  return {
    paymentId: r.paymentId,
    shopId: r.shopId,
    orderIdent: r.orderIdent,
    orderNumber: r.orderNumber,
    state: r.state,
    amount: r.amount,
    currency: r.currency,
    paymentType: r.paymentType,
    maskedPan: r.maskedPan,
    financialInstitution: r.financialInstitution,
    gatewayReferenceNumber: r.gatewayReferenceNumber,
    // Rows written before initiated_at existed (or learned of otherwise) fall back to their creation.
    initiatedAt: iso(r.initiatedAt ?? r.createdAt),
    firstConfirmationAt: iso(r.firstConfirmationAt),
    finalAt: iso(r.finalAt),
    returnedAt: iso(r.returnedAt),
    returnOutcome: r.returnOutcome,
    confirmationCount: count(r.confirmationCount),
    duplicateCount: count(r.duplicateCount),
    hasMismatch: r.hasMismatch,
    holdReason: r.holdReason,
  };
}

/** Payment states that are not final: what the pending list and the overview's pending count show. */
export const OPEN_PAYMENT_STATES = ['INITIATED', 'PENDING', 'UNKNOWN'] as const;
