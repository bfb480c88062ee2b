// The closed vocabularies of the data model (ARCHITECTURE §3). The entities turn each list into a CHECK
// constraint, so adding a value is a schema change: generate a migration (the drift test says so).
// Those the APIs expose live in libs/contracts (one source for ingester and dashboard); the ones only the
// database uses are here.
export {
  EVENT_KINDS,
  EVENT_SOURCES,
  MISMATCH_KINDS,
  PAYMENT_STATES,
  RETURN_OUTCOMES,
  STORAGE_STATUSES,
  type EventKind,
  type EventSource,
  type MismatchKind,
  type PaymentState,
  type ReturnOutcome,
  type StorageStatus,
} from '@seamless-ops/contracts';

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
