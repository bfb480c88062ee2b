import { nonEmpty, own, put, type MerchantCredentials, type RequestFields } from './common';
import { hasErrorBlock, parseErrors, type ParseResult } from './errors';
import { fingerprint } from './fingerprint';
import { DATA_STORAGE_INIT_ORDER, DATA_STORAGE_READ_ORDER } from './orders';
import { listAt, parseCount } from './serial';

/** PCI3 iframe options (§4.1): sent with `javascriptScriptVersion=pci3`, never part of the fingerprint. */
export interface Pci3IframeOptions {
  iframeCssUrl?: string;
  creditcardShowCvcField?: boolean;
  creditcardShowCardholderNameField?: boolean;
  creditcardShowIssueDateField?: boolean;
  creditcardShowIssueNumberField?: boolean;
  creditcardShowExpirationDatePlaceholder?: boolean;
  creditcardShowIssueDatePlaceholder?: boolean;
  creditcardPanPlaceholder?: string;
  creditcardCvcPlaceholder?: string;
  creditcardCardholderNamePlaceholder?: string;
  creditcardIssueNumberPlaceholder?: string;
}

export const PCI3_IFRAME_PARAMETERS = [
  'iframeCssUrl',
  'creditcardShowCvcField',
  'creditcardShowCardholderNameField',
  'creditcardShowIssueDateField',
  'creditcardShowIssueNumberField',
  'creditcardShowExpirationDatePlaceholder',
  'creditcardShowIssueDatePlaceholder',
  'creditcardPanPlaceholder',
  'creditcardCvcPlaceholder',
  'creditcardCardholderNamePlaceholder',
  'creditcardIssueNumberPlaceholder',
] as const satisfies readonly (keyof Pci3IframeOptions)[];

export interface DataStorageInitParams {
  /** Merchant's unique reference for this checkout; reuse it in frontend init (§4.1, §4.3). */
  orderIdent: string;
  /** CORS fallback page (§5.4). */
  returnUrl: string;
  language: string;
  /** Empty/absent = classic JS store; `pci3` = SAQ-A iframe mode. */
  javascriptScriptVersion?: string;
  iframe?: Pci3IframeOptions;
}

/**
 * `dataStorage/init` request (§4.1): fixed fingerprint order `customerId, shopId, orderIdent, returnUrl, language,
 * javascriptScriptVersion, secret`; the PCI3 iframe parameters follow the fingerprint and are not covered (§3.2).
 */
export function buildDataStorageInitRequest(credentials: MerchantCredentials, params: DataStorageInitParams): RequestFields {
  const fields: RequestFields = {};
  put(fields, 'customerId', credentials.customerId);
  put(fields, 'shopId', credentials.shopId);
  put(fields, 'orderIdent', params.orderIdent);
  put(fields, 'returnUrl', params.returnUrl);
  put(fields, 'language', params.language);
  put(fields, 'javascriptScriptVersion', params.javascriptScriptVersion);
  fields['requestFingerprint'] = fingerprint(DATA_STORAGE_INIT_ORDER, fields, credentials.secret, credentials.algorithm);
  const iframe = params.iframe ?? {};
  for (const name of PCI3_IFRAME_PARAMETERS) {
    const v = iframe[name];
    if (v !== undefined) fields[name] = typeof v === 'boolean' ? String(v) : v;
  }
  return fields;
}

export interface DataStorageReadParams {
  storageId: string;
  /** CCL sends it (not fingerprinted); QCS-EX does not (§6). */
  language?: string;
}

/** `dataStorage/read` request (§6): fixed order `customerId, shopId, storageId, secret`. */
export function buildDataStorageReadRequest(credentials: MerchantCredentials, params: DataStorageReadParams): RequestFields {
  const fields: RequestFields = {};
  put(fields, 'customerId', credentials.customerId);
  put(fields, 'shopId', credentials.shopId);
  put(fields, 'storageId', params.storageId);
  fields['requestFingerprint'] = fingerprint(DATA_STORAGE_READ_ORDER, fields, credentials.secret, credentials.algorithm);
  put(fields, 'language', params.language);
  return fields;
}

export interface DataStorageInitResponse {
  storageId: string;
  /** Load it with a `<script>` tag; never build it yourself (§2). */
  javascriptUrl: string;
}

/** Success iff `storageId` is present (§1.2). */
export function parseDataStorageInitResponse(fields: Readonly<Record<string, string>>): ParseResult<DataStorageInitResponse> {
  const storageId = nonEmpty(fields, 'storageId');
  if (storageId !== undefined) return { kind: 'ok', value: { storageId, javascriptUrl: own(fields, 'javascriptUrl') ?? '' } };
  if (hasErrorBlock(fields)) return { kind: 'declined', errors: parseErrors(fields) };
  return { kind: 'malformed', reason: 'neither storageId nor an error block' };
}

/** Anonymized stored payment data (§5.2, §6). `raw` keeps every sub-field as sent. */
export type PaymentInformation =
  | {
      kind: 'card';
      paymentType: string;
      anonymousPan?: string;
      maskedPan?: string;
      financialInstitution?: string;
      brand?: string;
      cardholdername?: string;
      /** `MM/YYYY` */
      expiry?: string;
      raw: Record<string, string>;
    }
  | {
      kind: 'sepa-dd';
      paymentType: string;
      accountOwner?: string;
      bankName?: string;
      bankCountry?: string;
      bankBic?: string;
      bankAccountIban?: string;
      raw: Record<string, string>;
    }
  | { kind: 'paybox'; paymentType: string; payerPayboxNumber?: string; raw: Record<string, string> }
  | { kind: 'giropay'; paymentType: string; accountOwner?: string; bankAccount?: string; bankNumber?: string; raw: Record<string, string> }
  | { kind: 'voucher'; paymentType: string; voucherId?: string; raw: Record<string, string> }
  | { kind: 'other'; paymentType: string; raw: Record<string, string> };

function pick<K extends string>(raw: Record<string, string>, names: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const n of names) if (Object.prototype.hasOwnProperty.call(raw, n)) out[n] = raw[n];
  return out;
}

export function toPaymentInformation(raw: Record<string, string>): PaymentInformation {
  const paymentType = raw['paymentType'] ?? '';
  switch (paymentType.toUpperCase()) {
    case 'CCARD':
    case 'CCARD-MOTO':
    case 'MAESTRO':
      return { kind: 'card', paymentType, ...pick(raw, ['anonymousPan', 'maskedPan', 'financialInstitution', 'brand', 'cardholdername', 'expiry']), raw };
    case 'SEPA-DD':
      return { kind: 'sepa-dd', paymentType, ...pick(raw, ['accountOwner', 'bankName', 'bankCountry', 'bankBic', 'bankAccountIban']), raw };
    case 'PBX':
      return { kind: 'paybox', paymentType, ...pick(raw, ['payerPayboxNumber']), raw };
    case 'GIROPAY':
      return { kind: 'giropay', paymentType, ...pick(raw, ['accountOwner', 'bankAccount', 'bankNumber']), raw };
    case 'VOUCHER':
      return { kind: 'voucher', paymentType, ...pick(raw, ['voucherId']), raw };
    default:
      return { kind: 'other', paymentType, raw };
  }
}

/**
 * Read outcome (CCL mapping, §6): storageId present → the storage exists (with or without stored entries);
 * no storageId and no errors → it does not exist (unknown or expired).
 */
export type DataStorageReadResponse =
  | { exists: true; storageId: string; javascriptUrl?: string; paymentInformations: PaymentInformation[] }
  | { exists: false };

export function parseDataStorageReadResponse(fields: Readonly<Record<string, string>>): ParseResult<DataStorageReadResponse> {
  const storageId = nonEmpty(fields, 'storageId');
  if (storageId !== undefined) {
    const count = parseCount(own(fields, 'paymentInformations'));
    const list = listAt(fields, 'paymentInformation', count).map(toPaymentInformation);
    const value: DataStorageReadResponse = { exists: true, storageId, paymentInformations: list };
    const js = own(fields, 'javascriptUrl');
    if (js !== undefined) value.javascriptUrl = js;
    return { kind: 'ok', value };
  }
  if (hasErrorBlock(fields)) return { kind: 'declined', errors: parseErrors(fields) };
  return { kind: 'ok', value: { exists: false } };
}

/** Encodes a read answer (simulator side): `storageId`, optional `javascriptUrl`, `paymentInformations=N` and entries. */
export function encodeDataStorageReadResponse(storageId: string, entries: readonly Record<string, string>[], javascriptUrl?: string): RequestFields {
  const out: RequestFields = { storageId };
  put(out, 'javascriptUrl', javascriptUrl);
  out['paymentInformations'] = String(entries.length);
  entries.forEach((e, i) => {
    for (const [k, v] of Object.entries(e)) out[`paymentInformation.${i + 1}.${k}`] = v;
  });
  return out;
}
