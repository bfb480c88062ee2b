import type { PaymentState } from '@seamless-ops/contracts';
import { qentaTimestampToDate, type GetOrderDetailsResponse, type QentaTimestamp } from '@seamless-ops/qenta';
import { sameAmount } from '../confirmation/payment-state-machine';

/**
 * What the gateway's getOrderDetails (PROTOCOL.md §9.4) says about one order, reduced to what reconciliation
 * compares and keeps in the `reconciliation.checked` payload, and the comparison with our record. Pure functions.
 */

/** payment.N.M.state values that prove the money was approved (and perhaps captured). */
export const APPROVED_PAYMENT_STATES: readonly string[] = ['payment_approved', 'payment_deposited'];

/** Strongest first: the state that says most about the money wins when an order has several payments. */
const PAYMENT_STATE_RANK = ['payment_deposited', 'payment_approved', 'payment_closed', 'payment_approvalexpired'];

export interface GatewayTime {
  /** As sent, `DD.MM.YYYY HH:MM:SS` in the gateway's zone. */
  raw: string;
  /** ISO 8601 UTC, or null when the value has not the documented shape. */
  utc: string | null;
}

export interface GatewayView {
  orderNumber: string;
  /** False: the gateway answered `orders=0` (it has no such order). */
  found: boolean;
  order: {
    state: string | null;
    amount: string | null;
    currency: string | null;
    paymentType: string | null;
    brand: string | null;
    approveAmount: string | null;
    depositAmount: string | null;
    refundAmount: string | null;
    operationsAllowed: string[];
    timeCreated: GatewayTime | null;
    timeModified: GatewayTime | null;
  } | null;
  payments: {
    paymentNumber: string | null;
    state: string | null;
    approveAmount: string | null;
    depositAmount: string | null;
    currency: string | null;
    gatewayReferenceNumber: string | null;
    timeCreated: GatewayTime | null;
    timeModified: GatewayTime | null;
  }[];
  credits: { creditNumber: string | null; state: string | null; amount: string | null; currency: string | null; timeCreated: GatewayTime | null }[];
  /** The strongest payment state (deposited > approved > closed > approval expired > anything else); null without payments. */
  paymentState: string | null;
  /** When the gateway approved the payment (the approving payment's timeCreated), ISO UTC; null when unknown. */
  approvedAt: string | null;
}

const time = (ts: QentaTimestamp | undefined, timeZone: string): GatewayTime | null =>
  ts ? { raw: ts.raw, utc: qentaTimestampToDate(ts, timeZone)?.toISOString() ?? null } : null;

const rank = (state: string | null | undefined): number => {
  const i = PAYMENT_STATE_RANK.indexOf(state ?? '');
  return i < 0 ? PAYMENT_STATE_RANK.length : i;
};

/** The gateway's answer for `orderNumber`, timestamps read in `timeZone` (QENTA_TIME_ZONE). */
export function gatewayView(orderNumber: string, response: GetOrderDetailsResponse, timeZone: string): GatewayView {
  const order = response.orders.find((o) => o.orderNumber === orderNumber) ?? response.orders[0];
  if (!order) return { orderNumber, found: false, order: null, payments: [], credits: [], paymentState: null, approvedAt: null };
  const payments = order.payments.map((p) => ({
    paymentNumber: p.paymentNumber ?? null,
    state: p.state ?? null,
    approveAmount: p.approveAmount ?? null,
    depositAmount: p.depositAmount ?? null,
    currency: p.currency ?? null,
    gatewayReferenceNumber: p.gatewayReferenceNumber ?? null,
    timeCreated: time(p.timeCreated, timeZone),
    timeModified: time(p.timeModified, timeZone),
  }));
  const strongest = [...payments].sort((a, b) => rank(a.state) - rank(b.state))[0];
  const approving = payments.find((p) => APPROVED_PAYMENT_STATES.includes(p.state ?? ''));
  return {
    orderNumber,
    found: true,
    order: {
      state: order.state ?? null,
      amount: order.amount ?? null,
      currency: order.currency ?? null,
      paymentType: order.paymentType ?? null,
      brand: order.brand ?? null,
      approveAmount: order.approveAmount ?? null,
      depositAmount: order.depositAmount ?? null,
      refundAmount: order.refundAmount ?? null,
      operationsAllowed: order.operationsAllowed,
      timeCreated: time(order.timeCreated, timeZone),
      timeModified: time(order.timeModified, timeZone),
    },
    payments,
    credits: order.credits.map((c) => ({
      creditNumber: c.creditNumber ?? null,
      state: c.state ?? null,
      amount: c.amount ?? null,
      currency: c.currency ?? null,
      timeCreated: time(c.timeCreated, timeZone),
    })),
    paymentState: strongest?.state ?? null,
    approvedAt: approving?.timeCreated?.utc ?? null,
  };
}

/** Our side of the comparison. */
export interface OurRecord {
  orderNumber: string;
  state: PaymentState;
  /** What was initiated. */
  amount: string;
  currency: string;
  /** What the confirmation stated, when it stated it. */
  confirmedAmount: string | null;
  confirmedCurrency: string | null;
}

export interface Verdict {
  agrees: boolean;
  /** Each disagreement, worded for operators (the mismatch reason joins them with "; "). */
  reasons: string[];
  /** What was compared and agreed, for the event payload. */
  matched: string[];
}

/** Whether the gateway shows money approved or deposited for the order. */
export function gatewayApproved(view: GatewayView): boolean {
  return APPROVED_PAYMENT_STATES.includes(view.paymentState ?? '');
}

/**
 * Compares our record with the gateway's:
 * - state: the gateway has no order while ours is SUCCESS ("gateway has no order 12345"); ours is SUCCESS and the
 *   order shows no payment ("ours is SUCCESS, gateway shows nothing") or none approved/deposited ("ours is SUCCESS,
 *   gateway shows payment_closed"); the gateway shows money approved/deposited while ours is not SUCCESS
 *   ("gateway shows payment_approved, ours is FAILURE"), or a closed or expired approval while ours still waits
 *   ("gateway shows payment_closed, ours is PENDING"). No order for a payment that is not SUCCESS agrees (failed,
 *   cancelled and pending payments leave no order).
 * - amount: the order's amount and currency against each of ours — what the confirmation stated (when it did) and
 *   what was initiated ("amounts differ: ours 12.50 EUR, gateway 10.00 EUR", once per amount of ours that differs).
 */
export function compareWithGateway(ours: OurRecord, view: GatewayView): Verdict {
  const reasons: string[] = [];
  const matched: string[] = [];
  if (!view.found) {
    if (ours.state === 'SUCCESS') reasons.push(`gateway has no order ${ours.orderNumber}`);
    else matched.push(`state: no order at the gateway, ours is ${ours.state}`);
    return { agrees: reasons.length === 0, reasons, matched };
  }

  const shown = view.paymentState;
  if (ours.state === 'SUCCESS') {
    if (gatewayApproved(view)) matched.push(`state: ours SUCCESS, gateway ${shown}`);
    else if (shown === null) reasons.push('ours is SUCCESS, gateway shows nothing');
    else reasons.push(`ours is SUCCESS, gateway shows ${shown}`);
  } else if (gatewayApproved(view)) {
    reasons.push(`gateway shows ${shown}, ours is ${ours.state}`);
  } else if ((ours.state === 'PENDING' || ours.state === 'INITIATED') && shown !== null) {
    // An approval that was closed or expired: the gateway has decided, ours still waits.
    reasons.push(`gateway shows ${shown}, ours is ${ours.state}`);
  } else {
    matched.push(`state: ours ${ours.state}, gateway ${shown ?? 'no payment'}`);
  }

  const gatewayAmount = view.order?.amount ?? null;
  const gatewayCurrency = (view.order?.currency ?? '').toUpperCase() || null;
  if (gatewayAmount !== null) {
    // Each amount we hold: what the confirmation stated (when it did) and what was initiated, once if equal.
    const ourAmounts: { amount: string; currency: string }[] = [];
    const add = (amount: string | null, currency: string | null): void => {
      if (amount === null) return;
      const c = (currency ?? ours.currency).toUpperCase();
      if (!ourAmounts.some((o) => sameAmount(o.amount, amount) && o.currency === c)) ourAmounts.push({ amount, currency: c });
    };
    add(ours.confirmedAmount, ours.confirmedCurrency);
    add(ours.amount, ours.currency);
    for (const o of ourAmounts) {
      if (!sameAmount(o.amount, gatewayAmount) || (gatewayCurrency !== null && gatewayCurrency !== o.currency)) {
        reasons.push(`amounts differ: ours ${o.amount} ${o.currency}, gateway ${gatewayAmount} ${gatewayCurrency ?? '(no currency)'}`);
      } else {
        matched.push(`amount: ${o.amount} ${o.currency}`);
      }
    }
  }
  return { agrees: reasons.length === 0, reasons, matched };
}
