import type { GatewayCheckOutcome, PaymentState, ReturnOutcome } from '@seamless-ops/contracts';
import type { GatewayResult, GetOrderDetailsResponse } from '@seamless-ops/qenta';
import type { EventTransaction } from '../events/event-store';
import type { GatewayView, Verdict } from './gateway-order';

/**
 * The writes of a gateway check, shared by gateway reconciliation and the pending janitor, always inside the
 * transaction of the check: the `reconciliation.checked` event, the `payment_checks` row, and the
 * `gateway_disagrees` mismatch (opened with the reasons inline, resolved when a later check agrees).
 */

export type CheckKind = 'reconciliation' | 'janitor';

/** The payment as a check reads it, locked for the transaction. */
export interface CheckedPayment {
  id: string;
  shopId: string;
  orderIdent: string | null;
  orderNumber: string | null;
  paymentType: string;
  state: PaymentState;
  amount: string;
  currency: string;
  confirmedAmount: string | null;
  confirmedCurrency: string | null;
  holdReason: string | null;
  returnOutcome: ReturnOutcome | null;
  /** The transaction's now(). */
  txNow: Date;
}

export async function lockPaymentForCheck(tx: EventTransaction, paymentId: string): Promise<CheckedPayment | null> {
  const [row] = await tx.query<CheckedPayment>(
    `SELECT id, shop_id AS "shopId", order_ident AS "orderIdent", order_number AS "orderNumber", payment_type AS "paymentType",
            state, amount::text AS amount, currency, confirmed_amount::text AS "confirmedAmount",
            confirmed_currency AS "confirmedCurrency", hold_reason AS "holdReason", return_outcome AS "returnOutcome",
            now() AS "txNow"
     FROM payments WHERE id = $1 FOR UPDATE`,
    [paymentId],
  );
  return row ?? null;
}

/** What the gateway answered, for the payload: its view of the order, or why there is none. */
export function answerOf(result: GatewayResult<GetOrderDetailsResponse>, view: GatewayView | undefined): Record<string, unknown> {
  switch (result.outcome) {
    case 'success':
      return { answer: 'ok', durationMs: result.exchange.durationMs, ...view };
    case 'declined':
      return {
        answer: 'declined',
        status: result.status ?? null,
        errors: result.errors.map((e) => ({ errorCode: e.errorCode, message: e.message })),
        durationMs: result.exchange.durationMs,
      };
    default:
      return { answer: 'unknown', reason: result.reason, detail: result.detail, durationMs: result.exchange.durationMs };
  }
}

export interface CheckRecord {
  check: CheckKind;
  payment: CheckedPayment;
  outcome: GatewayCheckOutcome;
  /** Our state after the check (differs from payment.state only when the janitor settled it). */
  stateAfter: PaymentState;
  gateway: Record<string, unknown> | null;
  verdict?: Verdict;
  /** Anything else for the payload (settledByJanitor, the reason a payment cannot be checked, …). */
  extra?: Record<string, unknown>;
}

/** Appends the `reconciliation.checked` event (source system; our payment in the columns, the gateway in the payload). */
export async function appendCheckEvent(tx: EventTransaction, r: CheckRecord): Promise<void> {
  await tx.append({
    kind: 'reconciliation.checked',
    source: 'system',
    shopId: r.payment.shopId,
    paymentId: r.payment.id,
    orderIdent: r.payment.orderIdent,
    orderNumber: r.payment.orderNumber,
    paymentState: r.stateAfter,
    amount: r.payment.amount,
    currency: r.payment.currency,
    paymentType: r.payment.paymentType,
    payload: {
      check: r.check,
      outcome: r.outcome,
      ours: {
        state: r.payment.state,
        amount: r.payment.amount,
        currency: r.payment.currency,
        confirmedAmount: r.payment.confirmedAmount,
        confirmedCurrency: r.payment.confirmedCurrency,
        holdReason: r.payment.holdReason,
      },
      gateway: r.gateway,
      ...(r.verdict ? { matched: r.verdict.matched, reasons: r.verdict.reasons } : {}),
      ...r.extra,
    },
  });
}

export interface CheckRowUpdate {
  at: Date;
  outcome: GatewayCheckOutcome;
  /** Set when the gateway gave a usable answer: our state it was compared with. */
  checkedState?: PaymentState;
  /** Janitor: count this check and look again at `nextCheckAt` ('never': only once something changes). */
  janitor?: { nextCheckAt: Date | 'never' | null };
  /** The gateway cannot resolve the payment: why (a person must look). Cleared by a later conclusive check. */
  attentionReason?: string;
}

const CONCLUSIVE: readonly GatewayCheckOutcome[] = ['agrees', 'disagrees', 'settled'];

export async function upsertPaymentCheck(tx: EventTransaction, payment: Pick<CheckedPayment, 'id' | 'shopId'>, u: CheckRowUpdate): Promise<void> {
  const counted = u.janitor !== undefined;
  const next = u.janitor?.nextCheckAt === 'never' ? 'infinity' : (u.janitor?.nextCheckAt ?? null);
  await tx.query(
    `INSERT INTO payment_checks AS c (payment_id, shop_id, last_checked_at, last_outcome, checked_state, check_count, next_check_at,
                                      attention_at, attention_reason, updated_at)
     VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN 1 ELSE 0 END, $7::timestamptz,
             CASE WHEN $8::text IS NULL THEN NULL ELSE $3::timestamptz END, $8, now())
     ON CONFLICT (payment_id) DO UPDATE SET
       last_checked_at = excluded.last_checked_at,
       last_outcome = excluded.last_outcome,
       checked_state = coalesce(excluded.checked_state, c.checked_state),
       check_count = c.check_count + CASE WHEN $6 THEN 1 ELSE 0 END,
       next_check_at = CASE WHEN $6 THEN excluded.next_check_at ELSE c.next_check_at END,
       attention_at = CASE WHEN $8::text IS NOT NULL THEN coalesce(c.attention_at, excluded.attention_at)
                           WHEN $9 THEN NULL ELSE c.attention_at END,
       attention_reason = CASE WHEN $8::text IS NOT NULL THEN $8 WHEN $9 THEN NULL ELSE c.attention_reason END,
       updated_at = now()`,
    [payment.id, payment.shopId, u.at, u.outcome, u.checkedState ?? null, counted, next, u.attentionReason ?? null, CONCLUSIVE.includes(u.outcome)],
  );
}

/** Opens (or reopens with the newest reasons) the payment's `gateway_disagrees` mismatch. */
export async function openGatewayDisagreement(tx: EventTransaction, payment: CheckedPayment, view: GatewayView, verdict: Verdict, check: CheckKind): Promise<void> {
  await tx.openMismatch({
    shopId: payment.shopId,
    paymentId: payment.id,
    kind: 'gateway_disagrees',
    reason: verdict.reasons.join('; '),
    detail: {
      check,
      orderNumber: view.orderNumber,
      reasons: verdict.reasons,
      ours: {
        state: payment.state,
        amount: payment.amount,
        currency: payment.currency,
        confirmedAmount: payment.confirmedAmount,
        confirmedCurrency: payment.confirmedCurrency,
      },
      gateway: {
        found: view.found,
        orderState: view.order?.state ?? null,
        paymentState: view.paymentState,
        amount: view.order?.amount ?? null,
        currency: view.order?.currency ?? null,
      },
    },
  });
}

/** A later check agrees: the open `gateway_disagrees` of the payment is resolved, and its flag follows the rest. */
export async function resolveGatewayDisagreement(tx: EventTransaction, paymentId: string): Promise<void> {
  await tx.query(
    `UPDATE mismatches SET status = 'resolved', resolved_at = now()
     WHERE payment_id = $1 AND kind = 'gateway_disagrees' AND status = 'open'`,
    [paymentId],
  );
  await tx.query(
    `UPDATE payments SET has_mismatch = false, updated_at = now()
     WHERE id = $1 AND has_mismatch AND NOT EXISTS (SELECT 1 FROM mismatches WHERE payment_id = $1 AND status = 'open')`,
    [paymentId],
  );
}
