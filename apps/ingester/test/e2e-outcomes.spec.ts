import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentStatusResponse } from '@seamless-ops/contracts';
import { applyConfirmation } from '../src/confirmation/payment-state-machine';
import { ReturnService } from '../src/returns/return.service';
import { ALPHA, cardPayment, startCheckoutHarness, storeCard, type CheckoutHarness } from './checkout-harness';

/**
 * The whole flow over HTTP, as in production: shop → ingester → simulator (data storage, frontend init,
 * payment page) → confirmation to the ingester → browser return through the ingester to the shop.
 */
describe('checkout end to end through the gateway simulator', () => {
  let h: CheckoutHarness;

  beforeAll(async () => {
    h = await startCheckoutHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function checkout(knobs?: Record<string, unknown>): Promise<{ paymentId: string; sid: string; orderIdent: string }> {
    const storage = await h.call<{ storageId: string; orderIdent: string }>('POST', '/api/checkout/storages', { body: {} });
    expect(storage.status).toBe(201);
    if (knobs) {
      const res = await fetch(`${h.sim.url}/simulator/knobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scope: { orderIdent: storage.body.orderIdent }, knobs }),
      });
      expect(res.ok).toBe(true);
    }
    await storeCard(h.sim, storage.body.storageId);
    const payment = await h.call<{ paymentId: string; redirectUrl: string }>('POST', '/api/checkout/payments', { body: cardPayment(storage.body.storageId) });
    expect(payment.status).toBe(201);
    const sid = new URL(payment.body.redirectUrl).searchParams.get('SID') ?? '';
    expect(sid).not.toBe('');
    return { paymentId: payment.body.paymentId, sid, orderIdent: storage.body.orderIdent };
  }

  /** The browser follows the gateway's redirect to our return URL, which sends it on to the shop. */
  async function browserReturn(location: string): Promise<string> {
    const res = await fetch(location, { redirect: 'manual' });
    expect(res.status).toBe(303);
    return res.headers.get('location') ?? '';
  }

  const status = async (paymentId: string) => (await h.call<PaymentStatusResponse>('GET', `/api/checkout/payments/${paymentId}`)).body;
  const timeline = (paymentId: string) =>
    h.sql<{ kind: string; payment_state: string | null }>(`SELECT kind, payment_state FROM checkout_events WHERE payment_id = $1 ORDER BY occurred_at, id`, [paymentId]);

  /** Re-derives the state from the stored events: the projections must agree with the history. */
  async function derivedState(paymentId: string): Promise<string> {
    let state = { state: 'INITIATED' as string, amount: '12.50', currency: 'EUR', returnOutcome: null };
    for (const e of await timeline(paymentId)) {
      if (e.kind !== 'confirmation.received' || !e.payment_state) continue;
      state = { ...state, state: applyConfirmation(state as never, { state: e.payment_state as never }).state };
    }
    return state.state;
  }

  const cases: [string, string, string][] = [
    ['SUCCESS', 'SUCCESS', 'success'],
    ['CANCEL', 'CANCEL', 'cancel'],
    ['FAILURE', 'FAILURE', 'failure'],
    ['PENDING_SUCCESS', 'SUCCESS', 'pending'],
    ['PENDING_FAILURE', 'FAILURE', 'pending'],
  ];
  for (const [outcome, finalState, page] of cases) {
    it(`${outcome}: confirmed, stored, returned to the ${page} page`, async () => {
      const { paymentId, sid, orderIdent } = await checkout();
      const completion = await h.sim.completePayment(sid, outcome);
      await h.sim.idle();
      const shopPage = await browserReturn(completion.location);
      expect(shopPage).toBe(`https://alpha.shop.example/result/${page}?paymentId=${paymentId}&orderIdent=${orderIdent}`);

      const s = await status(paymentId);
      // CANCEL and FAILURE confirmations carry no orderNumber (PROTOCOL.md §8.3)
      const orderNumber = outcome === 'CANCEL' || outcome === 'FAILURE' ? null : completion.orderNumber;
      expect(s).toMatchObject({ state: finalState, orderNumber, returnOutcome: page, onHold: false });
      const kinds = (await timeline(paymentId)).map((e) => e.kind);
      expect(kinds.slice(0, 2)).toEqual(['payment.initiated', 'storage.consumed']);
      expect(kinds).toContain('consumer.returned');
      expect(kinds.filter((k) => k === 'confirmation.received')).toHaveLength(outcome.startsWith('PENDING') ? 2 : 1);
      expect(await derivedState(paymentId)).toBe(s.state);
      // every delivery was answered OK
      const deliveries = h.sim.state.deliveries.list({ orderNumber: completion.orderNumber });
      expect(deliveries.length).toBeGreaterThan(0);
      expect(deliveries.every((d) => d.ok)).toBe(true);
    });
  }

  it('a duplicated confirmation is stored once and counted', async () => {
    const { paymentId, sid } = await checkout({ confirmation: 'duplicate' });
    await h.sim.completePayment(sid, 'SUCCESS');
    await h.sim.idle();
    const kinds = (await timeline(paymentId)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'confirmation.received')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'confirmation.duplicate')).toHaveLength(1);
    expect((await status(paymentId)).state).toBe('SUCCESS');
  });

  it('a confirmation arriving after the browser return works in that order too', async () => {
    const { paymentId, sid } = await checkout({ confirmation: 'after-redirect' });
    const completion = await h.sim.completePayment(sid, 'SUCCESS');
    await browserReturn(completion.location);
    await h.sim.idle();
    const kinds = (await timeline(paymentId)).map((e) => e.kind);
    expect(kinds.indexOf('consumer.returned')).toBeLessThan(kinds.indexOf('confirmation.received'));
    expect((await status(paymentId)).state).toBe('SUCCESS');
  });

  it('an altered amount is held for review and raises a mismatch', async () => {
    const { paymentId, sid } = await checkout({ alterAmount: '1.25' });
    await h.sim.completePayment(sid, 'SUCCESS');
    await h.sim.idle();
    expect(await status(paymentId)).toMatchObject({ state: 'INITIATED', onHold: true, holdReason: 'confirmed 1.25 EUR, initiated 12.50 EUR' });
    const [m] = await h.sql<{ kind: string }>(`SELECT kind FROM mismatches WHERE payment_id = $1`, [paymentId]);
    expect(m.kind).toBe('amount_mismatch');
  });

  it('a wrong fingerprint is rejected (NOK to every retry) and changes nothing', async () => {
    const { paymentId, sid } = await checkout({ wrongFingerprint: true });
    const completion = await h.sim.completePayment(sid, 'SUCCESS');
    await h.sim.idle();
    const deliveries = h.sim.state.deliveries.list({ orderNumber: completion.orderNumber });
    expect(deliveries.length).toBe(3); // first try + the two retries of the test schedule
    expect(deliveries.every((d) => d.httpStatus === 403 && !d.ok)).toBe(true);
    expect((await status(paymentId)).state).toBe('INITIATED');
    const rejected = await h.sql(`SELECT 1 FROM checkout_events WHERE payment_id = $1 AND kind = 'confirmation.rejected'`, [paymentId]);
    expect(rejected).toHaveLength(3);
  });

  it('a missing confirmation shows up as a return without confirmation', async () => {
    const { paymentId, sid } = await checkout({ confirmation: 'never' });
    const completion = await h.sim.completePayment(sid, 'SUCCESS');
    await browserReturn(completion.location);
    const flagged = await h.app.get(ReturnService).flagReturnsWithoutConfirmation(600, new Date(Date.now() + 15 * 60_000));
    expect(flagged).toBeGreaterThanOrEqual(1);
    const [m] = await h.sql<{ kind: string; reason: string }>(`SELECT kind, reason FROM mismatches WHERE payment_id = $1`, [paymentId]);
    expect(m).toMatchObject({ kind: 'return_without_confirmation' });
    expect(m.reason).toMatch(/^returned to success page \d+ min ago, no confirmation received$/);
    expect((await status(paymentId)).state).toBe('INITIATED');
  });

  it('the shop sees only its own payment', async () => {
    const { paymentId } = await checkout();
    const other = await h.call('GET', `/api/checkout/payments/${paymentId}`, { key: 'beta-api-key-0123456789abc' });
    expect(other.status).toBe(404);
    expect((await h.call('GET', `/api/checkout/payments/${paymentId}`, { key: ALPHA.apiKey })).status).toBe(200);
  });
});
