import { isStringRecord, own, QentaUsageError } from './common';
import { parseErrors, type GatewayError } from './errors';
import { DEFAULT_FINGERPRINT_ALGORITHM, FINGERPRINT_LENGTH, fingerprint, fingerprintMatches, hashSeed, SECRET, type FingerprintAlgorithm } from './fingerprint';
import { decodeForm, FormDecodeError, type FormFields } from './form-codec';
import { CONFIRMATION_REQUIRED_SIGNED } from './orders';

/** §8.2 */
export const PAYMENT_STATES = ['SUCCESS', 'PENDING', 'FAILURE', 'CANCEL'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export interface SignConfirmationOptions {
  algorithm?: FingerprintAlgorithm;
  /** Fields to post without covering them by the fingerprint (e.g. to simulate the unconfirmed custom-parameter case). */
  unsigned?: Readonly<Record<string, string>>;
}

/**
 * Signs a confirmation as the gateway does (§3.4): the business fields in posting order, then `secret`, then
 * `responseFingerprintOrder`; returns the fields followed by `responseFingerprintOrder` and `responseFingerprint`.
 * Throws {@link QentaUsageError} when a name contains a comma or is reserved (`secret`, `responseFingerprint*`).
 */
export function signConfirmation(
  signed: Readonly<Record<string, string>> | ReadonlyArray<readonly [string, string]>,
  secret: string,
  options: SignConfirmationOptions = {},
): FormFields {
  const pairs = Array.isArray(signed) ? (signed as ReadonlyArray<readonly [string, string]>) : Object.entries(signed);
  const out: FormFields = {};
  for (const [name, value] of pairs) {
    const lower = name.toLowerCase();
    if (name === '' || name.includes(',') || lower === SECRET || lower === 'responsefingerprint' || lower === 'responsefingerprintorder') {
      throw new QentaUsageError(`cannot sign confirmation field "${name}"`);
    }
    out[name] = value;
  }
  const order = [...Object.keys(out), SECRET, 'responseFingerprintOrder'];
  out['responseFingerprintOrder'] = order.join(',');
  out['responseFingerprint'] = fingerprint(order, out, secret, options.algorithm);
  for (const [name, value] of Object.entries(options.unsigned ?? {})) {
    if (Object.prototype.hasOwnProperty.call(out, name)) throw new QentaUsageError(`unsigned field "${name}" is also signed`);
    out[name] = value;
  }
  return out;
}

export type ConfirmationRejectReason =
  /** Input is not a flat record of strings / not a decodable form body. */
  | 'malformed'
  /** The raw body names a field twice (only from {@link verifyConfirmationBody}). */
  | 'duplicate_fields'
  /** responseFingerprint or responseFingerprintOrder missing (or only one of them present). */
  | 'missing_fingerprint'
  /** CANCEL/FAILURE without any fingerprint: nothing to verify; the caller decides. */
  | 'unsigned'
  | 'bad_length'
  | 'not_hex'
  /** responseFingerprintOrder has empty entries. */
  | 'bad_order'
  | 'secret_not_signed'
  /** SUCCESS/PENDING (or an unknown state) without paymentState, orderNumber and paymentType signed and non-empty. */
  | 'mandatory_field_unsigned'
  | 'mismatch';

export type ConfirmationVerification =
  | {
      ok: true;
      paymentState: string;
      /** Body fields covered by the fingerprint (as named in the body). */
      signedFields: string[];
      /** Body fields NOT covered by the fingerprint (responseFingerprint itself excluded) — the caller decides. */
      unsignedFields: string[];
    }
  | { ok: false; reason: ConfirmationRejectReason; detail: string; paymentState?: string };

export interface VerifyConfirmationOptions {
  algorithm?: FingerprintAlgorithm;
}

const HEX = /^[0-9a-fA-F]*$/;

/**
 * Verifies a confirmation's fingerprint (§3.4). Never throws, whatever `fields` is.
 *
 * - Any confirmation that carries a fingerprint is verified, whatever its state.
 * - SUCCESS and PENDING (and anything that is not exactly CANCEL/FAILURE) must carry one, and must sign `secret`,
 *   `paymentState`, `orderNumber` and `paymentType` with non-empty values (QCS-EX rule).
 * - CANCEL and FAILURE without `responseFingerprint` and `responseFingerprintOrder` yield `reason: 'unsigned'`:
 *   the gateway may not sign them (§3.4, unconfirmed), so the caller decides whether to accept them (they are
 *   not evidence of money moving).
 * - Names in the order are matched case-insensitively against the body (CCL); exact case wins.
 */
export function verifyConfirmation(fields: unknown, secret: string, options: VerifyConfirmationOptions = {}): ConfirmationVerification {
  try {
    return verify(fields, secret, options.algorithm ?? DEFAULT_FINGERPRINT_ALGORITHM);
  } catch (e) {
    // Defensive: nothing above is expected to throw; junk must never escape as an exception.
    return { ok: false, reason: 'malformed', detail: e instanceof Error ? e.message : 'unexpected input' };
  }
}

function verify(input: unknown, secret: string, algorithm: FingerprintAlgorithm): ConfirmationVerification {
  if (!isStringRecord(input)) return { ok: false, reason: 'malformed', detail: 'confirmation must be a flat record of strings' };
  if (typeof secret !== 'string' || secret === '') return { ok: false, reason: 'malformed', detail: 'no secret configured' };
  const fields = input;
  const state = own(fields, 'paymentState');
  const withState = <T extends object>(r: T): T & { paymentState?: string } => (state === undefined ? r : { ...r, paymentState: state });
  const fp = own(fields, 'responseFingerprint');
  const orderValue = own(fields, 'responseFingerprintOrder');
  const lenient = state === 'CANCEL' || state === 'FAILURE';

  if (fp === undefined && orderValue === undefined && lenient) {
    return withState({ ok: false as const, reason: 'unsigned' as const, detail: `${state} confirmation carries no fingerprint` });
  }
  if (fp === undefined || fp === '' || orderValue === undefined || orderValue === '') {
    return withState({ ok: false as const, reason: 'missing_fingerprint' as const, detail: 'responseFingerprint and responseFingerprintOrder are required' });
  }
  if (fp.length !== FINGERPRINT_LENGTH) {
    return withState({ ok: false as const, reason: 'bad_length' as const, detail: `responseFingerprint has ${fp.length} characters, expected ${FINGERPRINT_LENGTH}` });
  }
  if (!HEX.test(fp)) return withState({ ok: false as const, reason: 'not_hex' as const, detail: 'responseFingerprint is not hexadecimal' });

  const order = orderValue.split(',');
  if (order.some((n) => n === '')) return withState({ ok: false as const, reason: 'bad_order' as const, detail: 'responseFingerprintOrder has empty entries' });

  // Case-insensitive name resolution (exact match first).
  const byLower = new Map<string, string>();
  for (const key of Object.keys(fields)) if (!byLower.has(key.toLowerCase())) byLower.set(key.toLowerCase(), key);
  const resolve = (name: string): string | undefined => (Object.prototype.hasOwnProperty.call(fields, name) ? name : byLower.get(name.toLowerCase()));
  const listed = new Set(order.map((n) => n.toLowerCase()));

  if (!listed.has(SECRET)) return withState({ ok: false as const, reason: 'secret_not_signed' as const, detail: 'secret is not in responseFingerprintOrder' });
  if (!lenient) {
    for (const name of CONFIRMATION_REQUIRED_SIGNED) {
      if (name === SECRET) continue;
      const key = resolve(name);
      if (!listed.has(name.toLowerCase()) || key === undefined || fields[key] === '') {
        return withState({ ok: false as const, reason: 'mandatory_field_unsigned' as const, detail: `${name} must be signed and non-empty` });
      }
    }
  }

  let seed = '';
  const signed = new Set<string>();
  for (const name of order) {
    if (name.toLowerCase() === SECRET) {
      seed += secret;
      continue;
    }
    const key = resolve(name);
    if (key !== undefined) {
      seed += fields[key];
      signed.add(key);
    }
  }
  if (!fingerprintMatches(hashSeed(seed, secret, algorithm), fp)) {
    return withState({ ok: false as const, reason: 'mismatch' as const, detail: 'responseFingerprint does not match' });
  }
  const unsignedFields = Object.keys(fields).filter((k) => k !== 'responseFingerprint' && !signed.has(k));
  return { ok: true, paymentState: state ?? '', signedFields: [...signed], unsignedFields };
}

/** Decodes a raw form body (strictly: malformed encoding or duplicate names reject) and verifies it. Never throws. */
export function verifyConfirmationBody(body: unknown, secret: string, options: VerifyConfirmationOptions = {}): ConfirmationVerification {
  if (typeof body !== 'string') return { ok: false, reason: 'malformed', detail: 'body must be a string' };
  let decoded;
  try {
    decoded = decodeForm(body);
  } catch (e) {
    return { ok: false, reason: 'malformed', detail: e instanceof FormDecodeError ? e.message : 'undecodable body' };
  }
  if (decoded.duplicates.length > 0) return { ok: false, reason: 'duplicate_fields', detail: `duplicate fields: ${decoded.duplicates.slice(0, 5).join(', ')}` };
  return verifyConfirmation(decoded.fields, secret, options);
}

// ---------------------------------------------------------------------------------------------------------------
// Typed parsing per state (§8.3)

const COMMON_FIELDS = [
  'orderNumber', 'paymentType', 'financialInstitution', 'language', 'amount', 'currency', 'gatewayReferenceNumber',
  'gatewayContractNumber', 'avsResponseCode', 'avsResponseMessage', 'avsProviderResultCode', 'avsProviderResultMessage',
] as const;
export const CARD_FIELDS = ['anonymousPan', 'maskedPan', 'expiry', 'cardholder', 'authenticated'] as const;
export const PAYPAL_FIELDS = [
  'paypalPayerID', 'paypalPayerEmail', 'paypalPayerFirstName', 'paypalPayerLastName', 'paypalPayerAddressName',
  'paypalPayerAddressCountry', 'paypalPayerAddressCity', 'paypalPayerAddressState', 'paypalPayerAddressStreet1',
  'paypalPayerAddressStreet2', 'paypalPayerAddressZIP', 'paypalPayerAddressStatus', 'paypalProtectionEligibility',
] as const;
export const SOFORT_FIELDS = ['senderAccountOwner', 'senderAccountNumber', 'senderBankNumber', 'senderBankName', 'senderBIC', 'senderIBAN', 'senderCountry', 'securityCriteria'] as const;
export const IDEAL_FIELDS = ['idealConsumerName', 'idealConsumerCity', 'idealConsumerAccountNumber'] as const;
export const SEPA_FIELDS = ['mandateId', 'mandateSignatureDate', 'creditorId', 'dueDate'] as const;

export type OptionalFields<T extends readonly string[]> = { [K in T[number]]?: string };

export type ConfirmationCommon = OptionalFields<typeof COMMON_FIELDS> & {
  /** Every field that is not part of the protocol: the merchant's custom parameters (§7.4). */
  customParameters: Record<string, string>;
  /** All fields as posted. */
  raw: FormFields;
};

export interface SuccessConfirmation extends ConfirmationCommon {
  paymentState: 'SUCCESS' | 'PENDING';
  /** CCARD, CCARD-MOTO, MAESTRO: `authenticated` is `Yes`/`No` (3-D Secure), expiry `MM/YYYY`. */
  card?: OptionalFields<typeof CARD_FIELDS>;
  paypal?: OptionalFields<typeof PAYPAL_FIELDS>;
  sofort?: OptionalFields<typeof SOFORT_FIELDS>;
  ideal?: OptionalFields<typeof IDEAL_FIELDS>;
  /** Dates are `DD.MM.YYYY`. */
  sepaDd?: OptionalFields<typeof SEPA_FIELDS>;
}

export interface FailureConfirmation extends ConfirmationCommon {
  paymentState: 'FAILURE';
  errors: GatewayError[];
  /** Top-level `message` of the older doc example. */
  message?: string;
}

export interface CancelConfirmation extends ConfirmationCommon {
  paymentState: 'CANCEL';
}

export type Confirmation = SuccessConfirmation | FailureConfirmation | CancelConfirmation;

const KNOWN = new Set<string>([
  'paymentState', 'responseFingerprint', 'responseFingerprintOrder', 'errors', 'message',
  ...COMMON_FIELDS, ...CARD_FIELDS, ...PAYPAL_FIELDS, ...SOFORT_FIELDS, ...IDEAL_FIELDS, ...SEPA_FIELDS,
]);

function pickFrom<T extends readonly string[]>(fields: FormFields, names: T): OptionalFields<T> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  for (const n of names) {
    const v = own(fields, n);
    if (v !== undefined) {
      out[n] = v;
      any = true;
    }
  }
  return any ? (out as OptionalFields<T>) : undefined;
}

/**
 * Typed view of a confirmation by `paymentState`. Does NOT verify: call {@link verifyConfirmation} first.
 * Payment-method extras are filled whenever their fields are present. Never throws.
 */
export function parseConfirmation(fields: unknown): { ok: true; confirmation: Confirmation } | { ok: false; reason: 'malformed' | 'unknown_state'; detail: string } {
  if (!isStringRecord(fields)) return { ok: false, reason: 'malformed', detail: 'confirmation must be a flat record of strings' };
  const raw: FormFields = { ...fields };
  const state = own(raw, 'paymentState');
  if (state === undefined || !(PAYMENT_STATES as readonly string[]).includes(state)) {
    return { ok: false, reason: 'unknown_state', detail: `paymentState ${state === undefined ? 'missing' : JSON.stringify(state.slice(0, 20))}` };
  }
  const customParameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (!KNOWN.has(k) && !/^error\.[0-9]+\./.test(k)) customParameters[k] = v;
  const common: ConfirmationCommon = { ...(pickFrom(raw, COMMON_FIELDS) ?? {}), customParameters, raw };
  if (state === 'FAILURE') {
    const c: FailureConfirmation = { ...common, paymentState: state, errors: parseErrors(raw) };
    const message = own(raw, 'message');
    if (message !== undefined) c.message = message;
    return { ok: true, confirmation: c };
  }
  if (state === 'CANCEL') return { ok: true, confirmation: { ...common, paymentState: state } };
  const c: SuccessConfirmation = { ...common, paymentState: state as 'SUCCESS' | 'PENDING' };
  const card = pickFrom(raw, CARD_FIELDS);
  if (card) c.card = card;
  const paypal = pickFrom(raw, PAYPAL_FIELDS);
  if (paypal) c.paypal = paypal;
  const sofort = pickFrom(raw, SOFORT_FIELDS);
  if (sofort) c.sofort = sofort;
  const ideal = pickFrom(raw, IDEAL_FIELDS);
  if (ideal) c.ideal = ideal;
  const sepaDd = pickFrom(raw, SEPA_FIELDS);
  if (sepaDd) c.sepaDd = sepaDd;
  return { ok: true, confirmation: c };
}

// ---------------------------------------------------------------------------------------------------------------
// The shop's answer (§8.4)

function escapeXmlAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] as string);
}

export const CONFIRMATION_OK = '<QPAY-CONFIRMATION-RESPONSE result="OK" />';

/** `<QPAY-CONFIRMATION-RESPONSE result="NOK" message="…" />` with the message XML-escaped. */
export function confirmationNok(message: string): string {
  return `<QPAY-CONFIRMATION-RESPONSE result="NOK" message="${escapeXmlAttribute(message)}" />`;
}

/** OK, or NOK with a message. */
export function confirmationResponse(result: 'OK'): string;
export function confirmationResponse(result: 'NOK', message: string): string;
export function confirmationResponse(result: 'OK' | 'NOK', message = ''): string {
  return result === 'OK' ? CONFIRMATION_OK : confirmationNok(message);
}

/**
 * Reads a shop's answer (simulator side); tolerates the `<!-- … -->` wrapper plugins use and surrounding text.
 * Returns undefined when no QPAY-CONFIRMATION-RESPONSE element is found.
 */
export function parseConfirmationResponse(body: string): { result: 'OK' | 'NOK'; message?: string } | undefined {
  const m = /<QPAY-CONFIRMATION-RESPONSE\s+result\s*=\s*"(OK|NOK)"(?:\s+message\s*=\s*"([^"]*)")?\s*\/?>/i.exec(body);
  if (!m) return undefined;
  const result = (m[1] as string).toUpperCase() as 'OK' | 'NOK';
  if (m[2] === undefined) return { result };
  const message = m[2].replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] as string);
  return { result, message };
}
