import { nonEmpty, own, put, splitList, type MerchantCredentials, type RequestFields } from './common';
import { IDEAL_FIELDS, PAYPAL_FIELDS, SOFORT_FIELDS, type OptionalFields } from './confirmation';
import { parseBackendStatus, parseErrors, type ParseResult } from './errors';
import { fingerprint } from './fingerprint';
import { encodeBasket, type BasketItem } from './frontend';
import { backendFingerprintOrder, type BackendOperation, type FundTransferType } from './orders';
import { listAt, parseCount } from './serial';

/** Back-end calls additionally need the back-end password and a language (§9.1). */
export interface BackendCredentials extends MerchantCredentials {
  password: string;
}

export type TransferFundTarget =
  | { fundTransferType: 'EXISTINGORDER'; sourceOrderNumber: string }
  | { fundTransferType: 'SKRILLWALLET'; consumerEmail: string }
  | { fundTransferType: 'MONETA'; consumerWalletId: string }
  | { fundTransferType: 'SEPA-CT'; bankAccountOwner: string; bankBic: string; bankAccountIban: string };

/** One back-end request (§9.3). Amounts are decimal strings. */
export type BackendRequest =
  | { operation: 'getOrderDetails'; orderNumber: string }
  | { operation: 'deposit'; orderNumber: string; amount: string; currency: string; basket?: readonly BasketItem[] }
  | { operation: 'depositReversal'; orderNumber: string; paymentNumber: string }
  | { operation: 'approveReversal'; orderNumber: string }
  | { operation: 'refund'; orderNumber: string; amount: string; currency: string; basket?: readonly BasketItem[] }
  | { operation: 'refundReversal'; orderNumber: string; creditNumber: string }
  | {
      operation: 'recurPayment';
      orderNumber?: string;
      sourceOrderNumber: string;
      autoDeposit?: 'yes' | 'no';
      orderDescription: string;
      amount: string;
      currency: string;
      orderReference?: string;
      customerStatement?: string;
    }
  | {
      operation: 'transferFund';
      orderNumber?: string;
      creditNumber?: string;
      orderDescription: string;
      amount: string;
      currency: string;
      orderReference?: string;
      customerStatement?: string;
      transfer: TransferFundTarget;
    }
  | { operation: 'generateOrderNumber' };

/**
 * Builds a back-end request (§9): fields in fingerprint order `customerId, shopId, password, secret, language` +
 * operation fields (+ basket for deposit/refund), then `requestFingerprint`. No `command` field (WCS-BE, HITFOX).
 */
export function buildBackendRequest(credentials: BackendCredentials, language: string, request: BackendRequest): RequestFields {
  const fields: RequestFields = {};
  put(fields, 'customerId', credentials.customerId);
  put(fields, 'shopId', credentials.shopId);
  put(fields, 'password', credentials.password);
  put(fields, 'language', language);
  const source = request as unknown as Readonly<Record<string, unknown>>;
  const type: FundTransferType | undefined = request.operation === 'transferFund' ? request.transfer.fundTransferType : undefined;
  const order = backendFingerprintOrder(request.operation, type);
  const extra = request.operation === 'transferFund' ? (request.transfer as unknown as Readonly<Record<string, unknown>>) : {};
  const has = (o: object, n: string): boolean => Object.prototype.hasOwnProperty.call(o, n);
  for (const name of order) {
    if (has(fields, name) || name === 'secret') continue;
    const v = has(extra, name) ? extra[name] : source[name];
    if (typeof v === 'string') fields[name] = v;
  }
  if ((request.operation === 'deposit' || request.operation === 'refund') && request.basket) {
    const basket = encodeBasket(request.basket);
    Object.assign(fields, basket);
    order.push(...Object.keys(basket));
  }
  fields['requestFingerprint'] = fingerprint(order, fields, credentials.secret, credentials.algorithm);
  return fields;
}

// ---------------------------------------------------------------------------------------------------------------
// Timestamps: `DD.MM.YYYY HH:MM:SS` in gateway-local time (§9.4). The zone is not documented; Europe/Vienna is the
// natural assumption for an Austrian gateway.

export interface QentaTimestamp {
  /** As sent, e.g. `30.07.2015 10:52:53`. */
  raw: string;
  /** `2015-07-30T10:52:53` (no zone: gateway-local), or undefined when `raw` does not have the expected shape. */
  local?: string;
}

const TIMESTAMP = /^(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

export function parseQentaTimestamp(raw: string): QentaTimestamp {
  const m = TIMESTAMP.exec(raw);
  if (!m) return { raw };
  const [, dd, mm, yyyy, hh, mi, ss] = m as unknown as [string, string, string, string, string, string, string];
  const [d, mo, h, min, s] = [Number(dd), Number(mm), Number(hh), Number(mi), Number(ss)];
  const probe = new Date(Date.UTC(Number(yyyy), mo - 1, d, h, min, s));
  if (mo < 1 || mo > 12 || probe.getUTCDate() !== d || h > 23 || min > 59 || s > 59) return { raw };
  return { raw, local: `${yyyy}-${mm}-${dd}T${hh}:${mi}:${ss}` };
}

function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - utcMs;
}

/** Interprets a gateway-local timestamp in `timeZone` (default Europe/Vienna); undefined when unparseable. */
export function qentaTimestampToDate(ts: QentaTimestamp | string, timeZone = 'Europe/Vienna'): Date | undefined {
  const local = typeof ts === 'string' ? parseQentaTimestamp(ts).local : ts.local;
  if (local === undefined) return undefined;
  const asUtc = Date.parse(local + 'Z');
  let guess = asUtc - zoneOffsetMs(asUtc, timeZone);
  guess = asUtc - zoneOffsetMs(guess, timeZone);
  return new Date(guess);
}

/** Formats a date as `DD.MM.YYYY HH:MM:SS` in `timeZone` (simulator side). */
export function formatQentaTimestamp(date: Date, timeZone = 'Europe/Vienna'): string {
  const local = new Date(date.getTime() + zoneOffsetMs(date.getTime(), timeZone));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(local.getUTCDate())}.${p(local.getUTCMonth() + 1)}.${local.getUTCFullYear()} ${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}`;
}

// ---------------------------------------------------------------------------------------------------------------
// getOrderDetails (§9.4)

const ORDER_FIELDS = [
  'merchantNumber', 'orderNumber', 'paymentType', 'brand', 'amount', 'approveAmount', 'depositAmount', 'refundAmount',
  'currency', 'orderDescription', 'orderReference', 'customerStatement', 'orderText', 'acquirer', 'contractNumber', 'state',
  'sourceOrderNumber',
] as const;
const PAYMENT_FIELDS = [
  'merchantNumber', 'paymentNumber', 'orderNumber', 'paymentType', 'approveAmount', 'depositAmount', 'currency', 'state',
  'approvalCode', 'batchNumber', 'gatewayReferenceNumber', 'avsResultCode', 'avsResultMessage',
] as const;
const CREDIT_FIELDS = ['merchantNumber', 'creditNumber', 'orderNumber', 'batchNumber', 'amount', 'currency', 'state', 'gatewayReferenceNumber'] as const;

interface Lifecycle {
  /** `DEPOSIT`, `APPROVEREVERSAL`, `REFUND`, …; empty when nothing is allowed. */
  operationsAllowed: string[];
  timeCreated?: QentaTimestamp;
  timeModified?: QentaTimestamp;
  /** Every field as sent. */
  raw: Record<string, string>;
}

/** Back-end paymentType codes differ from frontend ones: `VPG`, `APG`, `SCM`, `SUE`, `PPL`, `PSC`, `IDL`, … */
export type OrderPayment = OptionalFields<typeof PAYMENT_FIELDS> &
  Lifecycle & {
    paypal?: OptionalFields<typeof PAYPAL_FIELDS>;
    sofort?: OptionalFields<typeof SOFORT_FIELDS>;
    ideal?: OptionalFields<typeof IDEAL_FIELDS>;
  };

export type OrderCredit = OptionalFields<typeof CREDIT_FIELDS> & Lifecycle;

/** `state` e.g. `ORDERED`, `REFUNDABLE`; amounts are strings like `1.00`. */
export type OrderDetails = OptionalFields<typeof ORDER_FIELDS> &
  Lifecycle & {
    payments: OrderPayment[];
    credits: OrderCredit[];
  };

export interface GetOrderDetailsResponse {
  objectsTotal?: number;
  orders: OrderDetails[];
}

function pickRaw<T extends readonly string[]>(raw: Record<string, string>, names: T): OptionalFields<T> {
  const out: Record<string, string> = {};
  for (const n of names) if (Object.prototype.hasOwnProperty.call(raw, n)) out[n] = raw[n] as string;
  return out as OptionalFields<T>;
}

function pickIfAny<T extends readonly string[]>(raw: Record<string, string>, names: T): OptionalFields<T> | undefined {
  const out = pickRaw(raw, names);
  return Object.keys(out).length > 0 ? out : undefined;
}

function lifecycle(raw: Record<string, string>): Lifecycle {
  const l: Lifecycle = { operationsAllowed: splitList(raw['operationsAllowed']), raw };
  if (raw['timeCreated'] !== undefined) l.timeCreated = parseQentaTimestamp(raw['timeCreated']);
  if (raw['timeModified'] !== undefined) l.timeModified = parseQentaTimestamp(raw['timeModified']);
  return l;
}

function toPayment(raw: Record<string, string>): OrderPayment {
  const p: OrderPayment = { ...pickRaw(raw, PAYMENT_FIELDS), ...lifecycle(raw) };
  const paypal = pickIfAny(raw, PAYPAL_FIELDS);
  if (paypal) p.paypal = paypal;
  const sofort = pickIfAny(raw, SOFORT_FIELDS);
  if (sofort) p.sofort = sofort;
  const ideal = pickIfAny(raw, IDEAL_FIELDS);
  if (ideal) p.ideal = ideal;
  return p;
}

function parseOrders(fields: Readonly<Record<string, string>>): GetOrderDetailsResponse {
  const orders = listAt(fields, 'order', parseCount(own(fields, 'orders'))).map((raw, i): OrderDetails => {
    const n = i + 1;
    return {
      ...pickRaw(raw, ORDER_FIELDS),
      ...lifecycle(raw),
      payments: listAt(fields, `payment.${n}`, parseCount(raw['payments'])).map(toPayment),
      credits: listAt(fields, `credit.${n}`, parseCount(raw['credits'])).map((c): OrderCredit => ({ ...pickRaw(c, CREDIT_FIELDS), ...lifecycle(c) })),
    };
  });
  const out: GetOrderDetailsResponse = { orders };
  const total = parseCount(own(fields, 'objectsTotal'));
  if (total !== undefined) out.objectsTotal = total;
  return out;
}

/** What a successful answer carries, per operation (§9.3). */
export interface BackendResponseMap {
  getOrderDetails: GetOrderDetailsResponse;
  deposit: { paymentNumber?: string };
  depositReversal: Record<string, never>;
  approveReversal: Record<string, never>;
  refund: { creditNumber?: string };
  refundReversal: Record<string, never>;
  recurPayment: { orderNumber?: string };
  transferFund: { creditNumber?: string };
  generateOrderNumber: { orderNumber?: string };
}

/**
 * Success iff `status=0` (§1.2). `status` 1–4 → declined with the error block; a missing or unknown status →
 * malformed (outcome unknown). Never throws.
 */
export function parseBackendResponse<O extends BackendOperation>(operation: O, fields: Readonly<Record<string, string>>): ParseResult<BackendResponseMap[O]> {
  const status = parseBackendStatus(own(fields, 'status'));
  if (status === undefined) return { kind: 'malformed', reason: `missing or unknown status ${JSON.stringify((own(fields, 'status') ?? '').slice(0, 20))}` };
  if (status !== 0) return { kind: 'declined', errors: parseErrors(fields), status };
  const value = ((): BackendResponseMap[BackendOperation] => {
    switch (operation) {
      case 'getOrderDetails':
        return parseOrders(fields);
      case 'deposit':
        return optional('paymentNumber', fields);
      case 'refund':
      case 'transferFund':
        return optional('creditNumber', fields);
      case 'recurPayment':
      case 'generateOrderNumber':
        return optional('orderNumber', fields);
      default:
        return {};
    }
  })();
  return { kind: 'ok', value: value as BackendResponseMap[O] };
}

function optional<K extends string>(name: K, fields: Readonly<Record<string, string>>): { [P in K]?: string } {
  const v = nonEmpty(fields, name);
  return (v === undefined ? {} : { [name]: v }) as { [P in K]?: string };
}

/** Input for {@link encodeOrderDetailsResponse}: raw field values per object (counts are added). */
export interface OrderDetailsRecord {
  order: Readonly<Record<string, string>>;
  payments?: readonly Readonly<Record<string, string>>[];
  credits?: readonly Readonly<Record<string, string>>[];
}

/**
 * Encodes a getOrderDetails answer (simulator side) in the recorded shape (§9.4):
 * `status=0&orders=N&objectsTotal=N&order.N.*&payment.N.M.*&credit.N.M.*`. Lists such as operationsAllowed are
 * passed as comma strings; the form encoder percent-encodes the commas.
 */
export function encodeOrderDetailsResponse(records: readonly OrderDetailsRecord[]): RequestFields {
  const out: RequestFields = { status: '0', orders: String(records.length), objectsTotal: String(records.length) };
  records.forEach((r, i) => {
    const n = i + 1;
    for (const [k, v] of Object.entries(r.order)) out[`order.${n}.${k}`] = v;
    out[`order.${n}.payments`] = String(r.payments?.length ?? 0);
    out[`order.${n}.credits`] = String(r.credits?.length ?? 0);
    (r.payments ?? []).forEach((p, j) => {
      for (const [k, v] of Object.entries(p)) out[`payment.${n}.${j + 1}.${k}`] = v;
    });
    (r.credits ?? []).forEach((c, j) => {
      for (const [k, v] of Object.entries(c)) out[`credit.${n}.${j + 1}.${k}`] = v;
    });
  });
  return out;
}
