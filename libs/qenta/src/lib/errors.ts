import { own } from './common';
import type { FormFields } from './form-codec';
import { listAt, parseCount } from './serial';

/** One entry of the gateway's error block (PROTOCOL.md §1.2). */
export interface GatewayError {
  /** 5-digit code as sent, e.g. `11017`. */
  errorCode: string;
  /** English technical message. */
  message: string;
  /** Localized message, HTML entities already decoded (`ung&#252;ltig` → `ungültig`). */
  consumerMessage?: string;
  /** Payment-system message, for the merchant only. */
  paySysMessage?: string;
  /** Acquirer/issuer message (newer QENTA docs). */
  providerMessage?: string;
}

/** Back-end `status` (§9.2). */
export type BackendStatus = 0 | 1 | 2 | 3 | 4;

export const BACKEND_STATUS_MEANING: Readonly<Record<BackendStatus, string>> = {
  0: 'success',
  1: 'request parameter verification error',
  2: 'execution denied',
  3: 'error at external financial institution',
  4: 'internal error',
};

export function parseBackendStatus(value: string | undefined): BackendStatus | undefined {
  return value !== undefined && /^[0-4]$/.test(value) ? (Number(value) as BackendStatus) : undefined;
}

/** Result of turning decoded response fields into a typed answer. */
export type ParseResult<T> =
  | { kind: 'ok'; value: T }
  /** The gateway said no: error block and/or back-end status ≠ 0. */
  | { kind: 'declined'; errors: GatewayError[]; status?: BackendStatus }
  /** Neither a success nor an error block: the outcome is unknown. */
  | { kind: 'malformed'; reason: string };

// HTML 4 Latin-1 entities (U+00A0..U+00FF) in code point order, plus the usual specials.
const LATIN1 =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';
const NAMED: ReadonlyMap<string, string> = new Map<string, string>([
  ...LATIN1.split(' ').map((name, i): [string, string] => [name, String.fromCodePoint(0xa0 + i)]),
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['euro', '€'],
  ['ndash', '–'],
  ['mdash', '—'],
  ['lsquo', '‘'],
  ['rsquo', '’'],
  ['sbquo', '‚'],
  ['ldquo', '“'],
  ['rdquo', '”'],
  ['bdquo', '„'],
  ['hellip', '…'],
  ['bull', '•'],
  ['trade', '™'],
  ['OElig', 'Œ'],
  ['oelig', 'œ'],
  ['Scaron', 'Š'],
  ['scaron', 'š'],
  ['Yuml', 'Ÿ'],
]);

/**
 * Decodes HTML numeric (`&#252;`, `&#xFC;`) and named (`&uuml;`) entities, as the plugins do with
 * `html_entity_decode` for `consumerMessage` (§1.2, §12 #17). Unknown or invalid entities stay as they are.
 */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,7}));/g, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED.get(name) ?? whole;
    const cp = dec !== undefined ? Number(dec) : parseInt(hex as string, 16);
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return whole;
    return String.fromCodePoint(cp);
  });
}

/**
 * Reads `errors` + `error.N.*` (§1.2). Entries without a code or message still count (with empty strings), so a
 * partly broken block is never mistaken for success. Never throws.
 */
export function parseErrors(fields: Readonly<Record<string, string>>): GatewayError[] {
  const count = parseCount(own(fields, 'errors'));
  return listAt(fields, 'error', count).map((e) => {
    const err: GatewayError = { errorCode: e['errorCode'] ?? '', message: e['message'] ?? '' };
    if (e['consumerMessage'] !== undefined) err.consumerMessage = decodeHtmlEntities(e['consumerMessage']);
    if (e['paySysMessage'] !== undefined) err.paySysMessage = e['paySysMessage'];
    if (e['providerMessage'] !== undefined) err.providerMessage = e['providerMessage'];
    return err;
  });
}

/** True when the fields carry an error block (`errors` ≥ 1 or any `error.N.*` key). */
export function hasErrorBlock(fields: Readonly<Record<string, string>>): boolean {
  const count = parseCount(own(fields, 'errors'));
  if (count !== undefined && count > 0) return true;
  return Object.keys(fields).some((k) => /^error\.[1-9][0-9]*\./.test(k));
}

/**
 * Encodes an error block in gateway format (as recorded by HITFOX: `error.1.errorCode`, `error.1.message`,
 * `error.1.consumerMessage`, …, then `errors=N`). With `status`, appends the back-end `status` (§9.2).
 * `consumerMessage` defaults to `message`; it is sent as plain UTF-8 (no entities).
 */
export function encodeErrors(errors: readonly GatewayError[], status?: BackendStatus): FormFields {
  const out: FormFields = {};
  errors.forEach((e, i) => {
    const p = `error.${i + 1}.`;
    out[p + 'errorCode'] = e.errorCode;
    out[p + 'message'] = e.message;
    out[p + 'consumerMessage'] = e.consumerMessage ?? e.message;
    if (e.paySysMessage !== undefined) out[p + 'paySysMessage'] = e.paySysMessage;
    if (e.providerMessage !== undefined) out[p + 'providerMessage'] = e.providerMessage;
  });
  out['errors'] = String(errors.length);
  if (status !== undefined) out['status'] = String(status);
  return out;
}

const err = (errorCode: string, message: string): GatewayError => ({ errorCode, message });

/**
 * Error codes seen in real/recorded answers (§11). The gateway's full list is not public; entries marked
 * ASSUMED are our own choice for the simulator (following the observed 11xxx = missing / 18xxx = invalid pattern).
 */
export const QENTA_ERRORS = {
  languageMissing: err('11009', 'Language is missing.'),
  orderNumberMissing: err('11011', 'Order number is missing.'),
  paymentNumberMissing: err('11012', 'Payment number is missing.'),
  creditNumberMissing: err('11013', 'Credit number is missing.'),
  amountMissing: err('11017', 'Amount is missing.'),
  currencyMissing: err('11019', 'Currency is missing.'),
  orderDescriptionMissing: err('11020', 'Order description is missing.'),
  paymentTypeMissing: err('11051', 'PAYMENTTYPE is missing.'),
  userAgentMissing: err('11130', 'USER_AGENT is missing.'),
  ipAddressMissing: err('11146', 'IP-Address is missing.'),
  sourceOrderNumberMissing: err('11159', 'Source ORDERNUMBER is missing.'),
  fundTransferTypeMissing: err('11216', 'FUNDTRANSFERTYPE is missing.'),
  storageIdMissing: err('11302', 'STORAGEID is missing.'),
  customerIdMissing: err('11500', 'CUSTOMERID is missing'),
  requestFingerprintMissing: err('11506', 'REQUESTFINGERPRINT is missing.'),
  orderIdentInvalidLength: err('15300', 'ORDERIDENT has an invalid length.'),
  paymentTypeInvalid: err('18051', 'PAYMENTTYPE is invalid.'),
  requestFingerprintInvalid: err('18506', 'REQUESTFINGERPRINT is invalid.'),
  /** ASSUMED code (not observed). */
  fundTransferTypeInvalid: err('18216', 'FUNDTRANSFERTYPE is invalid.'),
} as const satisfies Record<string, GatewayError>;

/** Observed "missing" errors by parameter name (§11); `orderIdent` missing answers 15300 (HITFOX recording). */
const MISSING_BY_FIELD: Readonly<Record<string, GatewayError>> = {
  language: QENTA_ERRORS.languageMissing,
  orderNumber: QENTA_ERRORS.orderNumberMissing,
  paymentNumber: QENTA_ERRORS.paymentNumberMissing,
  creditNumber: QENTA_ERRORS.creditNumberMissing,
  amount: QENTA_ERRORS.amountMissing,
  currency: QENTA_ERRORS.currencyMissing,
  orderDescription: QENTA_ERRORS.orderDescriptionMissing,
  paymentType: QENTA_ERRORS.paymentTypeMissing,
  consumerUserAgent: QENTA_ERRORS.userAgentMissing,
  consumerIpAddress: QENTA_ERRORS.ipAddressMissing,
  sourceOrderNumber: QENTA_ERRORS.sourceOrderNumberMissing,
  fundTransferType: QENTA_ERRORS.fundTransferTypeMissing,
  storageId: QENTA_ERRORS.storageIdMissing,
  customerId: QENTA_ERRORS.customerIdMissing,
  requestFingerprint: QENTA_ERRORS.requestFingerprintMissing,
  orderIdent: QENTA_ERRORS.orderIdentInvalidLength,
};

/**
 * The error to answer when a required parameter is missing. Unobserved ones (e.g. `successUrl`, `returnUrl`,
 * `password`) get the ASSUMED generic code `11000` with the gateway's message style (`SUCCESSURL is missing.`).
 */
export function missingFieldError(name: string): GatewayError {
  const known = Object.prototype.hasOwnProperty.call(MISSING_BY_FIELD, name) ? MISSING_BY_FIELD[name] : undefined;
  return known ? { ...known } : err('11000', `${name.toUpperCase()} is missing.`);
}
