import { QentaUsageError, type MerchantCredentials, type RequestFields } from './common';
import type { BackendRequest, BackendResponseMap } from './backend';
import { buildBackendRequest, parseBackendResponse } from './backend';
import {
  buildDataStorageInitRequest,
  buildDataStorageReadRequest,
  parseDataStorageInitResponse,
  parseDataStorageReadResponse,
  type DataStorageInitParams,
  type DataStorageInitResponse,
  type DataStorageReadResponse,
} from './data-storage';
import type { BackendStatus, GatewayError, ParseResult } from './errors';
import { decodeForm, encodeForm, FormDecodeError, type FormFields } from './form-codec';
import { buildFrontendInitRequest, parseFrontendInitResponse, type FrontendInitParams, type FrontendInitResponse } from './frontend';
import type { BackendOperation } from './orders';

/** Base URLs (§0). */
export const SIMULATOR_BASE_URL = 'http://127.0.0.1:3100/seamless';
export const QENTA_BASE_URL = 'https://api.qenta.com/seamless';
export const HOBEX_BASE_URL = 'https://papi.hobex.at/seamless';
/** Wirecard era (2015 → 2020), for reference. */
export const WIRECARD_BASE_URL = 'https://checkout.wirecard.com/seamless';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_USER_AGENT = 'seamless-ops/qenta';

export interface QentaClientOptions {
  baseUrl: string;
  /** `password` is needed for back-end calls only. */
  credentials: MerchantCredentials & { password?: string };
  /** Per-call timeout covering connect, headers and body (default 10 s). */
  timeoutMs?: number;
  userAgent?: string;
  /** Defaults to global fetch; injectable for tests. */
  fetch?: typeof fetch;
}

export interface CallOptions {
  timeoutMs?: number;
  /** Caller's own cancellation, combined with the timeout. */
  signal?: AbortSignal;
}

export interface HttpExchange {
  url: string;
  /** Request fields as sent (contain `password` for back-end calls: sanitize before storing). */
  request: FormFields;
  httpStatus?: number;
  /** Raw response body (may contain masked card data; sanitize before storing). */
  body?: string;
  durationMs: number;
}

export type UnknownReason = 'timeout' | 'network' | 'aborted' | 'http_status' | 'forbidden' | 'empty_body' | 'unparseable';

/**
 * Three outcomes, never thrown:
 * - `success`: the gateway accepted the call;
 * - `declined`: the gateway said no (error block, back-end status ≠ 0) — safe to treat as not done;
 * - `unknown`: we cannot tell (timeout, network error, HTTP ≠ 2xx incl. 403 for wrong headers, empty or
 *   unparseable body, no success marker) — the call may or may not have taken effect.
 */
export type GatewayResult<T> =
  | { outcome: 'success'; value: T; exchange: HttpExchange }
  | { outcome: 'declined'; errors: GatewayError[]; status?: BackendStatus; exchange: HttpExchange }
  | { outcome: 'unknown'; reason: UnknownReason; detail: string; exchange: HttpExchange };

/** Gateway client over global fetch. Throws only for programmer errors (see {@link QentaUsageError}). */
export class QentaClient {
  private readonly baseUrl: string;

  constructor(private readonly options: QentaClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new QentaUsageError(`invalid baseUrl ${JSON.stringify(options.baseUrl)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new QentaUsageError('baseUrl must be http(s)');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  dataStorageInit(params: DataStorageInitParams, call?: CallOptions): Promise<GatewayResult<DataStorageInitResponse>> {
    return this.post('/dataStorage/init', buildDataStorageInitRequest(this.options.credentials, params), parseDataStorageInitResponse, call);
  }

  dataStorageRead(storageId: string, language?: string, call?: CallOptions): Promise<GatewayResult<DataStorageReadResponse>> {
    const params = language === undefined ? { storageId } : { storageId, language };
    return this.post('/dataStorage/read', buildDataStorageReadRequest(this.options.credentials, params), parseDataStorageReadResponse, call);
  }

  frontendInit(params: FrontendInitParams, call?: CallOptions): Promise<GatewayResult<FrontendInitResponse>> {
    return this.post('/frontend/init', buildFrontendInitRequest(this.options.credentials, params), parseFrontendInitResponse, call);
  }

  /** Any back-end operation (§9.3); the typed shortcuts below call this. */
  backend<O extends BackendOperation>(language: string, request: Extract<BackendRequest, { operation: O }>, call?: CallOptions): Promise<GatewayResult<BackendResponseMap[O]>> {
    const { credentials } = this.options;
    if (credentials.password === undefined) throw new QentaUsageError('back-end calls need credentials.password');
    const fields = buildBackendRequest({ ...credentials, password: credentials.password }, language, request);
    const op = request.operation as O;
    return this.post(`/backend/${op}`, fields, (f) => parseBackendResponse(op, f), call);
  }

  getOrderDetails(orderNumber: string, language = 'en', call?: CallOptions) {
    return this.backend<'getOrderDetails'>(language, { operation: 'getOrderDetails', orderNumber }, call);
  }
  deposit(req: Omit<Extract<BackendRequest, { operation: 'deposit' }>, 'operation'>, language = 'en', call?: CallOptions) {
    return this.backend<'deposit'>(language, { operation: 'deposit', ...req }, call);
  }
  depositReversal(orderNumber: string, paymentNumber: string, language = 'en', call?: CallOptions) {
    return this.backend<'depositReversal'>(language, { operation: 'depositReversal', orderNumber, paymentNumber }, call);
  }
  approveReversal(orderNumber: string, language = 'en', call?: CallOptions) {
    return this.backend<'approveReversal'>(language, { operation: 'approveReversal', orderNumber }, call);
  }
  refund(req: Omit<Extract<BackendRequest, { operation: 'refund' }>, 'operation'>, language = 'en', call?: CallOptions) {
    return this.backend<'refund'>(language, { operation: 'refund', ...req }, call);
  }
  refundReversal(orderNumber: string, creditNumber: string, language = 'en', call?: CallOptions) {
    return this.backend<'refundReversal'>(language, { operation: 'refundReversal', orderNumber, creditNumber }, call);
  }
  recurPayment(req: Omit<Extract<BackendRequest, { operation: 'recurPayment' }>, 'operation'>, language = 'en', call?: CallOptions) {
    return this.backend<'recurPayment'>(language, { operation: 'recurPayment', ...req }, call);
  }
  transferFund(req: Omit<Extract<BackendRequest, { operation: 'transferFund' }>, 'operation'>, language = 'en', call?: CallOptions) {
    return this.backend<'transferFund'>(language, { operation: 'transferFund', ...req }, call);
  }
  generateOrderNumber(language = 'en', call?: CallOptions) {
    return this.backend<'generateOrderNumber'>(language, { operation: 'generateOrderNumber' }, call);
  }

  private async post<T>(
    path: string,
    request: RequestFields,
    parse: (fields: FormFields) => ParseResult<T>,
    call: CallOptions = {},
  ): Promise<GatewayResult<T>> {
    const url = this.baseUrl + path;
    const started = performance.now();
    const exchange: HttpExchange = { url, request, durationMs: 0 };
    const timeoutMs = call.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call.signal ? AbortSignal.any([timeout, call.signal]) : timeout;
    const unknown = (reason: UnknownReason, detail: string): GatewayResult<T> => {
      exchange.durationMs = Math.round(performance.now() - started);
      return { outcome: 'unknown', reason, detail, exchange };
    };
    const doFetch = this.options.fetch ?? fetch;
    let body: string;
    try {
      // Host and Content-Length are set by fetch (§1: required headers).
      const res = await doFetch(url, {
        method: 'POST',
        headers: {
          'User-Agent': this.options.userAgent ?? DEFAULT_USER_AGENT,
          'Content-Type': 'application/x-www-form-urlencoded',
          Connection: 'close',
        },
        body: encodeForm(request),
        signal,
        redirect: 'manual',
      });
      exchange.httpStatus = res.status;
      body = await res.text();
      exchange.body = body;
      if (res.status === 403) return unknown('forbidden', 'HTTP 403 (the gateway answers 403 for wrong headers)');
      if (res.status < 200 || res.status > 299) return unknown('http_status', `HTTP ${res.status}`);
    } catch (e) {
      if (timeout.aborted) return unknown('timeout', `no complete answer within ${timeoutMs} ms`);
      if (call.signal?.aborted) return unknown('aborted', 'aborted by caller');
      return unknown('network', describe(e));
    }
    exchange.durationMs = Math.round(performance.now() - started);
    if (body.trim() === '') return unknown('empty_body', 'empty response body');
    let fields: FormFields;
    try {
      const decoded = decodeForm(body.trim());
      if (decoded.duplicates.length > 0) return unknown('unparseable', `duplicate keys: ${decoded.duplicates.slice(0, 5).join(', ')}`);
      fields = decoded.fields;
    } catch (e) {
      return unknown('unparseable', e instanceof FormDecodeError ? e.message : describe(e));
    }
    const parsed = parse(fields);
    switch (parsed.kind) {
      case 'ok':
        return { outcome: 'success', value: parsed.value, exchange };
      case 'declined': {
        const r: GatewayResult<T> = { outcome: 'declined', errors: parsed.errors, exchange };
        if (parsed.status !== undefined) r.status = parsed.status;
        return r;
      }
      default:
        return unknown('unparseable', parsed.reason);
    }
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
  }
  return String(e);
}
