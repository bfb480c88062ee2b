import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import { expect } from 'vitest';
import type { PaymentState } from '@seamless-ops/contracts';
import { createIngesterApp } from '../src/app';
import { PendingJanitor } from '../src/janitor/pending-janitor';
import { GatewayReconciliation } from '../src/reconciliation/gateway-reconciliation';
import type { LimiterClock } from '../src/reconciliation/rate-limiter';
import { startSimulator, type RunningSimulator } from '../../gateway-simulator/src/simulator';
import { testConfig } from './app';
import { ALPHA, BETA, cardPayment, SECRET, storeCard } from './checkout-harness';
import { createTestDatabase, type TestDatabase } from './database';
import { freePort } from './postgres-server';

// The world of the reconciliation and janitor tests: a fresh database, the in-process gateway simulator behind a
// small HTTP proxy that records every back-end call (and can fail or hang them), and the real ingester app (two
// shops with back-end passwords and time zones; jobs off, the tests drive them). More app instances on the same
// database can be started (restart, two replicas).

export { ALPHA, BETA };
export const BACKEND_PASSWORD = 'jcv45z';

export interface GatewayCall {
  /** e.g. /seamless/backend/getOrderDetails */
  path: string;
  /** performance.now() when the request reached the proxy. */
  at: number;
  orderNumber: string | null;
}

export interface GatewayProxy {
  url: string;
  /** Back-end calls seen, in arrival order. */
  calls: GatewayCall[];
  /** forward (default); fail: answer back-end calls HTTP 502; hang: never answer them (the client times out). */
  mode: 'forward' | 'fail' | 'hang';
  close(): Promise<void>;
}

/** An HTTP forwarder to the simulator that records back-end calls with their arrival time. */
export async function startGatewayProxy(targetUrl: string): Promise<GatewayProxy> {
  const target = new URL(targetUrl);
  const hanging = new Set<ServerResponse>();
  const proxy: GatewayProxy = { url: '', calls: [], mode: 'forward', close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const backend = (req.url ?? '').startsWith('/seamless/backend/');
      if (backend) {
        proxy.calls.push({ path: req.url ?? '', at: performance.now(), orderNumber: new URLSearchParams(body.toString('utf8')).get('orderNumber') });
        if (proxy.mode === 'fail') return void res.writeHead(502).end('bad gateway');
        if (proxy.mode === 'hang') return void hanging.add(res);
      }
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return proxy;
}

function shop(id: string, gatewayShopId: string, apiKey: string, timeZone: string, backendPassword: string | undefined): Record<string, unknown> {
  const base = `https://${id}.shop.example`;
  return {
    id,
    name: `Shop ${id}`,
    customerId: 'D200001',
    shopId: gatewayShopId,
    secret: SECRET,
    ...(backendPassword === undefined ? {} : { backendPassword }),
    apiKey,
    successUrl: `${base}/result/success`,
    cancelUrl: `${base}/result/cancel`,
    failureUrl: `${base}/result/failure`,
    pendingUrl: `${base}/result/pending`,
    serviceUrl: `${base}/service`,
    timeZone,
    language: 'en',
  };
}

export interface IngesterInstance {
  app: INestApplication;
  baseUrl: string;
  reconciliation: GatewayReconciliation;
  janitor: PendingJanitor;
  close(): Promise<void>;
}

export interface ReconciliationWorld extends IngesterInstance {
  sim: RunningSimulator;
  proxy: GatewayProxy;
  db: TestDatabase;
  /** Another ingester on the same database and gateway (a restart, or a second replica). */
  startInstance(env?: Record<string, string>): Promise<IngesterInstance>;
  /** The checkout API as `shop` (ALPHA by default). */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, shop?: { apiKey: string }): Promise<{ status: number; body: T }>;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  closeAll(): Promise<void>;
}

export interface WorldOptions {
  /** Extra ingester settings (e.g. RECONCILIATION_SETTLE_SECONDS). */
  env?: Record<string, string>;
  /** Beta's back-end password; null: none configured. */
  betaBackendPassword?: string | null;
}

/** Alpha: Europe/Vienna; beta: America/New_York; both on the simulator's demo account with its back-end password. */
export async function startReconciliationWorld(options: WorldOptions = {}): Promise<ReconciliationWorld> {
  const db = await createTestDatabase();
  const sim = await startSimulator({ port: 0, retryScheduleMs: [50, 100], confirmationTimeoutMs: 2000, knobs: { pendingDelayMs: 30 } });
  const proxy = await startGatewayProxy(sim.url);
  const shops = JSON.stringify([
    shop(ALPHA.id, 'seamless', ALPHA.apiKey, 'Europe/Vienna', BACKEND_PASSWORD),
    shop(BETA.id, 'qmore', BETA.apiKey, 'America/New_York', options.betaBackendPassword === null ? undefined : (options.betaBackendPassword ?? BACKEND_PASSWORD)),
  ]);
  const instances: IngesterInstance[] = [];
  const startInstance = async (env: Record<string, string> = {}): Promise<IngesterInstance> => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const config = testConfig({
      PORT: String(port),
      PUBLIC_BASE_URL: baseUrl,
      JOBS: 'off',
      QENTA_BASE_URL: `${proxy.url}/seamless`,
      QENTA_TIMEOUT_MS: '1500',
      SHOPS: shops,
      RECONCILIATION_SETTLE_SECONDS: '0',
      ...options.env,
      ...env,
    });
    const app = await createIngesterApp(config, db.url);
    await app.listen(port, '127.0.0.1');
    const instance: IngesterInstance = {
      app,
      baseUrl,
      reconciliation: app.get(GatewayReconciliation),
      janitor: app.get(PendingJanitor),
      close: async () => {
        instances.splice(instances.indexOf(instance), 1);
        await app.close();
      },
    };
    instances.push(instance);
    return instance;
  };
  const first = await startInstance();
  const client = new Client({ connectionString: db.url });
  await client.connect();
  return {
    ...first,
    sim,
    proxy,
    db,
    startInstance,
    async call(method, path, body, as = ALPHA) {
      const res = await fetch(first.baseUrl + path, {
        method,
        headers: { Authorization: `Bearer ${as.apiKey}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
    },
    async sql(text, params = []) {
      return (await client.query(text, params)).rows;
    },
    async closeAll() {
      await client.end().catch(() => undefined);
      for (const instance of [...instances].reverse()) await instance.close();
      await proxy.close();
      await sim.close();
      await db.drop();
    },
  };
}

export type Outcome = 'SUCCESS' | 'CANCEL' | 'FAILURE' | 'PENDING_SUCCESS' | 'PENDING_FAILURE';

export interface Paid {
  paymentId: string;
  orderIdent: string;
  orderNumber: string | null;
}

/**
 * One consumer through the real flow (storage, card at the gateway, payment init, the outcome picked on the
 * simulator's page); `knobs` are scoped to this payment's orderIdent before it completes. Waits until `until`
 * holds for the payment row (by default: the state the outcome implies).
 */
export async function payThrough(
  w: ReconciliationWorld,
  options: { shop?: { id: string; apiKey: string }; outcome?: Outcome | null; amount?: string; currency?: string; knobs?: Record<string, unknown>; until?: (row: PaymentRow) => boolean } = {},
): Promise<Paid> {
  const shop = options.shop ?? ALPHA;
  const storage = await w.call<{ storageId: string; orderIdent: string }>('POST', '/api/checkout/storages', {}, shop);
  expect(storage.status).toBe(201);
  await storeCard(w.sim, storage.body.storageId);
  const init = await w.call<{ paymentId: string; redirectUrl: string }>(
    'POST',
    '/api/checkout/payments',
    cardPayment(storage.body.storageId, { ...(options.amount ? { amount: options.amount } : {}), ...(options.currency ? { currency: options.currency } : {}) }),
    shop,
  );
  expect(init.status).toBe(201);
  const paymentId = init.body.paymentId;
  const orderIdent = storage.body.orderIdent;
  if (options.outcome === null) return { paymentId, orderIdent, orderNumber: null };
  if (options.knobs) w.sim.state.knobs.addScoped({ orderIdent }, options.knobs as never);
  const sid = new URL(init.body.redirectUrl).searchParams.get('SID') as string;
  const outcome = options.outcome ?? 'SUCCESS';
  const completion = await w.sim.completePayment(sid, outcome);
  const expected: PaymentState = outcome === 'PENDING_SUCCESS' ? 'SUCCESS' : outcome === 'PENDING_FAILURE' ? 'FAILURE' : outcome;
  await waitForPayment(w, paymentId, options.until ?? ((row) => row.state === expected));
  return { paymentId, orderIdent, orderNumber: completion.orderNumber };
}

export interface PaymentRow {
  state: PaymentState;
  order_number: string | null;
  confirmation_count: number;
  hold_reason: string | null;
}

export async function waitForPayment(w: Pick<ReconciliationWorld, 'sql'>, paymentId: string, until: (row: PaymentRow) => boolean): Promise<PaymentRow> {
  let last: PaymentRow | undefined;
  for (let i = 0; i < 250; i++) {
    [last] = await w.sql<PaymentRow>('SELECT state, order_number, confirmation_count, hold_reason FROM payments WHERE id = $1', [paymentId]);
    if (last && until(last)) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`payment ${paymentId} never got there (last: ${JSON.stringify(last)})`);
}

/** A payments row written directly (for day boundaries and crafted disagreements); returns its id. */
export async function insertPayment(
  w: Pick<ReconciliationWorld, 'sql'>,
  p: {
    shopId?: string;
    state: PaymentState;
    amount: string;
    currency?: string;
    paymentType?: string;
    initiatedAt: string;
    firstConfirmationAt?: string | null;
    finalAt?: string | null;
    orderNumber?: string | null;
  },
): Promise<string> {
  const id = randomUUID();
  await w.sql(
    `INSERT INTO payments (id, shop_id, order_ident, order_number, payment_type, amount, currency, state, initiated_at, first_confirmation_at, final_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $9)`,
    [
      id,
      p.shopId ?? ALPHA.id,
      `oi${id.slice(0, 8)}`,
      p.orderNumber ?? null,
      p.paymentType ?? 'CCARD',
      p.amount,
      p.currency ?? 'EUR',
      p.state,
      p.initiatedAt,
      p.firstConfirmationAt ?? null,
      p.finalAt ?? null,
    ],
  );
  return id;
}

/**
 * A limiter clock that never really sleeps: sleep moves virtual time forward. `grants` are the virtual times at
 * which calls were allowed to start.
 */
export class VirtualClock implements LimiterClock {
  current = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.current;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.current += ms;
  }
}

/** reconciliation.checked events of a payment, oldest first. */
export function checkEvents(w: Pick<ReconciliationWorld, 'sql'>, paymentId: string): Promise<{ payment_state: string; source: string; payload: Record<string, unknown> }[]> {
  return w.sql(`SELECT payment_state, source, payload FROM checkout_events WHERE payment_id = $1 AND kind = 'reconciliation.checked' ORDER BY id`, [paymentId]);
}
