/**
 * The custom parameter (PROTOCOL.md §7.4) that carries our paymentId through frontend init; the gateway echoes
 * it to confirmUrl only, which is how a confirmation finds its payment.
 */
export const CORRELATION_PARAMETER = 'soPaymentId';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our paymentIds are UUIDs; anything else cannot name a payment of ours. */
export function isPaymentId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
