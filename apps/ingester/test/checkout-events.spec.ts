import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA, funnel, startCheckoutHarness, type CheckoutHarness } from './checkout-harness';

type Json = Record<string, unknown>;

describe('checkout API: shop-reported funnel steps', () => {
  let h: CheckoutHarness;
  beforeAll(async () => {
    h = await startCheckoutHarness();
  });
  afterAll(() => h?.close());
  const eventCount = async () => Number((await h.sql<{ n: string }>('SELECT count(*)::text AS n FROM checkout_events'))[0].n);

  it('records checkout.started (counted in the funnel, in the hour it occurred) and checkout.step with its name: 202', async () => {
    const startedBefore = await funnel(h, 'alpha', 'checkouts_started');
    const occurredAt = new Date(Date.now() - 3 * 60 * 60_000).toISOString();
    const started = await h.call('POST', '/api/checkout/events', { body: { kind: 'checkout.started', orderIdent: 'cart-1', occurredAt } });
    expect(started.status).toBe(202);
    expect(started.text).toBe('');
    const step = await h.call('POST', '/api/checkout/events', { body: { kind: 'checkout.step', orderIdent: 'cart-1', name: 'order-review', paymentType: 'CCARD' } });
    expect(step.status).toBe(202);

    const events = await h.sql<{ kind: string; source: string; shop_id: string; payment_type: string | null; payload: Json; occurred_at: Date }>(
      `SELECT kind, source, shop_id, payment_type, payload, occurred_at FROM checkout_events WHERE order_ident = 'cart-1' ORDER BY id`,
    );
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ kind: 'checkout.started', source: 'shop', shop_id: 'alpha', payment_type: null, payload: {} });
    expect(events[0].occurred_at.toISOString()).toBe(occurredAt);
    expect(events[1]).toMatchObject({ kind: 'checkout.step', payment_type: 'CCARD', payload: { name: 'order-review' } });
    expect(await funnel(h, 'alpha', 'checkouts_started')).toBe(startedBefore + 1);
    const [bucket] = await h.sql<{ bucket: Date }>(`SELECT bucket FROM funnel_hourly WHERE shop_id = 'alpha' AND checkouts_started > 0 ORDER BY bucket LIMIT 1`);
    expect(bucket.bucket.toISOString()).toBe(new Date(Math.floor(Date.parse(occurredAt) / 3_600_000) * 3_600_000).toISOString());

    expect((await h.call('POST', '/api/checkout/events', { body: { kind: 'checkout.started', orderIdent: 'cart-2', paymentType: 'PAYPAL' }, key: BETA.apiKey })).status).toBe(202);
    expect(await funnel(h, 'beta', 'checkouts_started', 'PAYPAL')).toBe(1);
  });

  it('rejects bad events with 400 and the reason (and 401 without key), writing nothing', async () => {
    const before = await eventCount();
    const now = Date.now();
    const cases: Array<[unknown, RegExp]> = [
      [{ kind: 'checkout.finished', orderIdent: 'c' }, /kind "checkout.finished" is not a known event kind/],
      [{ orderIdent: 'c' }, /kind is required/],
      [{ kind: 'checkout.started' }, /orderIdent is required/],
      [{ kind: 'checkout.started', orderIdent: 'c d' }, /orderIdent must be 1-64 characters/],
      [{ kind: 'checkout.step', orderIdent: 'c' }, /name is required for checkout.step/],
      [{ kind: 'checkout.step', orderIdent: 'c', name: 'Order Review' }, /name must be 1-64 characters of a-z/],
      [{ kind: 'checkout.step', orderIdent: 'c', name: 'x'.repeat(65) }, /name must be at most 64/],
      [{ kind: 'checkout.started', orderIdent: 'c', name: 'x' }, /name is only used with checkout.step/],
      [{ kind: 'checkout.started', orderIdent: 'c', paymentType: 'CASH' }, /paymentType "CASH" is not a known payment type/],
      [{ kind: 'checkout.started', orderIdent: 'c', occurredAt: 'yesterday' }, /occurredAt must be an ISO 8601 date-time/],
      [{ kind: 'checkout.started', orderIdent: 'c', occurredAt: '2026-01-31' }, /occurredAt must be an ISO 8601 date-time/],
      [{ kind: 'checkout.started', orderIdent: 'c', occurredAt: '2026-13-45T99:00:00Z' }, /is not a valid date-time/],
      [{ kind: 'checkout.started', orderIdent: 'c', occurredAt: new Date(now + 6 * 60_000).toISOString() }, /not be more than 5 minutes in the future/],
      [{ kind: 'checkout.started', orderIdent: 'c', occurredAt: new Date(now - 8 * 24 * 3_600_000).toISOString() }, /not be more than 7 days in the past/],
      [{ kind: 'checkout.started', orderIdent: 'c', storageId: 'x' }, /storageId is not a known field/],
      [[], /must be a JSON object/],
    ];
    for (const [body, reason] of cases) {
      const res = await h.call('POST', '/api/checkout/events', { body });
      const all = [res.body['message'], ...((res.body['details'] as string[]) ?? [])].join(' | ');
      expect(res.status, `${JSON.stringify(body)} → ${all}`).toBe(400);
      expect(all).toMatch(reason);
    }
    expect((await h.call('POST', '/api/checkout/events')).body['message']).toBe('a JSON body is required');
    expect((await h.call('POST', '/api/checkout/events', { raw: '{', contentType: 'application/json' })).status).toBe(400);
    expect((await h.call('POST', '/api/checkout/events', { raw: 'kind=checkout.started', contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await h.call('POST', '/api/checkout/events', { body: { kind: 'checkout.started', orderIdent: 'c' }, key: null })).status).toBe(401);
    // A time within the tolerance is fine.
    expect((await h.call('POST', '/api/checkout/events', { body: { kind: 'checkout.started', orderIdent: 'ok', occurredAt: new Date(now + 60_000).toISOString() } })).status).toBe(202);
    expect(await eventCount()).toBe(before + 1);
  });
});
