/**
 * Card-data guard (ARCHITECTURE §5): nothing that could be a card number, CVC, expiry or cardholder name is
 * stored or logged. Masked PAN and last four digits are kept.
 */

/** Field names dropped wherever they appear (compared case-insensitively, ignoring `_`, `-` and `.`). */
const DROPPED_FIELDS = new Set([
  'pan',
  'cardnumber',
  'cvc',
  'cvv',
  'cvv2',
  'cvc2',
  'cardverifycode',
  'cardverificationcode',
  'securitycode',
  'cardholder',
  'cardholdername',
  'expiry',
  'expirationmonth',
  'expirationyear',
  'expirydate',
  'track1',
  'track2',
  'trackdata',
]);

export const REDACTED = '[REDACTED]';

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]/g, '');
}

export function isDroppedField(name: string): boolean {
  // Compare the last segment too, so dotted keys like `paymentInformation.1.cardholdername` are caught.
  const last = name.split('.').pop() ?? name;
  return DROPPED_FIELDS.has(normalizeName(name)) || DROPPED_FIELDS.has(normalizeName(last));
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

// Runs of 13-19 digits standing alone, optionally grouped by single spaces or dashes (as typed on cards).
const CANDIDATE = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;

/** Replaces every Luhn-valid 13–19 digit value (spaces/dashes between digits allowed) with {@link REDACTED}. */
export function redactPans(text: string): string {
  return text.replace(CANDIDATE, (match) => (luhnValid(match.replace(/[ -]/g, '')) ? REDACTED : match));
}

export type SanitizedValue = string | number | boolean | null | SanitizedValue[] | { [key: string]: SanitizedValue };

/** Deep copy with card data removed: dropped field names vanish, strings get PAN redaction. */
export function sanitize(value: unknown): SanitizedValue {
  if (typeof value === 'string') return redactPans(value);
  if (typeof value === 'number') return Number.isFinite(value) ? (luhnCandidateNumber(value) ? REDACTED : value) : null;
  if (typeof value === 'boolean' || value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map(sanitize);
  if (typeof value === 'object') {
    const out: { [key: string]: SanitizedValue } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isDroppedField(k)) continue;
      out[redactPans(k)] = sanitize(v);
    }
    return out;
  }
  return null;
}

function luhnCandidateNumber(n: number): boolean {
  const s = String(n);
  return /^\d{13,19}$/.test(s) && luhnValid(s);
}
