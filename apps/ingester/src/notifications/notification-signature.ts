import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signature of the outbound shop notification (see README.md in this folder).
 *
 *   X-Seamless-Timestamp: <t>
 *   X-Seamless-Signature: t=<t>,v1=<hex>
 *
 * `<t>` is the sending time in whole Unix seconds; `<hex>` is the lowercase hex HMAC-SHA256, keyed with the
 * shop's notification secret (its UTF-8 bytes), of the bytes `<t>` + `.` + the exact request body. Every attempt
 * is signed afresh, so a retry carries a new `t`. A receiver may see several `v1=` entries (kept for secret
 * rotation); one matching entry is enough. Unknown keys are ignored, so a later `v2=` does not break old
 * receivers.
 */
export const SIGNATURE_HEADER = 'X-Seamless-Signature';
export const TIMESTAMP_HEADER = 'X-Seamless-Timestamp';
export const DELIVERY_HEADER = 'X-Seamless-Delivery';

/** How far a signature's timestamp may be from the receiver's clock by default (replay window). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${timestamp}.`, 'utf8')
    .update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body)
    .digest('hex');
}

/** The `X-Seamless-Signature` value for `body` sent at `timestamp` (Unix seconds). */
export function signNotification(secret: string, timestamp: number, body: string | Buffer): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('timestamp must be whole Unix seconds');
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;
}

export interface VerifyOptions {
  /** Maximum distance between `t` and `now`, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The receiver's clock (default: the current time). */
  now?: Date;
}

/**
 * For shops: true when `header` (the `X-Seamless-Signature` value) signs `body` (the raw request body, exactly
 * as received: verify before parsing JSON) with `secret`, and its timestamp is within the tolerance. Constant-time
 * comparison; never throws on malformed input.
 */
export function verifyNotificationSignature(
  secret: string,
  header: string | null | undefined,
  body: string | Buffer,
  options: VerifyOptions = {},
): boolean {
  if (!secret || typeof header !== 'string' || header.length > 4096) return false;
  let timestamp: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return false;
      timestamp = Number(value);
    } else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) {
      candidates.push(value);
    }
  }
  if (timestamp === undefined || candidates.length === 0) return false;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  let ok = false;
  for (const candidate of candidates) if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) ok = true;
  return ok;
}
