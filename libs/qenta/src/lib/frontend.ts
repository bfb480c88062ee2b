import { nonEmpty, put, QentaUsageError, type MerchantCredentials, type RequestFields } from './common';
import { hasErrorBlock, parseErrors, type ParseResult } from './errors';
import { fingerprint, SECRET } from './fingerprint';

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** paymentType values (§7.5); other strings are accepted too. */
export const PAYMENT_TYPES = [
  'BANCONTACT_MISTERCASH', 'CCARD', 'CCARD-MOTO', 'EKONTO', 'EPAY_BG', 'EPS', 'GIROPAY', 'IDL', 'INSTALLMENT', 'INVOICE',
  'MAESTRO', 'MASTERPASS', 'MONETA', 'MPASS', 'PRZELEWY24', 'PAYPAL', 'PBX', 'POLI', 'PSC', 'QUICK', 'SEPA-DD', 'ELV',
  'SKRILLDIRECT', 'SKRILLWALLET', 'SOFORTUEBERWEISUNG', 'TATRAPAY', 'TRUSTLY', 'TRUSTPAY', 'VOUCHER', 'AFTERPAY',
  'CRYPTO', 'CVSPHARMACY', 'DOLLARGENERAL', 'CIRCLEK', 'OPENBUCKSCARD', 'PAGOEFECTIVO', 'SAFETYPAY',
] as const;
// `string & {}` keeps editor completion for the known values while allowing any string.
export type PaymentType = (typeof PAYMENT_TYPES)[number] | (string & {});

/** `consumer{Billing|Shipping}*` (§7.2). */
export interface ConsumerAddress {
  firstname?: string;
  lastname?: string;
  address1?: string;
  address2?: string;
  city?: string;
  country?: string;
  state?: string;
  zipCode?: string;
  phone?: string;
  fax?: string;
}
const ADDRESS_FIELDS = ['firstname', 'lastname', 'address1', 'address2', 'city', 'country', 'state', 'zipCode', 'phone', 'fax'] as const;

/** Consumer data (§7.2); each becomes `consumer<Name>`. */
export interface ConsumerData {
  email?: string;
  /** `YYYY-MM-DD` */
  birthDate?: string;
  taxIdentificationNumber?: string;
  driversLicenseNumber?: string;
  driversLicenseCountry?: string;
  driversLicenseState?: string;
  /** CCL sends md5 of the consumer's e-mail (§7.1). */
  merchantCrmId?: string;
  billing?: ConsumerAddress;
  shipping?: ConsumerAddress;
}
const CONSUMER_FIELDS = ['email', 'birthDate', 'taxIdentificationNumber', 'driversLicenseNumber', 'driversLicenseCountry', 'driversLicenseState', 'merchantCrmId'] as const;

/** One basket item (§7.3); amounts are decimal strings. */
export interface BasketItem {
  articleNumber: string;
  quantity: number;
  name?: string;
  description?: string;
  imageUrl?: string;
  unitGrossAmount: string;
  unitNetAmount: string;
  unitTaxAmount: string;
  unitTaxRate: string;
}
const BASKET_ITEM_FIELDS = ['articleNumber', 'quantity', 'name', 'description', 'imageUrl', 'unitGrossAmount', 'unitNetAmount', 'unitTaxAmount', 'unitTaxRate'] as const;

/**
 * Basket fields (§7.3): `basketItems=N`, then per item `basketItem{n}ArticleNumber, Quantity, Name, Description,
 * ImageUrl, UnitGrossAmount, UnitNetAmount, UnitTaxAmount, UnitTaxRate` (QCS-EX casing). Throws
 * {@link QentaUsageError} for a quantity that is not a non-negative integer.
 */
export function encodeBasket(items: readonly BasketItem[]): RequestFields {
  const fields: RequestFields = { basketItems: String(items.length) };
  items.forEach((item, i) => {
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 0) throw new QentaUsageError(`basket item ${i + 1}: quantity must be a non-negative integer`);
    for (const n of BASKET_ITEM_FIELDS) {
      const v = item[n];
      put(fields, `basketItem${i + 1}${cap(n)}`, v === undefined ? undefined : String(v));
    }
  });
  return fields;
}

export interface FrontendInitParams {
  language: string;
  paymentType?: PaymentType;
  /** Decimal string (`.` or `,` separator, no thousands separator), never a float. */
  amount: string;
  currency: string;
  orderDescription: string;
  successUrl: string;
  /** Required for Seamless (§7.1); the confirmation target. */
  confirmUrl: string;
  cancelUrl?: string;
  failureUrl?: string;
  serviceUrl?: string;
  pendingUrl?: string;
  noScriptInfoUrl?: string;
  consumerIpAddress: string;
  consumerUserAgent: string;
  storageId?: string;
  orderIdent?: string;
  orderNumber?: string;
  orderReference?: string;
  customerStatement?: string;
  duplicateRequestCheck?: 'yes' | 'no';
  autoDeposit?: 'yes' | 'no';
  transactionIdentifier?: 'SINGLE' | 'INITIAL';
  confirmMail?: string;
  financialInstitution?: string;
  pluginVersion?: string;
  cssUrl?: string;
  riskSuppress?: string;
  riskConfigAlias?: string;
  /** Never fingerprinted (CCL sets it without fingerprint). */
  windowName?: string;
  consumer?: ConsumerData;
  basket?: readonly BasketItem[];
  /** Echoed unchanged to confirmUrl only (§7.4). Names must not clash with protocol names. */
  customParameters?: Readonly<Record<string, string>>;
}

/**
 * Core parameters in the order the builder signs them. The first sixteen follow the HITFOX recording (vector E
 * in §3.5), so that request reproduces bit for bit; the rest follow.
 */
export const FRONTEND_CORE_ORDER = [
  'customerId', 'shopId', 'orderNumber', 'language', 'currency', 'successUrl', 'failureUrl', 'cancelUrl', 'serviceUrl',
  'confirmUrl', 'paymentType', 'storageId', 'amount', 'orderDescription', 'consumerIpAddress', 'consumerUserAgent',
  'orderIdent', 'pendingUrl', 'noScriptInfoUrl', 'financialInstitution', 'orderReference', 'customerStatement',
  'duplicateRequestCheck', 'autoDeposit', 'transactionIdentifier', 'confirmMail', 'pluginVersion', 'cssUrl',
  'riskSuppress', 'riskConfigAlias',
] as const;
type CoreParam = Exclude<(typeof FRONTEND_CORE_ORDER)[number], 'customerId' | 'shopId'>;

/** Names used by the protocol itself; custom parameters may not use them (compared case-insensitively). */
const RESERVED = new Set(
  [
    ...FRONTEND_CORE_ORDER,
    'windowName', 'requestFingerprint', 'requestFingerprintOrder', SECRET, 'basketItems', 'basketAmount', 'basketCurrency',
    'paymentState', 'responseFingerprint', 'responseFingerprintOrder', 'gatewayReferenceNumber', 'gatewayContractNumber',
  ].map((n) => n.toLowerCase()),
);

/** True for consumer-data and basket names, which are signed whenever sent (§3.3). */
export function isConsumerOrBasketField(name: string): boolean {
  // consumercompany*: CCL's odd casing for company data (§7.2).
  return /^consumer[A-Z]/.test(name) || name.startsWith('consumercompany') || /^basketItem(s$|[0-9])/.test(name);
}

/**
 * `frontend/init` request (§7). Signs every field sent except `windowName` (CCL behaviour; the gateway rejects
 * sent-but-unsigned optional fields, §3.3), followed by `requestFingerprintOrder` and `secret`. Fields come back in
 * wire order: signed fields, `requestFingerprintOrder`, `windowName`, `requestFingerprint`.
 * Throws {@link QentaUsageError} for unusable names (custom parameter clashing with a protocol name, containing a
 * comma) or a non-integer basket quantity.
 */
export function buildFrontendInitRequest(credentials: MerchantCredentials, params: FrontendInitParams): RequestFields {
  const fields: RequestFields = {};
  put(fields, 'customerId', credentials.customerId);
  put(fields, 'shopId', credentials.shopId);
  for (const name of FRONTEND_CORE_ORDER) {
    if (name === 'customerId' || name === 'shopId') continue;
    put(fields, name, params[name as CoreParam]);
  }
  const c = params.consumer;
  if (c) {
    for (const n of CONSUMER_FIELDS) put(fields, 'consumer' + cap(n), c[n]);
    for (const [kind, addr] of [['Billing', c.billing], ['Shipping', c.shipping]] as const) {
      if (addr) for (const n of ADDRESS_FIELDS) put(fields, `consumer${kind}${cap(n)}`, addr[n]);
    }
  }
  if (params.basket) Object.assign(fields, encodeBasket(params.basket));
  for (const [name, value] of Object.entries(params.customParameters ?? {})) {
    if (name === '' || name.includes(',') || RESERVED.has(name.toLowerCase()) || isConsumerOrBasketField(name)) {
      throw new QentaUsageError(`custom parameter name "${name}" is empty, contains a comma or clashes with a protocol name`);
    }
    fields[name] = value;
  }
  const order = [...Object.keys(fields), 'requestFingerprintOrder', SECRET];
  fields['requestFingerprintOrder'] = order.join(',');
  fields['requestFingerprint'] = fingerprint(order, fields, credentials.secret, credentials.algorithm);
  if (params.windowName !== undefined) {
    // Keep requestFingerprint last on the wire; windowName sits outside the fingerprint.
    const fp = fields['requestFingerprint'];
    delete fields['requestFingerprint'];
    fields['windowName'] = params.windowName;
    fields['requestFingerprint'] = fp;
  }
  return fields;
}

export interface FrontendInitResponse {
  /** Where to send the consumer (top window, or the iframe/popup named by windowName). */
  redirectUrl: string;
}

/** Success iff `redirectUrl` is present (§1.2). */
export function parseFrontendInitResponse(fields: Readonly<Record<string, string>>): ParseResult<FrontendInitResponse> {
  const redirectUrl = nonEmpty(fields, 'redirectUrl');
  if (redirectUrl !== undefined) return { kind: 'ok', value: { redirectUrl } };
  if (hasErrorBlock(fields)) return { kind: 'declined', errors: parseErrors(fields) };
  return { kind: 'malformed', reason: 'neither redirectUrl nor an error block' };
}
