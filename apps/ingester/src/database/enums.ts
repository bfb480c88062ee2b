// The closed vocabularies of the data model (ARCHITECTURE §3). The entities turn each list into a CHECK
// constraint, so adding a value here is a schema change: generate a migration (the drift test says so).
// The ones the operator API exposes move to libs/contracts when that library is created.

export const EVENT_KINDS = [
  'checkout.started',
  'checkout.step',
  'storage.initialized',
  'storage.init_failed',
  'storage.read',
  'storage.expired',
  'storage.consumed',
  'payment.initiated',
  'payment.init_failed',
  'payment.init_unknown',
  'confirmation.received',
  'confirmation.duplicate',
  'confirmation.rejected',
  'consumer.returned',
  'notification.sent',
  'notification.failed',
  'reconciliation.checked',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Who caused an event: the shop's API call, the gateway's callback, the consumer's browser, or us. */
export const EVENT_SOURCES = ['shop', 'gateway', 'consumer', 'system'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** INITIATED → PENDING → SUCCESS | FAILURE; INITIATED → SUCCESS | CANCEL | FAILURE; INIT_FAILED; UNKNOWN. */
export const PAYMENT_STATES = ['INITIATED', 'PENDING', 'SUCCESS', 'CANCEL', 'FAILURE', 'INIT_FAILED', 'UNKNOWN'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** Which of our return URLs the gateway sent the browser to (`/qenta/return/:outcome`). */
export const RETURN_OUTCOMES = ['success', 'cancel', 'failure', 'pending'] as const;
export type ReturnOutcome = (typeof RETURN_OUTCOMES)[number];

export const STORAGE_STATUSES = ['active', 'consumed', 'expired'] as const;
export type StorageStatus = (typeof STORAGE_STATUSES)[number];

export const MISMATCH_KINDS = [
  /** The browser came back but no confirmation arrived within the grace period. */
  'return_without_confirmation',
  /** The return URL's outcome contradicts the confirmed state (e.g. success page, FAILURE confirmed). */
  'return_contradicts_confirmation',
  'amount_mismatch',
  'currency_mismatch',
  /** A confirmation tried to move a payment backwards (e.g. PENDING after SUCCESS). */
  'state_regression',
  /** Two different final states were confirmed for one payment. */
  'conflicting_final_state',
  /** An authentic confirmation for a payment we have no record of. */
  'unknown_payment',
  /** The gateway's own record (getOrderDetails) disagrees with ours. */
  'gateway_record_mismatch',
] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

export const MISMATCH_STATUSES = ['open', 'resolved'] as const;
export type MismatchStatus = (typeof MISMATCH_STATUSES)[number];

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** `funnel_hourly.payment_type` for steps that happen before the consumer has chosen a payment type. */
export const UNSPECIFIED_PAYMENT_TYPE = 'UNSPECIFIED';

/** `"column" IN ('a', 'b')` for a CHECK constraint; the values are our own constants, never input. */
export function sqlIn(column: string, values: readonly string[]): string {
  return `"${column}" IN (${values.map((v) => `'${v}'`).join(', ')})`;
}
