/** Payment lifecycle (ARCHITECTURE §3). A final state never goes back. */
export const PAYMENT_STATES = ['INITIATED', 'PENDING', 'SUCCESS', 'CANCEL', 'FAILURE', 'INIT_FAILED', 'UNKNOWN'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const FINAL_PAYMENT_STATES: readonly PaymentState[] = ['SUCCESS', 'CANCEL', 'FAILURE'];

/** States the gateway reports in a confirmation (PROTOCOL.md §8.2). */
export const CONFIRMED_STATES = ['SUCCESS', 'CANCEL', 'FAILURE', 'PENDING'] as const;
export type ConfirmedState = (typeof CONFIRMED_STATES)[number];

export const STORAGE_STATUSES = ['active', 'consumed', 'expired'] as const;
export type StorageStatus = (typeof STORAGE_STATUSES)[number];

export const RETURN_OUTCOMES = ['success', 'cancel', 'failure', 'pending'] as const;
export type ReturnOutcome = (typeof RETURN_OUTCOMES)[number];

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

export const EVENT_SOURCES = ['shop', 'gateway', 'consumer', 'system'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

export const MISMATCH_KINDS = [
  /** The consumer came back to a result page, but no confirmation arrived within the grace period. */
  'return_without_confirmation',
  /** The result page the consumer returned to contradicts the confirmed state. */
  'return_contradicts_confirmation',
  /** Confirmed amount or currency differ from what was initiated. */
  'amount_mismatch',
  /** A second, different final state was confirmed after the first. */
  'conflicting_final_states',
  /** An authentic confirmation that no initiated payment of ours matches. */
  'unknown_payment',
  /** The gateway's own record (getOrderDetails) disagrees with ours. */
  'gateway_disagrees',
] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];
