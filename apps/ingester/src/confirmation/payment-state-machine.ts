import { FINAL_PAYMENT_STATES } from '@seamless-ops/contracts';
import type { ConfirmedState, MismatchKind, PaymentState, ReturnOutcome } from '@seamless-ops/contracts';

/**
 * The payment state machine of ARCHITECTURE §3 as a pure function, so every ordering is unit-testable:
 * INITIATED → PENDING → SUCCESS | FAILURE; INITIATED → SUCCESS | CANCEL | FAILURE. A final state never goes back;
 * a later PENDING is a late arrival (kept, ignored); a different final state is kept and flagged.
 */

export interface PaymentSnapshot {
  state: PaymentState;
  amount: string;
  currency: string;
  returnOutcome: ReturnOutcome | null;
}

export interface ConfirmationFacts {
  state: ConfirmedState;
  amount?: string;
  currency?: string;
}

export interface DetectedMismatch {
  kind: MismatchKind;
  reason: string;
  detail: Record<string, string | null>;
}

export interface Transition {
  /** The state after this confirmation. */
  state: PaymentState;
  changed: boolean;
  /** Set when the payment must not be treated as settled: why. */
  holdReason: string | null;
  mismatches: DetectedMismatch[];
}

export function isFinal(state: PaymentState): boolean {
  return FINAL_PAYMENT_STATES.includes(state);
}

/** Exact decimal comparison of gateway amounts (`1`, `1.00`, `1,00` are equal); no floats involved. */
export function sameAmount(a: string, b: string): boolean {
  return normalizeAmount(a) === normalizeAmount(b);
}

export function normalizeAmount(value: string): string | null {
  const m = /^\s*(\d+)(?:[.,](\d+))?\s*$/.exec(value);
  if (!m) return null;
  const whole = m[1].replace(/^0+(?=\d)/, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

const OUTCOME_STATE: Record<ReturnOutcome, PaymentState | null> = {
  success: 'SUCCESS',
  cancel: 'CANCEL',
  failure: 'FAILURE',
  // The pending page is compatible with any final state: the outcome was not known when the consumer left.
  pending: null,
};

/** A return to a result page that contradicts a final state, or null. */
export function returnContradiction(outcome: ReturnOutcome, state: PaymentState): DetectedMismatch | null {
  const expected = OUTCOME_STATE[outcome];
  if (!expected || !isFinal(state) || expected === state) return null;
  return {
    kind: 'return_contradicts_confirmation',
    reason: `returned to ${outcome} page, confirmed ${state}`,
    detail: { returnOutcome: outcome, confirmedState: state },
  };
}

export function applyConfirmation(payment: PaymentSnapshot, confirmation: ConfirmationFacts): Transition {
  const mismatches: DetectedMismatch[] = [];
  const current = payment.state;
  const incoming = confirmation.state;

  if (isFinal(current)) {
    if (incoming !== current && incoming !== 'PENDING') {
      mismatches.push({
        kind: 'conflicting_final_states',
        reason: `confirmed ${incoming} after ${current}`,
        detail: { firstState: current, laterState: incoming },
      });
    }
    return { state: current, changed: false, holdReason: null, mismatches };
  }

  let holdReason: string | null = null;
  if (incoming === 'SUCCESS' || incoming === 'PENDING') {
    const amountDiffers = confirmation.amount !== undefined && !sameAmount(confirmation.amount, payment.amount);
    const currencyDiffers = confirmation.currency !== undefined && confirmation.currency.toUpperCase() !== payment.currency.toUpperCase();
    if (amountDiffers || currencyDiffers) {
      const reason = `confirmed ${confirmation.amount ?? payment.amount} ${confirmation.currency ?? payment.currency}, initiated ${payment.amount} ${payment.currency}`;
      mismatches.push({
        kind: 'amount_mismatch',
        reason,
        detail: {
          initiatedAmount: payment.amount,
          initiatedCurrency: payment.currency,
          confirmedAmount: confirmation.amount ?? null,
          confirmedCurrency: confirmation.currency ?? null,
          confirmedState: incoming,
        },
      });
      holdReason = reason;
    }
  }

  // A SUCCESS for a different amount is not a success we may act on: the payment stays open, held for review.
  if (incoming === 'SUCCESS' && holdReason) return { state: current === 'PENDING' ? 'PENDING' : current, changed: false, holdReason, mismatches };

  if (incoming === 'PENDING' && current === 'PENDING') return { state: current, changed: false, holdReason, mismatches };

  const contradiction = payment.returnOutcome ? returnContradiction(payment.returnOutcome, incoming) : null;
  if (contradiction) mismatches.push(contradiction);
  return { state: incoming, changed: true, holdReason, mismatches };
}
