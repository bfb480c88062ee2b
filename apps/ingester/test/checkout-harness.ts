import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { createIngesterApp } from '../src/app';
import { StorageSweeper } from '../src/storages/storage-sweeper';
import { startSimulator, type RunningSimulator } from '../../gateway-simulator/src/simulator';
import { testConfig } from './app';
import { createTestDatabase, type TestDatabase } from './database';
import { freePort } from './postgres-server';

/** Two shops on the simulator's demo account (gateway shops `seamless` and `qmore`), with their API keys. */
export const SECRET = 'B8AKTPWBRMNBV455FG6M2DANE99WU2';
export const ALPHA = { id: 'alpha', apiKey: 'alpha-api-key-0123456789' };
export const BETA = { id: 'beta', apiKey: 'beta-api-key-0123456789abc' };
/** A Luhn-valid card number (Visa test card): must never show up in our answers or events. */
export const REAL_PAN = '4111111111111111';

function shop(id: string, gatewayShopId: string, apiKey: string): Record<string, unknown> {
  const base = `https://${id}.shop.example`;
  return {
    id,
    customerId: 'D200001',
    shopId: gatewayShopId,
    secret: SECRET,
    apiKey,
    successUrl: `${base}/result/success`,
    cancelUrl: `${base}/result/cancel`,
    failureUrl: `${base}/result/failure`,
    pendingUrl: `${base}/result/pending`,
    serviceUrl: `${base}/service`,
    storageReturnUrl: `${base}/storage-fallback`,
    language: 'en',
  };
}

export interface JsonAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface CheckoutHarness {
  sim: RunningSimulator;
  app: INestApplication;
  db: TestDatabase;
  /** The ingester, e.g. http://127.0.0.1:41234 (also its public base URL). */
  baseUrl: string;
  sweeper: StorageSweeper;
  /** A call to the ingester as `shop` (ALPHA by default; `key: null` sends no Authorization). */
  call<T = Record<string, unknown>>(method: string, path: string, options?: { body?: unknown; raw?: string; contentType?: string; key?: string | null }): Promise<JsonAnswer<T>>;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A fresh database, the gateway simulator in-process on a free port, and the real ingester app (two shops,
 * jobs off unless asked, `QENTA_TIMEOUT_MS` as given) talking to it over HTTP.
 */
export async function startCheckoutHarness(options: { gatewayTimeoutMs?: number; jobs?: boolean } = {}): Promise<CheckoutHarness> {
  const db = await createTestDatabase();
  const sim = await startSimulator({ port: 0, retryScheduleMs: [50, 100], confirmationTimeoutMs: 2000, knobs: { pendingDelayMs: 30 } });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = testConfig({
    PORT: String(port),
    PUBLIC_BASE_URL: baseUrl,
    JOBS: options.jobs ? 'on' : 'off',
    QENTA_BASE_URL: `${sim.url}/seamless`,
    QENTA_TIMEOUT_MS: String(options.gatewayTimeoutMs ?? 5000),
    SHOPS: JSON.stringify([shop(ALPHA.id, 'seamless', ALPHA.apiKey), shop(BETA.id, 'qmore', BETA.apiKey)]),
  });
  const app = await createIngesterApp(config, db.url);
  await app.listen(port, '127.0.0.1');
  const client = new Client({ connectionString: db.url });
  await client.connect();

  return {
    sim,
    app,
    db,
    baseUrl,
    sweeper: app.get(StorageSweeper),
    async call(method, path, { body, raw, contentType, key } = {}) {
      const headers: Record<string, string> = {};
      const k = key === undefined ? ALPHA.apiKey : key;
      if (k !== null) headers['Authorization'] = `Bearer ${k}`;
      let payload: string | undefined;
      if (raw !== undefined) payload = raw;
      else if (body !== undefined) payload = JSON.stringify(body);
      if (payload !== undefined) headers['Content-Type'] = contentType ?? 'application/json';
      const res = await fetch(baseUrl + path, { method, headers, body: payload });
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed as never, text, headers: res.headers };
    },
    async sql(text, params = []) {
      return (await client.query(text, params)).rows;
    },
    async close() {
      await client.end().catch(() => undefined);
      await app.close();
      await sim.close();
      await db.drop();
    },
  };
}

/** A valid payment request for a card payment with `storageId`; override anything. */
export function cardPayment(storageId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    storageId,
    amount: '12.50',
    currency: 'EUR',
    paymentType: 'CCARD',
    orderDescription: 'Order 4711',
    consumerIpAddress: '192.0.2.10',
    consumerUserAgent: 'Mozilla/5.0 (test)',
    ...overrides,
  };
}

/** What the gateway's JavaScript does in the browser: card data straight to the gateway, never to us. */
export async function storeCard(sim: RunningSimulator, storageId: string, pan = REAL_PAN): Promise<void> {
  const body = new URLSearchParams({ paymentType: 'CCARD', pan, expirationMonth: '12', expirationYear: String(new Date().getUTCFullYear() + 2), cardverifycode: '123', cardholdername: 'Jane Doe' });
  const res = await fetch(`${sim.url}/seamless/dataStorage/store/${storageId}`, { method: 'POST', body });
  const answer = (await res.json()) as { status: number; errors: unknown[] };
  if (answer.status !== 0) throw new Error(`store failed: ${JSON.stringify(answer.errors)}`);
}

/** Sum of a funnel counter for a shop (over hours, payment types and shards), optionally for one payment type. */
export async function funnel(h: CheckoutHarness, shopId: string, column: string, paymentType?: string): Promise<number> {
  const rows = await h.sql<{ n: string | null }>(
    `SELECT sum(${column})::text AS n FROM funnel_hourly WHERE shop_id = $1 AND ($2::text IS NULL OR payment_type = $2)`,
    [shopId, paymentType ?? null],
  );
  return Number(rows[0]?.n ?? 0);
}
