import { isStringRecord, own } from './common';
import { missingFieldError, QENTA_ERRORS, type GatewayError } from './errors';
import { DEFAULT_FINGERPRINT_ALGORITHM, fingerprint, fingerprintMatches, type FingerprintAlgorithm } from './fingerprint';
import { isConsumerOrBasketField } from './frontend';
import {
  backendFingerprintOrder,
  DATA_STORAGE_INIT_ORDER,
  DATA_STORAGE_READ_ORDER,
  FRONTEND_REQUIRED_IF_SENT,
  FRONTEND_REQUIRED_IN_FINGERPRINT,
  TRANSFER_FUND_TYPE_ORDER,
  type BackendOperation,
  type FundTransferType,
} from './orders';

/**
 * Gateway-side checks of a received request (used by the simulator). A rejection carries the error block to
 * answer (`encodeErrors(result.errors)`, plus `status=1` for back-end calls, §9.2).
 */
export type RequestRejectReason =
  | 'malformed'
  /** Required parameters absent or empty (§11 codes; `requestFingerprint` missing → 11506). */
  | 'missing_fields'
  /** requestFingerprintOrder missing or with empty entries (frontend init). */
  | 'bad_order'
  /** A must-sign name is not in requestFingerprintOrder (§3.3). */
  | 'mandatory_field_unsigned'
  /** A field that must be signed when sent was sent but is not in requestFingerprintOrder (§3.3, HOCH PR #25). */
  | 'sent_field_unsigned'
  /** Unknown fundTransferType. */
  | 'invalid_field'
  /** Recomputed fingerprint differs (18506). */
  | 'bad_fingerprint';

export type RequestVerification =
  | { ok: true; /** The names the fingerprint was computed over. */ order: string[] }
  | { ok: false; reason: RequestRejectReason; detail: string; errors: GatewayError[] };

const invalid = (reason: RequestRejectReason, detail: string): RequestVerification => ({
  ok: false,
  reason,
  detail,
  errors: [{ ...QENTA_ERRORS.requestFingerprintInvalid }],
});

function missing(fields: Readonly<Record<string, string>>, required: readonly string[]): RequestVerification | undefined {
  const absent = required.filter((n) => {
    const v = own(fields, n);
    return v === undefined || v === '';
  });
  if (absent.length === 0) return undefined;
  return { ok: false, reason: 'missing_fields', detail: `missing: ${absent.join(', ')}`, errors: absent.map(missingFieldError) };
}

function check(fields: Readonly<Record<string, string>>, order: string[], secret: string, algorithm: FingerprintAlgorithm): RequestVerification {
  const received = own(fields, 'requestFingerprint');
  const expected = fingerprint(order, fields, secret, algorithm);
  return fingerprintMatches(expected, received) ? { ok: true, order } : invalid('bad_fingerprint', 'requestFingerprint does not match');
}

function guard(fields: unknown, run: (f: Readonly<Record<string, string>>) => RequestVerification): RequestVerification {
  if (!isStringRecord(fields)) return invalid('malformed', 'request must be a flat record of strings');
  try {
    return run(fields);
  } catch (e) {
    return invalid('malformed', e instanceof Error ? e.message : 'unexpected input');
  }
}

/** `dataStorage/init` (§4.1): required customerId, orderIdent, returnUrl, language; fixed order. Never throws. */
export function verifyDataStorageInitRequest(fields: unknown, secret: string, algorithm: FingerprintAlgorithm = DEFAULT_FINGERPRINT_ALGORITHM): RequestVerification {
  return guard(fields, (f) => missing(f, ['customerId', 'orderIdent', 'returnUrl', 'language', 'requestFingerprint']) ?? check(f, [...DATA_STORAGE_INIT_ORDER], secret, algorithm));
}

/** `dataStorage/read` (§6): required customerId, storageId; fixed order. Never throws. */
export function verifyDataStorageReadRequest(fields: unknown, secret: string, algorithm: FingerprintAlgorithm = DEFAULT_FINGERPRINT_ALGORITHM): RequestVerification {
  return guard(fields, (f) => missing(f, ['customerId', 'storageId', 'requestFingerprint']) ?? check(f, [...DATA_STORAGE_READ_ORDER], secret, algorithm));
}

/** Required frontend init parameters, in the order HITFOX recorded their errors (§7.6). */
export const FRONTEND_REQUIRED_PARAMETERS = [
  'customerId', 'language', 'paymentType', 'currency', 'orderDescription', 'amount', 'consumerIpAddress', 'consumerUserAgent',
  'successUrl', 'confirmUrl', 'requestFingerprint',
] as const;

/**
 * `frontend/init` (§3.3, §7.1), dynamic order: required parameters present; requestFingerprintOrder contains every
 * must-sign name and every sent name that must be signed when sent (the if-sent list, consumer data and basket
 * fields); the fingerprint is recomputed over exactly the listed names. Custom parameters may stay unsigned (the
 * gateway's rule for them is unconfirmed). Never throws.
 */
export function verifyFrontendInitRequest(fields: unknown, secret: string, algorithm: FingerprintAlgorithm = DEFAULT_FINGERPRINT_ALGORITHM): RequestVerification {
  return guard(fields, (f) => {
    const absent = missing(f, FRONTEND_REQUIRED_PARAMETERS);
    if (absent) return absent;
    const list = own(f, 'requestFingerprintOrder');
    if (list === undefined || list === '') return invalid('bad_order', 'requestFingerprintOrder is missing');
    const order = list.split(',');
    if (order.some((n) => n === '')) return invalid('bad_order', 'requestFingerprintOrder has empty entries');
    const listed = new Set(order);
    const unsignedMandatory = FRONTEND_REQUIRED_IN_FINGERPRINT.filter((n) => !listed.has(n));
    if (unsignedMandatory.length > 0) return invalid('mandatory_field_unsigned', `not in requestFingerprintOrder: ${unsignedMandatory.join(', ')}`);
    const ifSent = new Set<string>(FRONTEND_REQUIRED_IF_SENT);
    const unsignedSent = Object.keys(f).filter((n) => (ifSent.has(n) || isConsumerOrBasketField(n)) && !listed.has(n));
    if (unsignedSent.length > 0) return invalid('sent_field_unsigned', `sent but not in requestFingerprintOrder: ${unsignedSent.join(', ')}`);
    return check(f, order, secret, algorithm);
  });
}

const BACKEND_REQUIRED: Record<BackendOperation, readonly string[]> = {
  getOrderDetails: ['orderNumber'],
  deposit: ['orderNumber', 'amount', 'currency'],
  depositReversal: ['orderNumber', 'paymentNumber'],
  approveReversal: ['orderNumber'],
  refund: ['orderNumber', 'amount', 'currency'],
  refundReversal: ['orderNumber', 'creditNumber'],
  recurPayment: ['sourceOrderNumber', 'orderDescription', 'amount', 'currency'],
  transferFund: ['orderDescription', 'amount', 'currency', 'fundTransferType'],
  generateOrderNumber: [],
};

const BASKET_NAME = /^basketItem(s$|[0-9])/;

/**
 * Back-end request (§9): required fields per operation, then the fixed order `customerId, shopId, password, secret,
 * language` + operation fields (+ basket fields as sent, for deposit/refund). Checking the password value itself
 * is the caller's business. Never throws.
 */
export function verifyBackendRequest(
  operation: BackendOperation,
  fields: unknown,
  secret: string,
  algorithm: FingerprintAlgorithm = DEFAULT_FINGERPRINT_ALGORITHM,
): RequestVerification {
  return guard(fields, (f) => {
    const absent = missing(f, ['customerId', 'password', 'language', ...BACKEND_REQUIRED[operation], 'requestFingerprint']);
    if (absent) return absent;
    let type: FundTransferType | undefined;
    if (operation === 'transferFund') {
      const t = own(f, 'fundTransferType') as string;
      if (!Object.prototype.hasOwnProperty.call(TRANSFER_FUND_TYPE_ORDER, t)) {
        return { ok: false, reason: 'invalid_field', detail: `unknown fundTransferType ${JSON.stringify(t.slice(0, 20))}`, errors: [{ ...QENTA_ERRORS.fundTransferTypeInvalid }] };
      }
      type = t as FundTransferType;
      const typeMissing = missing(f, TRANSFER_FUND_TYPE_ORDER[type]);
      if (typeMissing) return typeMissing;
    }
    const order = backendFingerprintOrder(operation, type);
    if (operation === 'deposit' || operation === 'refund') order.push(...Object.keys(f).filter((n) => BASKET_NAME.test(n)));
    return check(f, order, secret, algorithm);
  });
}
