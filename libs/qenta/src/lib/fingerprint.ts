import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * QENTA fingerprints (PROTOCOL.md §3): the values named by an order are concatenated as UTF-8, the shop secret
 * standing at the position of the name `secret`. The current scheme takes HMAC-SHA512 of that seed keyed with
 * the secret (the secret stays inside the seed too); the legacy scheme is plain SHA-512 of the seed.
 */
export type FingerprintAlgorithm = 'hmac-sha512' | 'sha512';

export const DEFAULT_FINGERPRINT_ALGORITHM: FingerprintAlgorithm = 'hmac-sha512';

/** A fingerprint is 128 hex characters (512 bits). */
export const FINGERPRINT_LENGTH = 128;

/** The name that stands for the shop secret in every fingerprint order. */
export const SECRET = 'secret';

/** Hashes an already concatenated seed (which must contain the secret at its position). */
export function hashSeed(seed: string, secret: string, algorithm: FingerprintAlgorithm = DEFAULT_FINGERPRINT_ALGORITHM): string {
  return algorithm === 'hmac-sha512'
    ? createHmac('sha512', Buffer.from(secret, 'utf8')).update(seed, 'utf8').digest('hex')
    : createHash('sha512').update(seed, 'utf8').digest('hex');
}

/**
 * Fingerprint over `order`: each name contributes the value of that field (missing → empty string), `secret`
 * contributes the secret itself.
 */
export function fingerprint(
  order: readonly string[],
  fields: Readonly<Record<string, string | undefined>>,
  secret: string,
  algorithm: FingerprintAlgorithm = DEFAULT_FINGERPRINT_ALGORITHM,
): string {
  let seed = '';
  for (const name of order) {
    // Own properties only: names like `constructor` must not reach the prototype.
    seed += name === SECRET ? secret : Object.prototype.hasOwnProperty.call(fields, name) ? (fields[name] ?? '') : '';
  }
  return hashSeed(seed, secret, algorithm);
}

const HEX_128 = /^[0-9a-fA-F]{128}$/;

/** True when `value` has the shape of a fingerprint: exactly 128 hex characters, either case. */
export function isFingerprintShaped(value: unknown): value is string {
  return typeof value === 'string' && HEX_128.test(value);
}

/**
 * Constant-time, case-insensitive comparison of an expected (computed) fingerprint with a received one.
 * Never throws; anything that is not 128 hex characters is unequal.
 */
export function fingerprintMatches(expected: string, received: unknown): boolean {
  if (!isFingerprintShaped(received) || !isFingerprintShaped(expected)) return false;
  return timingSafeEqual(Buffer.from(expected.toLowerCase(), 'latin1'), Buffer.from(received.toLowerCase(), 'latin1'));
}
