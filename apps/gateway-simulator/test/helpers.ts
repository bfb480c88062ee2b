import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import vm from 'node:vm';
import {
  buildDataStorageInitRequest,
  buildFrontendInitRequest,
  decodeForm,
  encodeForm,
  QentaClient,
  type FormFields,
  type FrontendInitParams,
  type MerchantCredentials,
} from '@seamless-ops/qenta';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../src/simulator';

export const DEMO: MerchantCredentials & { password: string } = {
  customerId: 'D200001',
  shopId: 'qmore',
  secret: 'B8AKTPWBRMNBV455FG6M2DANE99WU2',
  password: 'jcv45z',
};
export const DEMO_PAN = '9500000000000001';

/** Starts an in-process simulator on a free port with test-friendly timings. */
export function simulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, retryScheduleMs: [20, 40], confirmationTimeoutMs: 2000, knobs: { pendingDelayMs: 30 }, ...options });
}

export interface GatewayAnswer {
  httpStatus: number;
  text: string;
  fields: FormFields;
  contentType: string | null;
}

/** POSTs form fields (or a raw body) and decodes the key=value answer. */
export async function post(url: string, body: FormFields | string, contentType = 'application/x-www-form-urlencoded'): Promise<GatewayAnswer> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body: typeof body === 'string' ? body : encodeForm(body) });
  const text = await res.text();
  let fields: FormFields = {};
  try {
    fields = decodeForm(text).fields;
  } catch {
    // not a form body
  }
  return { httpStatus: res.status, text, fields, contentType: res.headers.get('content-type') };
}

export function client(sim: RunningSimulator, credentials: MerchantCredentials & { password?: string } = DEMO): QentaClient {
  return new QentaClient({ baseUrl: `${sim.url}/seamless`, credentials });
}

export interface ReceivedConfirmation {
  body: string;
  fields: FormFields;
  contentType: string | undefined;
  receivedAt: number;
}

export type Responder = (n: number, confirmation: ReceivedConfirmation) => { status: number; body: string };

export const OK_RESPONSE = '<QPAY-CONFIRMATION-RESPONSE result="OK" />';

/** A merchant's confirmUrl: a real HTTP server that records what arrives and answers via `responder`. */
export class MerchantServer {
  readonly received: ReceivedConfirmation[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  private server?: Server;
  url = '';
  responder: Responder = () => ({ status: 200, body: OK_RESPONSE });

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void readBody(req).then((body) => {
        const confirmation = { body, fields: decodeForm(body).fields, contentType: req.headers['content-type'], receivedAt: Date.now() };
        this.received.push(confirmation);
        const answer = this.responder(this.received.length, confirmation);
        res.writeHead(answer.status, { 'Content-Type': 'text/html' }).end(answer.body);
        for (const w of this.waiters.filter((x) => this.received.length >= x.count)) w.resolve();
        this.waiters = this.waiters.filter((x) => this.received.length < x.count);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/qenta/confirm`;
    return this;
  }

  /** Resolves when at least `count` confirmations have arrived. */
  waitFor(count: number): Promise<ReceivedConfirmation[]> {
    if (this.received.length >= count) return Promise.resolve(this.received);
    return new Promise((resolve) => this.waiters.push({ count, resolve: () => resolve(this.received) }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** What the data-storage script's callback receives. */
export interface StoreResponse {
  getStatus(): number;
  getErrors(): Array<{ errorCode: string; message: string; consumerMessage: string }>;
  getAnonymizedPaymentInformation(): Record<string, string>;
}

export interface DataStorageApi {
  new (): Record<string, (info: Record<string, string> | null, callback: (r: StoreResponse) => void) => void>;
}

/**
 * Loads the served data-storage script the way a browser would (a <script> tag), evaluated with node:vm in a
 * context that only offers what browsers offer: fetch, URLSearchParams, Promise, Date.
 */
export async function loadDataStorageScript(javascriptUrl: string): Promise<{ context: vm.Context; QentaCEE_DataStorage: DataStorageApi; source: string }> {
  const res = await fetch(javascriptUrl);
  if (res.status !== 200) throw new Error(`script answered ${res.status}`);
  const source = await res.text();
  const window: Record<string, unknown> = { fetch, URLSearchParams };
  const context = vm.createContext({ window, fetch, URLSearchParams });
  vm.runInContext(source, context, { filename: 'dataStorage.js' });
  return { context, QentaCEE_DataStorage: window['QentaCEE_DataStorage'] as DataStorageApi, source };
}

export function store(api: DataStorageApi, method: string, info: Record<string, string> | null): Promise<StoreResponse> {
  const ds = new api();
  return new Promise((resolve) => ds[method]?.(info, resolve));
}

/** Data storage init through the real builder, asserting success. */
export async function initStorage(sim: RunningSimulator, orderIdent: string, credentials: MerchantCredentials = DEMO): Promise<{ storageId: string; javascriptUrl: string }> {
  const answer = await post(`${sim.url}/seamless/dataStorage/init`, buildDataStorageInitRequest(credentials, { orderIdent, returnUrl: 'https://shop.example/fallback', language: 'en' }));
  if (!answer.fields['storageId']) throw new Error(`storage init failed: ${answer.text}`);
  return { storageId: answer.fields['storageId'], javascriptUrl: answer.fields['javascriptUrl'] as string };
}

export function frontendParams(merchant: MerchantServer, overrides: Partial<FrontendInitParams> = {}): FrontendInitParams {
  return {
    language: 'en',
    paymentType: 'CCARD',
    amount: '12.50',
    currency: 'EUR',
    orderDescription: 'Order 4711',
    successUrl: 'https://shop.example/return/success',
    cancelUrl: 'https://shop.example/return/cancel',
    failureUrl: 'https://shop.example/return/failure',
    pendingUrl: 'https://shop.example/return/pending',
    serviceUrl: 'https://shop.example/service',
    confirmUrl: merchant.url,
    consumerIpAddress: '192.0.2.10',
    consumerUserAgent: 'Mozilla/5.0 (test)',
    ...overrides,
  };
}

/** Frontend init through the real builder; returns the SID of the payment page. */
export async function initPayment(
  sim: RunningSimulator,
  merchant: MerchantServer,
  overrides: Partial<FrontendInitParams> = {},
  credentials: MerchantCredentials = DEMO,
): Promise<{ sid: string; redirectUrl: string }> {
  const answer = await post(`${sim.url}/seamless/frontend/init`, buildFrontendInitRequest(credentials, frontendParams(merchant, overrides)));
  const redirectUrl = answer.fields['redirectUrl'];
  if (!redirectUrl) throw new Error(`frontend init failed: ${answer.text}`);
  return { sid: new URL(redirectUrl).searchParams.get('SID') as string, redirectUrl };
}

/** Picks an outcome through the JSON control API. */
export async function complete(sim: RunningSimulator, sid: string, outcome: string): Promise<{ location: string; paymentState: string; orderNumber: string }> {
  const res = await fetch(`${sim.url}/simulator/payments/${sid}/complete`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ outcome }) });
  if (res.status !== 200) throw new Error(`complete answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { location: string; paymentState: string; orderNumber: string };
}

/** fetch + JSON with the caller's expected type. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  return (await res.json()) as T;
}
