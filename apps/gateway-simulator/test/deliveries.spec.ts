import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildFrontendInitRequest, verifyConfirmation } from '@seamless-ops/qenta';
import type { DeliveryAttempt } from '../src/confirmation/delivery';
import type { RunningSimulator } from '../src/simulator';
import { client, complete, DEMO, fetchJson, frontendParams, initPayment, MerchantServer, OK_RESPONSE, post, simulator } from './helpers';

const NOK = '<QPAY-CONFIRMATION-RESPONSE result="NOK" message="not now" />';
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('confirmation delivery, retries and the delivery log', () => {
  let sim: RunningSimulator;
  let merchant: MerchantServer;

  beforeAll(async () => {
    sim = await simulator({ retryScheduleMs: [20, 40] });
    merchant = await new MerchantServer().start();
  });
  afterEach(async () => {
    await sim.idle();
    merchant.received.length = 0;
    merchant.responder = () => ({ status: 200, body: OK_RESPONSE });
    sim.state.knobs.clear();
  });
  afterAll(async () => {
    await sim.close();
    await merchant.close();
  });

  it('retries NOK answers on the schedule until OK, recording every attempt', async () => {
    const answers = [
      { status: 200, body: NOK },
      { status: 500, body: 'oops' },
      { status: 200, body: `<!--${OK_RESPONSE}-->` },
    ];
    merchant.responder = (n) => answers[n - 1] ?? { status: 200, body: OK_RESPONSE };
    const { sid } = await initPayment(sim, merchant);
    const { orderNumber } = await complete(sim, sid, 'SUCCESS');
    const attempts = await sim.state.deliveries.waitFor({ orderNumber }, 3);
    expect(attempts.map((a) => [a.attempt, a.httpStatus, a.ok, a.nextRetryInMs])).toEqual([
      [1, 200, false, 20],
      [2, 500, false, 40],
      [3, 200, true, null],
    ]);
    expect(attempts[0]?.responseBody).toBe(NOK);
    expect(new Set(attempts.map((a) => a.confirmationId)).size).toBe(1);
    expect(new Set(attempts.map((a) => a.requestBody)).size).toBe(1);
    for (const a of attempts) expect(a.durationMs).toBeGreaterThanOrEqual(0);
    await sim.idle();
    const listed = await fetchJson<{ items: DeliveryAttempt[] }>(`${sim.url}/simulator/deliveries?orderNumber=${orderNumber}`);
    expect(listed.items).toHaveLength(3);
    expect(merchant.received).toHaveLength(3);
  });

  it('gives up after the last scheduled retry', async () => {
    merchant.responder = () => ({ status: 200, body: 'no confirmation response here' });
    const { sid } = await initPayment(sim, merchant);
    const { orderNumber } = await complete(sim, sid, 'SUCCESS');
    await sim.idle();
    const attempts = sim.state.deliveries.list({ orderNumber });
    expect(attempts.map((a) => [a.attempt, a.ok, a.nextRetryInMs])).toEqual([
      [1, false, 20],
      [2, false, 40],
      [3, false, null],
    ]);
  });

  it('records connection errors and timeouts', async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const hangUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/confirm`;
    // A port that was free a moment ago: nothing listens there.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/confirm`;
    await new Promise<void>((r) => closed.close(() => r()));
    const quick = await simulator({ retryScheduleMs: [], confirmationTimeoutMs: 100 });
    try {
      const dead = await initPayment(quick, { url: deadUrl } as MerchantServer);
      await complete(quick, dead.sid, 'SUCCESS');
      const slow = await initPayment(quick, { url: hangUrl } as MerchantServer);
      await complete(quick, slow.sid, 'SUCCESS');
      const [refused] = quick.state.deliveries.list({ sid: dead.sid });
      expect(refused).toMatchObject({ ok: false, httpStatus: null, nextRetryInMs: null });
      expect(refused?.error).toMatch(/ECONNREFUSED|fetch failed/);
      const [timedOut] = quick.state.deliveries.list({ sid: slow.sid });
      expect(timedOut).toMatchObject({ ok: false, httpStatus: null, error: 'timeout after 100 ms' });
    } finally {
      await quick.close();
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('long-polls GET /simulator/deliveries?wait=… until a matching attempt exists', async () => {
    const { sid } = await initPayment(sim, merchant);
    const poll = fetchJson<{ items: DeliveryAttempt[]; complete: boolean }>(`${sim.url}/simulator/deliveries?sid=${sid}&wait=5000&min=1`);
    await complete(sim, sid, 'CANCEL');
    const result = await poll;
    expect(result.complete).toBe(true);
    expect(result.items[0]).toMatchObject({ sid, paymentState: 'CANCEL', ok: true });
    const none = await fetchJson<unknown>(`${sim.url}/simulator/deliveries?sid=unknown&wait=10`);
    expect(none).toEqual({ items: [], complete: false });
  });
});

describe('fault knobs', () => {
  let sim: RunningSimulator;
  let merchant: MerchantServer;

  beforeAll(async () => {
    sim = await simulator({ retryScheduleMs: [] });
    merchant = await new MerchantServer().start();
  });
  afterEach(async () => {
    await sim.idle();
    merchant.received.length = 0;
    await fetch(`${sim.url}/simulator/knobs`, { method: 'DELETE' });
  });
  afterAll(async () => {
    await sim.close();
    await merchant.close();
  });

  it('duplicate: the same confirmation twice, both before the redirect', async () => {
    const { sid } = await initPayment(sim, merchant, { customParameters: { simulatorKnobs: '{"confirmation":"duplicate"}' } });
    await complete(sim, sid, 'SUCCESS');
    expect(merchant.received).toHaveLength(2);
    expect(merchant.received[0]?.body).toBe(merchant.received[1]?.body);
    expect(merchant.received[0]?.fields['simulatorKnobs']).toBeUndefined();
    expect(sim.state.deliveries.list({ sid }).map((d) => d.confirmationId)).toHaveLength(2);
  });

  it('never: no confirmation at all', async () => {
    const { sid } = await initPayment(sim, merchant, { orderIdent: 'never-1' });
    const scoped = await fetch(`${sim.url}/simulator/knobs`, json({ scope: { orderIdent: 'never-1' }, knobs: { confirmation: 'never' } }));
    expect(scoped.status).toBe(201);
    const { location } = await complete(sim, sid, 'PENDING_SUCCESS');
    expect(location).toBe('https://shop.example/return/pending');
    await sim.idle();
    expect(merchant.received).toHaveLength(0);
    expect(sim.state.deliveries.list({ sid })).toHaveLength(0);
    expect(sim.state.payments.get(sid)?.state).toBe('SUCCESS');
  });

  it('after-redirect: the redirect is handed out before the confirmation is sent', async () => {
    const { sid: normalSid } = await initPayment(sim, merchant);
    await sim.completePayment(normalSid, 'SUCCESS');
    expect(merchant.received).toHaveLength(1);
    merchant.received.length = 0;

    const { sid } = await initPayment(sim, merchant);
    sim.state.knobs.addScoped({ sid }, { confirmation: 'after-redirect' });
    const result = await sim.completePayment(sid, 'SUCCESS');
    expect(result.location).toBe('https://shop.example/return/success');
    expect(merchant.received).toHaveLength(0);
    const [delivered] = await sim.state.deliveries.waitFor({ sid }, 1);
    expect(delivered).toMatchObject({ ok: true, paymentState: 'SUCCESS' });

    // Over HTTP too: the browser gets its 303, the confirmation follows.
    const page = await initPayment(sim, merchant);
    sim.state.knobs.addScoped({ sid: page.sid }, { confirmation: 'after-redirect' });
    const res = await fetch(page.redirectUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'outcome=SUCCESS', redirect: 'manual' });
    expect(res.status).toBe(303);
    await sim.state.deliveries.waitFor({ sid: page.sid }, 1);
  });

  it('confirmationDelayMs: the browser returns first, the confirmation arrives after the delay', async () => {
    await fetch(`${sim.url}/simulator/knobs`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"confirmationDelayMs":60}' });
    const { sid } = await initPayment(sim, merchant);
    const started = Date.now();
    await complete(sim, sid, 'SUCCESS');
    expect(merchant.received).toHaveLength(0);
    const [c] = await merchant.waitFor(1);
    expect((c?.receivedAt ?? 0) - started).toBeGreaterThanOrEqual(55);
  });

  it('wrongFingerprint: a well-formed but wrong responseFingerprint', async () => {
    const { sid } = await initPayment(sim, merchant, { customParameters: { simulatorKnobs: '{"wrongFingerprint":true}' } });
    await complete(sim, sid, 'SUCCESS');
    const fields = merchant.received[0]?.fields;
    expect(fields?.['responseFingerprint']).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyConfirmation(fields, DEMO.secret)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('alterAmount: a correctly signed confirmation with another amount; the gateway order keeps the real one', async () => {
    const { sid } = await initPayment(sim, merchant, { amount: '12.50', customParameters: { simulatorKnobs: '{"alterAmount":"99.99"}' } });
    const { orderNumber } = await complete(sim, sid, 'SUCCESS');
    const fields = merchant.received[0]?.fields;
    expect(verifyConfirmation(fields, DEMO.secret)).toMatchObject({ ok: true });
    expect(fields?.['amount']).toBe('99.99');
    const details = await client(sim).getOrderDetails(orderNumber);
    expect(details.outcome === 'success' && details.value.orders[0]?.amount).toBe('12.50');
  });

  it('pendingDelayMs: PENDING now, the final state after N ms', async () => {
    const { sid } = await initPayment(sim, merchant, { orderNumber: '777001' });
    await fetch(`${sim.url}/simulator/knobs`, json({ scope: { orderNumber: '777001' }, knobs: { pendingDelayMs: 80 } }));
    await complete(sim, sid, 'PENDING_SUCCESS');
    const [pending, success] = await merchant.waitFor(2);
    expect(pending?.fields['paymentState']).toBe('PENDING');
    expect(success?.fields['paymentState']).toBe('SUCCESS');
    expect((success?.receivedAt ?? 0) - (pending?.receivedAt ?? 0)).toBeGreaterThanOrEqual(70);
  });

  it('initError: data storage and/or frontend init answer the given error block', async () => {
    await fetch(`${sim.url}/simulator/knobs`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ initError: { errorCode: '19999', message: 'Simulated outage.' }, initTarget: 'dataStorage' }),
    });
    const ds = await client(sim).dataStorageInit({ orderIdent: 'ie-1', returnUrl: 'https://shop.example/r', language: 'de' });
    expect(ds).toMatchObject({ outcome: 'declined', errors: [{ errorCode: '19999', message: 'Simulated outage.' }] });
    // frontend init is unaffected with initTarget=dataStorage
    await initPayment(sim, merchant);
    await fetch(`${sim.url}/simulator/knobs`, json({ scope: { orderIdent: 'ie-2' }, knobs: { initError: true, initTarget: 'frontend' } }));
    await fetch(`${sim.url}/simulator/knobs`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const fe = await client(sim).frontendInit({ ...frontendParams(merchant), orderIdent: 'ie-2' });
    expect(fe).toMatchObject({ outcome: 'declined', errors: [{ errorCode: '10098' }] });
  });

  it('initDelayMs: hangs the init so a client times out, then answers normally', async () => {
    await fetch(`${sim.url}/simulator/knobs`, json({ scope: { orderIdent: 'slow-1' }, knobs: { initDelayMs: 300 } }));
    const timedOut = await client(sim).dataStorageInit({ orderIdent: 'slow-1', returnUrl: 'https://shop.example/r', language: 'en' }, { timeoutMs: 50 });
    expect(timedOut).toMatchObject({ outcome: 'unknown', reason: 'timeout' });
    const started = Date.now();
    const patient = await client(sim).dataStorageInit({ orderIdent: 'slow-1', returnUrl: 'https://shop.example/r', language: 'en' });
    expect(patient.outcome).toBe('success');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('refuses unknown or malformed knobs with a reason', async () => {
    const bad = await fetch(`${sim.url}/simulator/knobs`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"confirmation":"sometimes"}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/confirmation must be one of/);
    const unknown = await fetch(`${sim.url}/simulator/knobs`, json({ scope: { orderIdent: 'x' }, knobs: { explode: true } }));
    expect(((await unknown.json()) as { error: string }).error).toMatch(/unknown knob "explode"/);
    const noScope = await fetch(`${sim.url}/simulator/knobs`, json({ knobs: {} }));
    expect(noScope.status).toBe(400);
    const badJson = await fetch(`${sim.url}/simulator/knobs`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{nope' });
    expect(badJson.status).toBe(400);
    const viaParam = await post(
      `${sim.url}/seamless/frontend/init`,
      buildFrontendInitRequest(DEMO, { ...frontendParams(merchant), customParameters: { simulatorKnobs: '{"confirmation":1}' } }),
    );
    expect(viaParam.fields['error.1.message']).toMatch(/simulatorKnobs is invalid/);
  });
});
