import { isIP } from 'node:net';
import type { BasketItem, ConsumerAddress, InitPaymentRequest } from '@seamless-ops/contracts';
import { PAYMENT_TYPES } from '@seamless-ops/qenta';
import { amountProblem, minorUnits } from './currencies';
import { LANGUAGE, LANGUAGE_HINT, ORDER_IDENT, ORDER_IDENT_HINT, STORAGE_ID, Validator, type JsonObject } from './validation';

/** Payment types whose data the consumer stores in a data storage first (PROTOCOL.md §4). */
export const STORAGE_PAYMENT_TYPES: readonly string[] = ['CCARD', 'CCARD-MOTO', 'MAESTRO', 'SEPA-DD', 'GIROPAY'];

export function isStorageBacked(paymentType: string): boolean {
  return STORAGE_PAYMENT_TYPES.includes(paymentType);
}

const REQUEST_FIELDS = [
  'storageId', 'orderIdent', 'amount', 'currency', 'paymentType', 'orderDescription', 'consumerIpAddress', 'consumerUserAgent', 'language',
  'orderReference', 'customerStatement', 'financialInstitution', 'consumerEmail', 'billingAddress', 'shippingAddress', 'basket',
] as const satisfies readonly (keyof InitPaymentRequest)[];
const ADDRESS_FIELDS = ['firstname', 'lastname', 'address1', 'address2', 'city', 'country', 'state', 'zipCode', 'phone'] as const satisfies readonly (keyof ConsumerAddress)[];
const BASKET_FIELDS = [
  'articleNumber', 'quantity', 'name', 'description', 'imageUrl', 'unitGrossAmount', 'unitNetAmount', 'unitTaxAmount', 'unitTaxRate',
] as const satisfies readonly (keyof BasketItem)[];
export const MAX_BASKET_ITEMS = 100;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const URL_HINT = 'be an http(s) URL';

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * `POST /api/checkout/payments` body (contract InitPaymentRequest): every problem found, or the request with
 * the fields that were given. Storage ownership and state are checked against the database afterwards.
 */
export function parseInitPaymentRequest(body: unknown): { request?: InitPaymentRequest; problems: string[] } {
  const v = new Validator();
  if (body === undefined) return { problems: ['a JSON body is required'] };
  const o = v.object(body, 'body', REQUEST_FIELDS);
  if (!o) return { problems: v.problems };

  const paymentType = v.oneOf(o, 'paymentType', 'body', PAYMENT_TYPES, { required: true, what: 'payment type' });
  const currencyRaw = v.string(o, 'currency', 'body', { required: true, max: 3, pattern: /^[A-Z]{3}$/, hint: 'be an ISO 4217 code in upper case, e.g. EUR' });
  const minor = currencyRaw === undefined ? undefined : minorUnits(currencyRaw);
  if (currencyRaw !== undefined && minor === undefined) v.problem(`currency "${currencyRaw}" is not a known ISO 4217 currency`);
  const currency = minor === undefined ? undefined : currencyRaw;
  const amount = v.string(o, 'amount', 'body', { required: true, max: 32 });
  if (amount !== undefined && currency !== undefined && minor !== undefined) {
    const problem = amountProblem(amount, currency, minor);
    if (problem) v.problem(`amount ${problem}`);
  }

  const storageId = v.string(o, 'storageId', 'body', { max: 64, pattern: STORAGE_ID, hint: 'be the storageId answered by POST /api/checkout/storages' });
  if (paymentType !== undefined) {
    if (isStorageBacked(paymentType) && storageId === undefined && !v.problems.some((p) => p.startsWith('storageId'))) {
      v.problem(`storageId is required for payment type ${paymentType}`);
    }
    if (!isStorageBacked(paymentType) && storageId !== undefined) {
      v.problem(`storageId is only used with payment types ${STORAGE_PAYMENT_TYPES.join(', ')} (got ${paymentType})`);
    }
  }
  const orderIdent = v.string(o, 'orderIdent', 'body', { max: 64, pattern: ORDER_IDENT, hint: ORDER_IDENT_HINT });
  const orderDescription = v.string(o, 'orderDescription', 'body', { required: true, max: 255 });
  const consumerIpAddress = v.string(o, 'consumerIpAddress', 'body', { required: true, max: 45 });
  if (consumerIpAddress !== undefined && isIP(consumerIpAddress) === 0) v.problem(`consumerIpAddress must be an IPv4 or IPv6 address (got "${consumerIpAddress}")`);
  const consumerUserAgent = v.string(o, 'consumerUserAgent', 'body', { required: true, max: 1024 });
  const language = v.string(o, 'language', 'body', { max: 2, pattern: LANGUAGE, hint: LANGUAGE_HINT });
  const orderReference = v.string(o, 'orderReference', 'body', { max: 128 });
  const customerStatement = v.string(o, 'customerStatement', 'body', { max: 254 });
  const financialInstitution = v.string(o, 'financialInstitution', 'body', { max: 64 });
  const consumerEmail = v.string(o, 'consumerEmail', 'body', { max: 127, pattern: EMAIL, hint: 'be an e-mail address' });
  const billingAddress = address(v, o, 'billingAddress');
  const shippingAddress = address(v, o, 'shippingAddress');
  const basket = basketItems(v, o, currency, minor);

  if (v.problems.length) return { problems: v.problems };
  const request: InitPaymentRequest = {
    amount: amount as string,
    currency: currency as string,
    paymentType: paymentType as string,
    orderDescription: orderDescription as string,
    consumerIpAddress: consumerIpAddress as string,
    consumerUserAgent: consumerUserAgent as string,
  };
  const optional = { storageId, orderIdent, language: language?.toLowerCase(), orderReference, customerStatement, financialInstitution, consumerEmail };
  for (const [k, value] of Object.entries(optional)) if (value !== undefined) (request as unknown as Record<string, unknown>)[k] = value;
  if (billingAddress) request.billingAddress = billingAddress;
  if (shippingAddress) request.shippingAddress = shippingAddress;
  if (basket) request.basket = basket;
  return { request, problems: [] };
}

function address(v: Validator, o: JsonObject, key: 'billingAddress' | 'shippingAddress'): ConsumerAddress | undefined {
  if (o[key] === undefined || o[key] === null) return undefined;
  const a = v.object(o[key], key, ADDRESS_FIELDS);
  if (!a) return undefined;
  const out: ConsumerAddress = {};
  for (const f of ADDRESS_FIELDS) {
    const rule = f === 'country' ? { max: 2, pattern: /^[A-Za-z]{2}$/, hint: 'be an ISO 3166 alpha-2 code, e.g. AT' } : { max: 255 };
    const value = v.string(a, f, key, rule);
    if (value !== undefined) out[f] = f === 'country' ? value.toUpperCase() : value;
  }
  return out;
}

function basketItems(v: Validator, o: JsonObject, currency: string | undefined, minor: number | undefined): BasketItem[] | undefined {
  const raw = o['basket'];
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_BASKET_ITEMS) {
    v.problem(`basket must be an array of 1 to ${MAX_BASKET_ITEMS} items`);
    return undefined;
  }
  const items: BasketItem[] = [];
  raw.forEach((entry: unknown, i) => {
    const where = `basket[${i}]`;
    const item = v.object(entry, where, BASKET_FIELDS);
    if (!item) return;
    const quantity = item['quantity'];
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000) {
      v.problem(`${where}.quantity must be an integer from 1 to 1000000`);
    }
    const out: Partial<BasketItem> = { quantity: quantity as number };
    out.articleNumber = v.string(item, 'articleNumber', where, { required: true, max: 64 });
    out.name = v.string(item, 'name', where, { required: true, max: 255 });
    const description = v.string(item, 'description', where, { max: 255 });
    const imageUrl = v.string(item, 'imageUrl', where, { max: 2048 });
    if (imageUrl !== undefined && !isHttpUrl(imageUrl)) v.problem(`${where}.imageUrl must ${URL_HINT}`);
    for (const f of ['unitGrossAmount', 'unitNetAmount', 'unitTaxAmount'] as const) {
      const value = v.string(item, f, where, { required: true, max: 32 });
      if (value !== undefined && currency !== undefined && minor !== undefined) {
        const problem = amountProblem(value, currency, minor, { allowZero: true });
        if (problem) v.problem(`${where}.${f} ${problem}`);
      }
      out[f] = value;
    }
    out.unitTaxRate = v.string(item, 'unitTaxRate', where, { required: true, max: 7, pattern: /^[0-9]{1,3}(\.[0-9]{1,3})?$/, hint: 'be a percentage such as "20" or "7.5"' });
    if (description !== undefined) out.description = description;
    if (imageUrl !== undefined) out.imageUrl = imageUrl;
    items.push(out as BasketItem);
  });
  return items;
}
