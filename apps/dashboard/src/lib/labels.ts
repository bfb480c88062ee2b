import type { AlertSeverity, EventKind, EventSource, MismatchKind, PaymentState } from '@seamless-ops/contracts';

/** Words operators read, for the contracts' codes. */

export const EVENT_KIND_LABELS: Record<EventKind, string> = {
  'checkout.started': 'Checkout started',
  'checkout.step': 'Checkout step',
  'storage.initialized': 'Storage initialized',
  'storage.init_failed': 'Storage init failed',
  'storage.read': 'Storage read',
  'storage.expired': 'Storage expired',
  'storage.consumed': 'Storage consumed',
  'payment.initiated': 'Payment initiated',
  'payment.init_failed': 'Payment init failed',
  'payment.init_unknown': 'Payment init timed out',
  'confirmation.received': 'Confirmation received',
  'confirmation.duplicate': 'Duplicate confirmation',
  'confirmation.rejected': 'Confirmation rejected',
  'consumer.returned': 'Consumer returned',
  'notification.sent': 'Notification sent',
  'notification.failed': 'Notification failed',
  'reconciliation.checked': 'Reconciliation checked',
};

export const MISMATCH_KIND_LABELS: Record<MismatchKind, string> = {
  return_without_confirmation: 'Return without confirmation',
  return_contradicts_confirmation: 'Return contradicts confirmation',
  amount_mismatch: 'Amount or currency differs',
  conflicting_final_states: 'Conflicting final states',
  unknown_payment: 'Confirmation for an unknown payment',
  gateway_disagrees: 'Gateway record disagrees',
};

export const PAYMENT_STATE_LABELS: Record<PaymentState, string> = {
  INITIATED: 'Initiated',
  PENDING: 'Pending',
  SUCCESS: 'Success',
  CANCEL: 'Cancelled',
  FAILURE: 'Failure',
  INIT_FAILED: 'Init failed',
  UNKNOWN: 'Unknown',
};

export const EVENT_SOURCE_LABELS: Record<EventSource, string> = {
  shop: 'Shop',
  gateway: 'Gateway',
  consumer: 'Consumer',
  system: 'System',
};

export const ALERT_SEVERITY_LABELS: Record<AlertSeverity, string> = {
  info: 'Info',
  warning: 'Warning',
  critical: 'Critical',
};

/** Common QMORE payment types for the filter; a type found in the URL is offered too. */
export const COMMON_PAYMENT_TYPES = [
  'CCARD',
  'CCARD-MOTO',
  'MAESTRO',
  'PAYPAL',
  'SOFORTUEBERWEISUNG',
  'EPS',
  'IDL',
  'GIROPAY',
  'SEPA-DD',
  'PSC',
  'TRUSTLY',
  'PRZELEWY24',
  'BANCONTACT_MISTERCASH',
  'INVOICE',
  'INSTALLMENT',
] as const;
