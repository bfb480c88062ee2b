import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { expect } from 'vitest';
import type { OperatorRole, PaymentState } from '@seamless-ops/contracts';
import type { AuthenticatedOperator } from '../src/auth/operator-access';
import { AlertsService } from '../src/ops/alerts/alerts.service';
import { FunnelService } from '../src/ops/funnel/funnel.service';
import { MismatchesService } from '../src/ops/mismatches/mismatches.service';
import { PaymentsService } from '../src/ops/payments/payments.service';
import { PendingService } from '../src/ops/pending/pending.service';
import { SecurityEventsService } from '../src/ops/security/security-events.service';
import { ExpiredStoragesService } from '../src/ops/storages/expired-storages.service';
import { ALPHA, BETA, cardPayment, startCheckoutHarness, storeCard, type CheckoutHarness } from './checkout-harness';

// Data for the operator API tests, produced through the real code paths: the checkout API against the
// in-process gateway simulator (storage init, card stored at the gateway, storage read, payment init), the
// simulator's own confirmations and browser returns, the storage sweeper. Two shops: alpha and beta.

export { ALPHA, BETA };

export interface OpsServices {
  funnel: FunnelService;
  payments: PaymentsService;
  pending: PendingService;
  storages: ExpiredStoragesService;
  mismatches: MismatchesService;
  security: SecurityEventsService;
  alerts: AlertsService;
}

export interface OpsWorld extends CheckoutHarness {
  /** The operator API's services on the app's DataSource (service-level tests need no session). */
  ops: OpsServices;
}

export async function startOpsWorld(): Promise<OpsWorld> {
  const h = await startCheckoutHarness();
  const ds = h.app.get(DataSource);
  const ops: OpsServices = {
    funnel: new FunnelService(ds),
    payments: new PaymentsService(ds),
    pending: new PendingService(ds),
    storages: new ExpiredStoragesService(ds),
    mismatches: new MismatchesService(ds),
    security: new SecurityEventsService(ds),
    alerts: h.app.get(AlertsService),
  };
  return Object.assign(h, { ops });
}

/** A hand-made operator as the auth guard would put it on the request. */
export function operatorOf(shopIds: string[] | null, role: OperatorRole = 'viewer'): AuthenticatedOperator {
  const id = randomBytes(4).toString('hex');
  return { id, email: `${role}-${id}@test.example`, role, shopIds, sessionId: `session-${id}` };
}

export type Outcome = 'SUCCESS' | 'CANCEL' | 'FAILURE' | 'PENDING_SUCCESS' | 'PENDING_FAILURE';

export interface CheckoutOptions {
  shop?: { id: string; apiKey: string };
  /** What the consumer picks on the gateway's page; null: never gets there (payment stays INITIATED). */
  outcome?: Outcome | null;
  amount?: string;
  /** The shop reports `checkout.started` first. */
  started?: boolean;
  /** The browser comes back to our return URL after paying (default true when there is an outcome). */
  browserReturns?: boolean;
  /** PENDING outcomes: the final confirmation follows after this long (default: the harness's 30 ms). */
  pendingDelayMs?: number;
}

export interface CheckedOut {
  paymentId: string;
  storageId: string;
  orderIdent: string;
  orderNumber: string | null;
  gatewayReferenceNumber: string | null;
  shopId: string;
}

/** One consumer through the whole flow; waits until the confirmation(s) the outcome implies have landed. */
export async function checkout(h: CheckoutHarness, options: CheckoutOptions = {}): Promise<CheckedOut> {
  const shop = options.shop ?? ALPHA;
  const storage = await h.call('POST', '/api/checkout/storages', { body: {}, key: shop.apiKey });
  expect(storage.status).toBe(201);
  const storageId = storage.body['storageId'] as string;
  const orderIdent = storage.body['orderIdent'] as string;
  if (options.started) {
    const started = await h.call('POST', '/api/checkout/events', { body: { kind: 'checkout.started', orderIdent }, key: shop.apiKey });
    expect(started.status).toBe(202);
  }
  await storeCard(h.sim, storageId);
  expect((await h.call('GET', `/api/checkout/storages/${storageId}`, { key: shop.apiKey })).status).toBe(200);
  const init = await h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId, options.amount ? { amount: options.amount } : {}), key: shop.apiKey });
  expect(init.status).toBe(201);
  const paymentId = init.body['paymentId'] as string;
  let orderNumber: string | null = null;
  if (options.outcome) {
    const knob = options.pendingDelayMs !== undefined ? h.sim.state.knobs.addScoped({ orderIdent }, { pendingDelayMs: options.pendingDelayMs }) : undefined;
    const sid = new URL(init.body['redirectUrl'] as string).searchParams.get('SID') as string;
    const completion = await h.sim.completePayment(sid, options.outcome);
    orderNumber = completion.orderNumber;
    const expected: PaymentState =
      options.outcome === 'PENDING_SUCCESS' ? 'SUCCESS' : options.outcome === 'PENDING_FAILURE' ? 'FAILURE' : options.outcome;
    const settles = options.pendingDelayMs === undefined || options.pendingDelayMs < 10_000;
    await waitForState(h, paymentId, settles ? expected : 'PENDING');
    if (knob && settles) h.sim.state.knobs.removeScoped(knob.id);
    if (options.browserReturns ?? true) {
      const back = await fetch(completion.location, { redirect: 'manual' });
      expect(back.status).toBe(303);
    }
  }
  const [row] = await h.sql<{ gateway_reference_number: string | null }>('SELECT gateway_reference_number FROM payments WHERE id = $1', [paymentId]);
  return { paymentId, storageId, orderIdent, orderNumber, gatewayReferenceNumber: row.gateway_reference_number, shopId: shop.id };
}

export async function waitForState(h: CheckoutHarness, paymentId: string, state: PaymentState): Promise<void> {
  for (let i = 0; i < 250; i++) {
    const [row] = await h.sql<{ state: string }>('SELECT state FROM payments WHERE id = $1', [paymentId]);
    if (row?.state === state) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`payment ${paymentId} did not reach ${state}`);
}

/** A storage initialized through the API and left to die: the sweeper expires it 30 minutes after `now`. */
export async function abandonedStorage(h: CheckoutHarness, shop = ALPHA): Promise<{ storageId: string; orderIdent: string }> {
  const res = await h.call('POST', '/api/checkout/storages', { body: {}, key: shop.apiKey });
  expect(res.status).toBe(201);
  return { storageId: res.body['storageId'] as string, orderIdent: res.body['orderIdent'] as string };
}

/** Every page of a list, following nextCursor; fails on a repeated cursor or more than `maxPages`. */
export async function allPages<T>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>, maxPages = 50): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (let i = 0; i < maxPages; i++) {
    const page = await read(cursor);
    pages.push(page.items);
    if (!page.nextCursor) return pages;
    expect(seen.has(page.nextCursor)).toBe(false);
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
  throw new Error(`more than ${maxPages} pages`);
}
