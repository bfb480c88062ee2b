import type { Account } from '../accounts';
import {
  cancelFields,
  failureFields,
  hostedPageCard,
  isCardType,
  signed,
  successFields,
  type ConfirmationFields,
  type ConfirmationSource,
  type PaymentState,
} from '../confirmation/build';
import type { SimulatorContext } from '../context';
import type { Knobs } from '../knobs';
import type { Outcome, SimulatedPayment } from './payments';

export class PaymentAlreadyCompletedError extends Error {
  constructor(readonly payment: SimulatedPayment) {
    super(`payment ${payment.sid} was already completed (${payment.outcome})`);
    this.name = 'PaymentAlreadyCompletedError';
  }
}

export interface CompletionResult {
  /** Where the browser is sent (303); no parameters are added (PROTOCOL.md §8.6). */
  location: string;
  /** State of the first confirmation (PENDING for the PENDING_* outcomes). */
  paymentState: PaymentState;
  orderNumber: string;
}

/** successUrl / cancelUrl / failureUrl / pendingUrl; an unset one falls back to successUrl. */
export function returnUrlFor(payment: SimulatedPayment, state: PaymentState): string {
  switch (state) {
    case 'SUCCESS':
      return payment.successUrl;
    case 'CANCEL':
      return payment.cancelUrl ?? payment.successUrl;
    case 'FAILURE':
      return payment.failureUrl ?? payment.successUrl;
    case 'PENDING':
      return payment.pendingUrl ?? payment.successUrl;
  }
}

export function knobsFor(ctx: SimulatorContext, payment: SimulatedPayment): Knobs {
  const scope = { sid: payment.sid, orderNumber: payment.orderNumber, ...(payment.orderIdent ? { orderIdent: payment.orderIdent } : {}) };
  return ctx.knobs.resolve(scope, payment.requestKnobs);
}

function source(ctx: SimulatorContext, payment: SimulatedPayment): ConfirmationSource {
  const s: ConfirmationSource = {
    orderNumber: payment.orderNumber,
    paymentType: payment.paymentType,
    language: payment.language,
    amount: payment.amount,
    currency: payment.currency,
    customParameters: payment.customParameters,
    acceptedAt: new Date(payment.completedAt ?? ctx.clock.now()),
  };
  if (payment.financialInstitution !== undefined) s.financialInstitution = payment.financialInstitution;
  if (payment.paymentInformation !== undefined) s.paymentInformation = payment.paymentInformation;
  return s;
}

/** Fields of the confirmation for `state`, signed for SUCCESS and PENDING (§3.4), with the knobs applied. */
export function confirmationFor(ctx: SimulatorContext, account: Account, payment: SimulatedPayment, state: PaymentState, knobs: Knobs): ConfirmationFields {
  const src = source(ctx, payment);
  switch (state) {
    case 'SUCCESS':
    case 'PENDING':
      return signed(successFields(src, state, knobs.alterAmount), account.secret, account.fingerprintAlgorithm, knobs.wrongFingerprint);
    case 'FAILURE':
      return failureFields(src, knobs.failureError);
    case 'CANCEL':
      return cancelFields(src);
  }
}

/** Moves the payment to `state`; a SUCCESS creates the gateway's order (visible to back-end operations). */
function enterState(ctx: SimulatorContext, payment: SimulatedPayment, state: PaymentState): void {
  payment.state = state;
  if (state !== 'SUCCESS' || ctx.orders.has(payment.orderNumber)) return;
  const card = isCardType(payment.paymentType) ? (payment.paymentInformation ?? hostedPageCard(payment.paymentType, new Date(ctx.clock.now()))) : undefined;
  const brand = card?.['brand'] ?? '';
  ctx.orders.createOrder(
    {
      orderNumber: payment.orderNumber,
      customerId: payment.customerId,
      shopId: payment.shopId,
      paymentType: payment.paymentType,
      brand,
      amount: payment.amountMinor,
      currency: payment.currencyCode,
      orderDescription: payment.orderDescription,
      orderReference: payment.orderReference,
      customerStatement: payment.customerStatement,
      orderText: '',
      sourceOrderNumber: '',
      financialInstitution: card?.['financialInstitution'] ?? payment.financialInstitution ?? '',
    },
    payment.autoDeposit,
  );
}

/**
 * Delivers one confirmation as the knobs say. Resolves when the browser may be redirected: after the first
 * attempt was answered (normal, duplicate), at once (never, delayed, after-redirect).
 */
async function dispatch(
  ctx: SimulatorContext,
  payment: SimulatedPayment,
  state: PaymentState,
  fields: ConfirmationFields,
  knobs: Knobs,
  responseSent: Promise<void>,
): Promise<void> {
  const send = () =>
    ctx.deliveries.send({
      sid: payment.sid,
      orderNumber: payment.orderNumber,
      ...(payment.orderIdent ? { orderIdent: payment.orderIdent } : {}),
      paymentState: state,
      url: payment.confirmUrl,
      fields,
    });
  const copies = knobs.confirmation === 'duplicate' ? 2 : 1;
  const sendAll = async (): Promise<void> => {
    for (let i = 0; i < copies; i++) await send();
  };
  switch (knobs.confirmation) {
    case 'never':
      return;
    case 'after-redirect':
      ctx.scheduler.run(async () => {
        await responseSent;
        if (knobs.confirmationDelayMs > 0) await new Promise<void>((resolve) => ctx.scheduler.after(knobs.confirmationDelayMs, resolve));
        await sendAll();
      });
      return;
    case 'normal':
    case 'duplicate':
      if (knobs.confirmationDelayMs > 0) {
        ctx.scheduler.after(knobs.confirmationDelayMs, sendAll);
        return;
      }
      await sendAll();
      return;
  }
}

/**
 * The consumer's choice on the payment page: confirm server-to-server, then tell where to redirect the browser.
 * PENDING outcomes confirm PENDING now and the final state after `pendingDelayMs`.
 * `responseSent` resolves once the redirect has been sent (for the after-redirect knob).
 */
export async function completePayment(ctx: SimulatorContext, payment: SimulatedPayment, outcome: Outcome, responseSent: Promise<void>): Promise<CompletionResult> {
  if (payment.state !== 'INITIATED') throw new PaymentAlreadyCompletedError(payment);
  const account = ctx.accounts.find(payment.customerId, payment.shopId);
  if (!account) throw new Error(`account ${payment.customerId}/${payment.shopId} is no longer configured`);
  const knobs = knobsFor(ctx, payment);
  const first: PaymentState = outcome === 'PENDING_SUCCESS' || outcome === 'PENDING_FAILURE' ? 'PENDING' : outcome;
  payment.outcome = outcome;
  payment.completedAt = ctx.clock.now();
  enterState(ctx, payment, first);
  const location = returnUrlFor(payment, first);
  payment.redirectedTo = location;

  await dispatch(ctx, payment, first, confirmationFor(ctx, account, payment, first, knobs), knobs, responseSent);

  if (first === 'PENDING') {
    const final: PaymentState = outcome === 'PENDING_SUCCESS' ? 'SUCCESS' : 'FAILURE';
    ctx.scheduler.after(knobs.pendingDelayMs, async () => {
      const later = knobsFor(ctx, payment);
      enterState(ctx, payment, final);
      const mode = later.confirmation === 'after-redirect' ? 'normal' : later.confirmation;
      await dispatch(ctx, payment, final, confirmationFor(ctx, account, payment, final, later), { ...later, confirmation: mode }, Promise.resolve());
    });
  }
  return { location, paymentState: first, orderNumber: payment.orderNumber };
}
