import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { decodeForm, FormDecodeError, verifyConfirmation, type ConfirmationVerification, type FormFields } from '@seamless-ops/qenta';
import type { ConfirmedState, PaymentNotification, PaymentState } from '@seamless-ops/contracts';
import { CORRELATION_PARAMETER, isPaymentId } from '../checkout/correlation';
import { EventStore, funnelFollowUp, outboxFollowUp, type EventTransaction, type FollowUp, type FunnelCounter, type NewEvent, type NewMismatch } from '../events/event-store';
import type { Shop } from '../shops/shop';
import { ShopsService } from '../shops/shops.service';
import { applyConfirmation, isFinal } from './payment-state-machine';

/** What the controller answers; the body is a QPAY-CONFIRMATION-RESPONSE. */
export type ConfirmationOutcome =
  | { result: 'accepted' | 'duplicate' | 'orphan'; paymentId: string | null }
  | { result: 'rejected'; reason: string }
  | { result: 'malformed'; reason: string };

/**
 * The payment's columns a confirmation's plan is computed from: read before planning, and on the fast path compared
 * again by the write, which applies only if none of them changed in between.
 */
const PLAN_INPUTS = {
  shop_id: 'shop_id',
  state: 'state',
  amount: 'amount::text',
  currency: 'currency::text',
  order_ident: 'order_ident',
  order_number: 'order_number',
  payment_type: 'payment_type',
  return_outcome: 'return_outcome',
  returned: 'returned_at IS NOT NULL',
  confirmed_before: 'first_confirmation_at IS NOT NULL',
} as const;
type PlanInput = keyof typeof PLAN_INPUTS;
const BOOLEAN_INPUTS: readonly PlanInput[] = ['returned', 'confirmed_before'];

interface PaymentRow {
  id: string;
  shop_id: string;
  state: PaymentState;
  amount: string;
  currency: string;
  order_ident: string | null;
  order_number: string | null;
  payment_type: string;
  return_outcome: 'success' | 'cancel' | 'failure' | 'pending' | null;
  /** The consumer came back (returned_at is set). */
  returned: boolean;
  /** A confirmation was accepted before (first_confirmation_at is set). */
  confirmed_before: boolean;
  /** When the confirmation arrived: the receive time given, else the reading statement's now(). */
  tx_now: Date;
}

const READ_PAYMENT = `SELECT id, ${Object.entries(PLAN_INPUTS)
  .map(([name, expression]) => `${expression} AS ${name}`)
  .join(', ')}, coalesce($2::timestamptz, now()) AS tx_now
  FROM payments WHERE id = $1`;

/** The condition of the fast path's write: the payment still looks as it did when the plan was made. */
function unchangedSince(payment: PaymentRow): FollowUp {
  const names = Object.keys(PLAN_INPUTS) as PlanInput[];
  return (p) =>
    `ROW(${names.map((n) => PLAN_INPUTS[n]).join(', ')}) IS NOT DISTINCT FROM
     ROW(${names.map((n) => `${p(payment[n])}::${BOOLEAN_INPUTS.includes(n) ? 'boolean' : 'text'}`).join(', ')})`;
}

/** A confirmation to go on with, or the rejection to record; see {@link ConfirmationService.check}. */
type Checked =
  | { ok: true; shop: Shop; verification: ConfirmationVerification; state: ConfirmedState }
  | { ok: false; reason: string; rejection: NewEvent };

/** What an accepted confirmation changes; see {@link ConfirmationService.plan}. */
interface ConfirmationPlan {
  /** The payment row's new values (an SQL SET list), written with the event. */
  paymentSet: FollowUp;
  /** The funnel and the outbox: written with the event, by the same statement, if it was stored. */
  followUps: FollowUp[];
  /** The rarer writes, made under the payment's lock after the event. */
  mismatches: Omit<NewMismatch, 'shopId' | 'paymentId' | 'detectedAt'>[];
  /** The payment was flagged "returned without confirmation": this confirmation resolves the flag. */
  resolvesReturnWatch: boolean;
}

const STATE_COUNTER: Record<ConfirmedState, FunnelCounter> = {
  SUCCESS: 'successes',
  CANCEL: 'cancels',
  FAILURE: 'failures',
  PENDING: 'pendings',
};

const CONFIRMED: readonly string[] = ['SUCCESS', 'CANCEL', 'FAILURE', 'PENDING'];

/**
 * The confirmation path (ARCHITECTURE §5): parse the raw body, find the payment by the correlation parameter,
 * verify the fingerprint with that shop's secret, then store the event and update the projections atomically.
 * The caller answers OK only after this resolves.
 *
 * The common case — a first, authentic confirmation of a known payment with nothing to flag — takes two prepared
 * statements and no explicit transaction: read the payment, then one statement that updates it only if what the
 * plan was computed from did not change since the read, and writes the event with the funnel and outbox (see
 * EventStore.appendWithPaymentUpdate). Everything else (a payment changed in between, a duplicate, an orphan, a
 * rejection, a mismatch) runs in a transaction that locks the payment first.
 */
@Injectable()
export class ConfirmationService {
  private readonly logger = new Logger(ConfirmationService.name);

  constructor(
    private readonly events: EventStore,
    private readonly shops: ShopsService,
  ) {}

  /**
   * `receivedAt` is when the confirmation arrived (default: the database's now()); history seeding passes it, and
   * every timestamp the confirmation writes (event, payment, funnel, mismatches) is that moment.
   */
  async handle(body: string, sourceAddress: string | null, receivedAt?: Date): Promise<ConfirmationOutcome> {
    let fields: FormFields;
    try {
      const decoded = decodeForm(body);
      if (decoded.duplicates.length) return { result: 'malformed', reason: `duplicate parameters: ${decoded.duplicates.slice(0, 5).join(', ')}` };
      fields = decoded.fields;
    } catch (error) {
      if (error instanceof FormDecodeError) return { result: 'malformed', reason: error.message };
      throw error;
    }
    if (Object.keys(fields).length === 0) return { result: 'malformed', reason: 'empty confirmation' };
    // PostgreSQL stores no NUL in text or jsonb: such a body could only fail later as a database error (a 5xx the
    // gateway would retry forever). The gateway never sends one.
    for (const [key, value] of Object.entries(fields)) {
      if (key.includes('\u0000') || value.includes('\u0000')) return { result: 'malformed', reason: 'NUL character in a parameter' };
    }

    const correlation = fields[CORRELATION_PARAMETER];
    const paymentId = isPaymentId(correlation) ? correlation.toLowerCase() : null;
    if (paymentId) {
      const accepted = await this.acceptUnlocked(fields, paymentId, sourceAddress, receivedAt);
      if (accepted) return accepted;
    }
    return this.events.transaction((tx) => this.handleLocked(tx, fields, paymentId, sourceAddress, receivedAt));
  }

  /**
   * The fast path (see the class): the accepted or rejected outcome, or null when the locked path has to decide. A
   * rejection changes no payment, so it is recorded here without a lock.
   */
  private async acceptUnlocked(fields: FormFields, paymentId: string, sourceAddress: string | null, receivedAt?: Date): Promise<ConfirmationOutcome | null> {
    const [payment] = await this.events.query<PaymentRow>(READ_PAYMENT, [paymentId, receivedAt ?? null]);
    if (!payment) return null;
    const checked = this.check(fields, payment, payment.tx_now, sourceAddress);
    if (!checked.ok) {
      await this.events.append(checked.rejection);
      return { result: 'rejected', reason: checked.reason };
    }
    const plan = this.plan(payment, checked.shop, checked.state, fields);
    if (plan.mismatches.length || plan.resolvesReturnWatch) return null;
    const event = confirmationEvent(fields, checked, payment, payment.tx_now, sourceAddress);
    const written = await this.events.appendWithPaymentUpdate(payment.id, unchangedSince(payment), plan.paymentSet, event, plan.followUps);
    return written ? { result: 'accepted', paymentId: payment.id } : null;
  }

  private async handleLocked(
    tx: EventTransaction,
    fields: FormFields,
    paymentId: string | null,
    sourceAddress: string | null,
    receivedAt?: Date,
  ): Promise<ConfirmationOutcome> {
    // Lock the payment first: every confirmation of one payment then applies in turn, in arrival order.
    const payment = paymentId ? ((await tx.query<PaymentRow>(`${READ_PAYMENT} FOR UPDATE`, [paymentId, receivedAt ?? null]))[0] ?? null) : null;
    const at = payment?.tx_now ?? receivedAt;
    const checked = this.check(fields, payment, at, sourceAddress);
    if (!checked.ok) {
      await tx.append(checked.rejection);
      return { result: 'rejected', reason: checked.reason };
    }
    const { shop, state } = checked;
    const event = confirmationEvent(fields, checked, payment, at, sourceAddress);

    // The accepted path's writes (payment, funnel, outbox) go with the event in one statement, and only if the
    // event is stored: a duplicate changes nothing but its counter below.
    const plan = payment ? this.plan(payment, shop, state, fields) : undefined;
    const followUps = payment && plan ? [paymentUpdateAfter(payment.id, plan.paymentSet), ...plan.followUps] : [];
    const stored = await tx.appendWith(event, followUps);
    if (!stored) {
      await tx.append({ ...event, kind: 'confirmation.duplicate', dedupKey: null, payload: { dedupKey: event.dedupKey } });
      if (payment) await tx.query(`UPDATE payments SET duplicate_count = duplicate_count + 1, updated_at = now() WHERE id = $1`, [payment.id]);
      return { result: 'duplicate', paymentId: payment?.id ?? null };
    }

    if (!payment || !plan) {
      await tx.openMismatch({
        shopId: shop.id,
        paymentId: null,
        kind: 'unknown_payment',
        reason: `authentic ${state} confirmation for order ${fields['orderNumber'] || '(no order number)'} matches no payment of ours`,
        detail: { claimedPaymentId: fields[CORRELATION_PARAMETER] ?? null, orderNumber: fields['orderNumber'] ?? null, amount: event.amount, currency: event.currency },
        ...(receivedAt ? { detectedAt: receivedAt } : {}),
      });
      return { result: 'orphan', paymentId: null };
    }

    for (const m of plan.mismatches) await tx.openMismatch({ ...m, shopId: shop.id, paymentId: payment.id, detectedAt: payment.tx_now });
    if (plan.resolvesReturnWatch) {
      await tx.query(
        `UPDATE mismatches SET status = 'resolved', resolved_at = $2
         WHERE payment_id = $1 AND kind = 'return_without_confirmation' AND status = 'open'`,
        [payment.id, payment.tx_now],
      );
    }
    if (plan.mismatches.length) this.logger.warn(`payment ${payment.id}: ${plan.mismatches.map((m) => m.reason).join('; ')}`);
    return { result: 'accepted', paymentId: payment.id };
  }

  /**
   * Verifies the confirmation for `payment` (null: unknown) and checks its state: the shop, verification and state
   * to go on with, or the `confirmation.rejected` event to record instead (at `at`, default now()).
   */
  private check(fields: FormFields, payment: PaymentRow | null, at: Date | undefined, sourceAddress: string | null): Checked {
    const paymentShop = payment ? this.shops.get(payment.shop_id) : undefined;
    const verified = this.verify(fields, paymentShop);
    if (!verified.shop) {
      return {
        ok: false,
        reason: verified.reason,
        rejection: {
          kind: 'confirmation.rejected',
          source: 'gateway',
          shopId: paymentShop?.id ?? null,
          paymentId: payment?.id ?? null,
          paymentState: stateOf(fields),
          orderNumber: fields['orderNumber'] ?? null,
          ...(at ? { occurredAt: at } : {}),
          payload: { reason: verified.reason, detail: verified.detail, fields },
          sourceAddress,
        },
      };
    }
    const state = stateOf(fields);
    if (!state) {
      // Authentic but not a state we know: keep it for the operators, change nothing.
      return {
        ok: false,
        reason: 'unknown_state',
        rejection: {
          kind: 'confirmation.rejected',
          source: 'gateway',
          shopId: verified.shop.id,
          paymentId: payment?.id ?? null,
          ...(at ? { occurredAt: at } : {}),
          payload: { reason: 'unknown_state', fields },
          sourceAddress,
        },
      };
    }
    return { ok: true, shop: verified.shop, verification: verified.verification, state };
  }

  /** Finds the shop whose secret verifies the fingerprint: the payment's shop, or for an unknown payment any shop. */
  private verify(fields: FormFields, paymentShop: Shop | undefined): { shop: Shop; verification: ConfirmationVerification } | { shop: null; reason: string; detail: string } {
    const candidates = paymentShop ? [paymentShop] : this.shops.shops;
    let first: ConfirmationVerification | undefined;
    for (const shop of candidates) {
      const verification = verifyConfirmation(fields, shop.secret, { algorithm: shop.fingerprintAlgorithm });
      if (verification.ok) return { shop, verification };
      // CANCEL and FAILURE may come unsigned (PROTOCOL.md §3.4); accepted only for a payment we know, as they
      // prove no money moved. Without a known payment nothing ties them to a shop.
      if (!verification.ok && verification.reason === 'unsigned' && paymentShop) return { shop, verification };
      first ??= verification;
    }
    const reason = first && !first.ok ? first.reason : 'no_shop';
    const detail = first && !first.ok ? first.detail : 'no shop configured';
    return { shop: null, reason, detail };
  }

  /**
   * What an accepted confirmation changes, computed from the payment as read (its PLAN_INPUTS): the payment row,
   * the funnel and the outbox (written with the event by one statement), and the rarer writes. `payment.tx_now` is
   * the time of every write.
   */
  private plan(payment: PaymentRow, shop: Shop, state: ConfirmedState, fields: FormFields): ConfirmationPlan {
    const at = payment.tx_now;
    const transition = applyConfirmation(
      { state: payment.state, amount: payment.amount, currency: payment.currency, returnOutcome: payment.return_outcome },
      { state, amount: fields['amount'] || undefined, currency: fields['currency'] || undefined },
    );
    const orderNumber = fields['orderNumber'] || null;

    const paymentSet: FollowUp = (p) =>
      `state = ${p(transition.state)},
       confirmation_count = confirmation_count + 1,
       order_number = coalesce(order_number, ${p(orderNumber)}),
       confirmed_amount = coalesce(${p(validAmount(fields['amount']))}, confirmed_amount),
       confirmed_currency = coalesce(${p(validCurrency(fields['currency']))}, confirmed_currency),
       gateway_reference_number = coalesce(${p(fields['gatewayReferenceNumber'] || null)}, gateway_reference_number),
       masked_pan = coalesce(${p(fields['maskedPan'] || null)}, masked_pan),
       financial_institution = coalesce(${p(fields['financialInstitution'] || null)}, financial_institution),
       first_confirmation_at = coalesce(first_confirmation_at, ${p(at)}),
       final_at = CASE WHEN ${p(transition.changed && isFinal(transition.state))} AND final_at IS NULL THEN ${p(at)} ELSE final_at END,
       hold_reason = coalesce(${p(transition.holdReason)}, hold_reason),
       updated_at = now()`;
    const followUps: FollowUp[] = [];
    const funnel = funnelFollowUp(at, shop.id, payment.payment_type, {
      confirmations: payment.confirmed_before ? 0 : 1,
      ...(transition.changed ? { [STATE_COUNTER[state]]: 1 } : {}),
    });
    if (funnel) followUps.push(funnel);
    if (transition.changed && shop.notificationUrl) {
      const notification: PaymentNotification & { shopId: string } = {
        event: 'payment.state_changed',
        shopId: shop.id,
        paymentId: payment.id,
        orderIdent: payment.order_ident,
        orderNumber: payment.order_number ?? orderNumber,
        state: transition.state,
        amount: payment.amount,
        currency: payment.currency,
        occurredAt: at.toISOString(),
      };
      followUps.push(outboxFollowUp('payment.notification', shop.notificationUrl, notification));
    }
    return {
      paymentSet,
      followUps,
      mismatches: transition.mismatches,
      // The confirmation has arrived: a "returned without confirmation" flag on this payment no longer holds.
      resolvesReturnWatch: payment.returned && !payment.confirmed_before,
    };
  }
}

/** The payment's update as a follow-up of the event (locked path): only if the event was stored. */
function paymentUpdateAfter(paymentId: string, set: FollowUp): FollowUp {
  return (p) => `UPDATE payments SET ${set(p)} FROM stored WHERE payments.id = ${p(paymentId)}`;
}

/** The `confirmation.received` event of an authentic confirmation (`payment` null: an orphan), at `at` (default now()). */
function confirmationEvent(
  fields: FormFields,
  { shop, verification, state }: { shop: Shop; verification: ConfirmationVerification; state: ConfirmedState },
  payment: PaymentRow | null,
  at: Date | undefined,
  sourceAddress: string | null,
): NewEvent & { dedupKey: string } {
  const signedFields = verification.ok ? verification.signedFields : [];
  return {
    kind: 'confirmation.received',
    source: 'gateway',
    shopId: shop.id,
    paymentId: payment?.id ?? null,
    orderIdent: payment?.order_ident ?? null,
    orderNumber: fields['orderNumber'] || null,
    paymentState: state,
    amount: validAmount(fields['amount']),
    currency: validCurrency(fields['currency']),
    paymentType: fields['paymentType'] || payment?.payment_type || null,
    ...(at ? { occurredAt: at } : {}),
    payload: {
      fields,
      signed: verification.ok,
      correlationSigned: signedFields.includes(CORRELATION_PARAMETER),
      ...(payment ? {} : { claimedPaymentId: fields[CORRELATION_PARAMETER] ?? null }),
    },
    dedupKey: deliveryKey(shop.id, fields),
    sourceAddress,
  };
}

/**
 * Identity of a delivery: the fingerprint when signed (a redelivery carries the same one); otherwise a digest of
 * the body's fields in a canonical order.
 */
function deliveryKey(shopId: string, fields: FormFields): string {
  const fp = fields['responseFingerprint'];
  if (fp) return `confirmation:${shopId}:${fp.toLowerCase()}`;
  const canonical = Object.keys(fields)
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('&');
  return `confirmation:${shopId}:body:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}

function stateOf(fields: FormFields): ConfirmedState | null {
  const s = fields['paymentState'];
  return s && CONFIRMED.includes(s) ? (s as ConfirmedState) : null;
}

/** Amounts go into numeric columns: only well-formed decimals (the gateway may use `,`). */
function validAmount(value: string | undefined): string | null {
  if (!value) return null;
  const m = /^(\d{1,15})(?:[.,](\d{1,6}))?$/.exec(value.trim());
  return m ? (m[2] ? `${m[1]}.${m[2]}` : m[1]) : null;
}

function validCurrency(value: string | undefined): string | null {
  return value && /^[A-Za-z]{3}$/.test(value) ? value.toUpperCase() : null;
}
