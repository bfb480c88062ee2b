import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISMATCH_KINDS, PENDING_AGE_BUCKETS, type ApiError, type FunnelCounts } from '@seamless-ops/contracts';
import { ReturnService } from '../src/returns/return.service';
import { cardPayment } from './checkout-harness';
import { postConfirmation, signedConfirmation } from './confirmation-fixtures';
import { abandonedStorage, allPages, BETA, checkout, operatorOf, startOpsWorld, type CheckedOut, type OpsWorld } from './ops-fixtures';

// The operator API at service level (hand-made operators; the HTTP side with sessions is ops-http.spec.ts), on a
// real PostgreSQL with data produced by the real checkout API, the gateway simulator, confirmations, browser
// returns and the storage sweeper.

const all = operatorOf(null);
const alphaOnly = operatorOf(['alpha']);
const betaOnly = operatorOf(['beta']);
const WRONG_SECRET = 'WRONGSECRETWRONGSECRETWRONGSEC';

/** The 400 (or other) ApiError a service call throws. */
async function failure(call: Promise<unknown> | (() => unknown)): Promise<ApiError> {
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (error) {
    expect(error).toBeInstanceOf(HttpException);
    const e = error as HttpException;
    const body = e.getResponse();
    return (typeof body === 'string' ? { statusCode: e.getStatus(), error: '', message: body } : body) as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('operator API (services, real PostgreSQL, data from the simulator)', () => {
  let w: OpsWorld;
  const alpha: Record<string, CheckedOut[]> = {};
  const beta: Record<string, CheckedOut[]> = {};
  let amountHold: CheckedOut;
  let lateConfirmed: CheckedOut;
  let contradicted: CheckedOut;
  let betaContradicted: CheckedOut;
  let initFailedStorage: string;
  const abandoned: { alpha: string[]; beta: string[] } = { alpha: [], beta: [] };
  let sweptAt: Date;

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => w.sql<T>(text, params);
  const back = (outcome: string, paymentId: string) => fetch(`${w.baseUrl}/qenta/return/${outcome}?paymentId=${paymentId}`, { redirect: 'manual' });

  beforeAll(async () => {
    w = await startOpsWorld();
    const run = async (n: number, options: Parameters<typeof checkout>[1]) => {
      const out: CheckedOut[] = [];
      for (let i = 0; i < n; i++) out.push(await checkout(w, options));
      return out;
    };
    // alpha: 25 consumers through the simulator.
    alpha['started'] = await run(6, { outcome: 'SUCCESS', started: true });
    alpha['success'] = await run(5, { outcome: 'SUCCESS' });
    alpha['failure'] = await run(4, { outcome: 'FAILURE' });
    alpha['cancel'] = await run(3, { outcome: 'CANCEL' });
    alpha['pendingThenSuccess'] = await run(2, { outcome: 'PENDING_SUCCESS' });
    alpha['stuckPending'] = await run(1, { outcome: 'PENDING_SUCCESS', pendingDelayMs: 3_600_000 });
    alpha['initiated'] = await run(3, { outcome: null });
    contradicted = await checkout(w, { outcome: 'SUCCESS', browserReturns: false });
    // beta: 4 consumers.
    beta['success'] = await run(2, { shop: BETA, outcome: 'SUCCESS' });
    beta['failure'] = await run(1, { shop: BETA, outcome: 'FAILURE' });
    beta['initiated'] = await run(1, { shop: BETA, outcome: null });
    betaContradicted = await checkout(w, { shop: BETA, outcome: 'SUCCESS', browserReturns: false });

    // Mismatches, each through its real path.
    expect((await back('cancel', contradicted.paymentId)).status).toBe(303); // returned to cancel, confirmed SUCCESS
    expect((await back('failure', betaContradicted.paymentId)).status).toBe(303);
    amountHold = await checkout(w, { outcome: null });
    await postConfirmation(w.baseUrl, signedConfirmation(amountHold.paymentId, 'SUCCESS', { amount: '1.00' })); // initiated 12.50
    await postConfirmation(w.baseUrl, signedConfirmation(randomUUID(), 'SUCCESS')); // unknown payment (alpha's secret verifies)
    lateConfirmed = await checkout(w, { outcome: null });
    expect((await back('success', lateConfirmed.paymentId)).status).toBe(303);
    expect(await w.app.get(ReturnService).flagReturnsWithoutConfirmation(0)).toBeGreaterThanOrEqual(1);
    await postConfirmation(w.baseUrl, signedConfirmation(lateConfirmed.paymentId, 'SUCCESS', { amount: '12.50' })); // resolves it

    // A declined payment init (INIT_FAILED) leaves its storage active.
    const declined = await abandonedStorage(w);
    initFailedStorage = declined.storageId;
    const knob = w.sim.state.knobs.addScoped({ orderIdent: declined.orderIdent }, { initError: { errorCode: '11017', message: 'Amount is missing.' }, initTarget: 'frontend' });
    expect((await w.call('POST', '/api/checkout/payments', { body: cardPayment(declined.storageId) })).status).toBe(502);
    w.sim.state.knobs.removeScoped(knob.id);

    // Security events: bad fingerprints for a known alpha payment (twice), a beta one, and an unknown payment.
    await postConfirmation(w.baseUrl, signedConfirmation(alpha['success'][0].paymentId, 'SUCCESS', {}, WRONG_SECRET));
    await postConfirmation(w.baseUrl, signedConfirmation(alpha['success'][1].paymentId, 'SUCCESS', {}, WRONG_SECRET));
    await postConfirmation(w.baseUrl, signedConfirmation(beta['success'][0].paymentId, 'SUCCESS', {}, WRONG_SECRET));
    await postConfirmation(w.baseUrl, signedConfirmation(randomUUID(), 'SUCCESS', {}, WRONG_SECRET));

    // Storages that die without a payment: three of alpha's, one of beta's, plus the declined one.
    for (let i = 0; i < 3; i++) abandoned.alpha.push((await abandonedStorage(w)).storageId);
    abandoned.beta.push((await abandonedStorage(w, BETA)).storageId);
    sweptAt = new Date(Date.now() + 31 * 60_000);
    expect(await w.sweeper.sweep(sweptAt)).toEqual({ locked: true, expired: 5 });
  }, 120_000);
  afterAll(() => w?.close());

  describe('GET /api/ops/payments', () => {
    const list = (op = all, query: Record<string, string> = {}) => w.ops.payments.list(op, query);
    const idsFromSql = async (where: string, params: unknown[] = []) =>
      (await sql<{ id: string }>(`SELECT id FROM payments WHERE ${where} ORDER BY created_at DESC, id DESC`, params)).map((r) => r.id);

    it('pages newest first with an opaque cursor: 10 at a time, no duplicates, no gaps', async () => {
      const pages = await allPages((cursor) => list(alphaOnly, { limit: '10', ...(cursor ? { cursor } : {}) }));
      const expected = await idsFromSql(`shop_id = 'alpha'`);
      expect(expected.length).toBeGreaterThanOrEqual(25);
      expect(pages.map((p) => p.length)).toEqual([10, 10, expected.length - 20]);
      const ids = pages.flat().map((p) => p.paymentId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expected);
    });

    it('keeps the order across rows with the same created_at (ties broken by id)', async () => {
      // Same microsecond for several payments: the keyset must still neither skip nor repeat.
      const tied = [...alpha['cancel'], ...alpha['failure']].map((p) => p.paymentId);
      await sql(`UPDATE payments SET created_at = '2020-01-01T00:00:00.123456Z' WHERE id = ANY($1::uuid[])`, [tied]);
      const pages = await allPages((cursor) => list(all, { limit: '3', to: '2020-01-02T00:00:00Z', ...(cursor ? { cursor } : {}) }));
      expect(pages.flat().map((p) => p.paymentId)).toEqual([...tied].sort().reverse());
      await sql(`UPDATE payments SET created_at = initiated_at WHERE id = ANY($1::uuid[])`, [tied]);
    });

    it('filters by shop, state, payment type and created range; each row is complete', async () => {
      const betaPage = await list(all, { shopId: 'beta' });
      expect(betaPage.items.map((p) => p.paymentId)).toEqual(await idsFromSql(`shop_id = 'beta'`));
      expect(betaPage.nextCursor).toBeNull();

      const failures = await list(all, { state: 'FAILURE' });
      expect(failures.items.map((p) => p.paymentId)).toEqual(await idsFromSql(`state = 'FAILURE'`));
      expect(failures.items).toHaveLength(5);

      expect((await list(all, { paymentType: 'CCARD', limit: '200' })).items.map((p) => p.paymentId)).toEqual(await idsFromSql(`payment_type = 'CCARD'`));
      expect((await list(all, { paymentType: 'PAYPAL' })).items).toEqual([]);

      const [mid] = await sql<{ created_at: Date }>(`SELECT created_at FROM payments WHERE id = $1`, [alpha['failure'][0].paymentId]);
      const from = mid.created_at.toISOString();
      const to = new Date(mid.created_at.getTime() + 1).toISOString();
      const inRange = await list(all, { from, to });
      expect(inRange.items.map((p) => p.paymentId)).toEqual(await idsFromSql(`created_at >= $1 AND created_at < $2`, [from, to]));

      const success = (await list(all, { q: alpha['started'][0].orderIdent })).items[0];
      expect(success).toMatchObject({
        paymentId: alpha['started'][0].paymentId,
        shopId: 'alpha',
        orderIdent: alpha['started'][0].orderIdent,
        orderNumber: alpha['started'][0].orderNumber,
        state: 'SUCCESS',
        amount: '12.50',
        currency: 'EUR',
        paymentType: 'CCARD',
        gatewayReferenceNumber: alpha['started'][0].gatewayReferenceNumber,
        returnOutcome: 'success',
        confirmationCount: 1,
        duplicateCount: 0,
        hasMismatch: false,
        holdReason: null,
      });
      expect(success.maskedPan).toMatch(/^\d{6}\*+\d{4}$/);
      for (const key of ['initiatedAt', 'firstConfirmationAt', 'finalAt', 'returnedAt'] as const) expect(Date.parse(success[key] as string)).not.toBeNaN();
      const held = (await list(all, { q: amountHold.paymentId })).items[0];
      // A SUCCESS for another amount is held: the payment stays open, flagged, with the reason.
      expect(held).toMatchObject({ state: 'INITIATED', hasMismatch: true, holdReason: 'confirmed 1.00 EUR, initiated 12.50 EUR', confirmationCount: 1 });
    });

    it('searches by orderIdent, orderNumber, paymentId (any case), gatewayReferenceNumber exact and by prefix', async () => {
      const p = alpha['success'][2];
      const found = async (q: string, op = all) => (await list(op, { q })).items.map((i) => i.paymentId);
      expect(await found(p.orderIdent)).toEqual([p.paymentId]);
      expect(await found(p.orderNumber as string)).toEqual([p.paymentId]);
      expect(await found(p.paymentId.toUpperCase())).toEqual([p.paymentId]);
      expect(p.gatewayReferenceNumber).toBeTruthy();
      expect(await found(p.gatewayReferenceNumber as string)).toEqual([p.paymentId]);
      const prefix = (p.gatewayReferenceNumber as string).slice(0, -2);
      expect(await found(prefix)).toContain(p.paymentId);
      // LIKE wildcards in q are plain characters.
      expect(await found('%')).toEqual([]);
      expect(await found('_')).toEqual([]);
      expect(await found('no-such-order')).toEqual([]);
      // Search never crosses the operator's shops.
      expect(await found(beta['success'][0].orderIdent, alphaOnly)).toEqual([]);
      expect(await found(beta['success'][0].orderIdent, betaOnly)).toEqual([beta['success'][0].paymentId]);
    });
  });

  describe('GET /api/ops/payments/:paymentId', () => {
    it('answers the payment with its whole timeline in (occurred_at, id) order, its mismatches and its storage', async () => {
      const detail = await w.ops.payments.detail(all, contradicted.paymentId);
      expect(detail).toMatchObject({ paymentId: contradicted.paymentId, state: 'SUCCESS', hasMismatch: true, returnOutcome: 'cancel' });
      expect(detail.timeline.map((e) => e.kind)).toEqual(['storage.initialized', 'storage.read', 'payment.initiated', 'storage.consumed', 'confirmation.received', 'consumer.returned']);
      const expected = await sql<{ id: string }>(
        `SELECT id::text FROM checkout_events WHERE payment_id = $1 OR (storage_id = $2 AND payment_id IS NULL) ORDER BY occurred_at, id`,
        [contradicted.paymentId, contradicted.storageId],
      );
      expect(detail.timeline.map((e) => e.id)).toEqual(expected.map((e) => e.id));
      const occurred = detail.timeline.map((e) => Date.parse(e.occurredAt));
      expect(occurred).toEqual([...occurred].sort((a, b) => a - b));
      const confirmation = detail.timeline.find((e) => e.kind === 'confirmation.received');
      expect(confirmation).toMatchObject({ source: 'gateway', paymentState: 'SUCCESS', amount: '12.50', currency: 'EUR' });
      expect(confirmation?.sourceAddress).toBe('127.0.0.1');
      // Sanitized payloads: never the card number the consumer typed.
      expect(JSON.stringify(detail.timeline)).not.toContain('4111111111111111');
      expect(detail.mismatches).toEqual([
        expect.objectContaining({ kind: 'return_contradicts_confirmation', reason: 'returned to cancel page, confirmed SUCCESS', status: 'open', paymentId: contradicted.paymentId }),
      ]);
      expect(detail.storage).toMatchObject({ storageId: contradicted.storageId, status: 'consumed', expiredAt: null });
      expect(detail.storage?.consumedAt).toEqual(expect.any(String));
    });

    it('shows a resolved mismatch with its resolution time', async () => {
      const detail = await w.ops.payments.detail(alphaOnly, lateConfirmed.paymentId);
      expect(detail.mismatches).toEqual([expect.objectContaining({ kind: 'return_without_confirmation', status: 'resolved' })]);
      expect(detail.mismatches[0].resolvedAt).toEqual(expect.any(String));
      expect(detail.hasMismatch).toBe(true);
    });

    it('answers 404 for a non-UUID, an unknown payment and a payment of a shop out of scope (never revealing it)', async () => {
      for (const [op, id] of [
        [all, 'not-a-uuid'],
        [all, randomUUID()],
        [alphaOnly, beta['success'][0].paymentId],
        [betaOnly, alpha['success'][0].paymentId],
        [operatorOf([]), alpha['success'][0].paymentId],
      ] as const) {
        expect(await failure(w.ops.payments.detail(op, id))).toEqual({ statusCode: 404, error: 'Not Found', message: 'payment not found' });
      }
      expect((await w.ops.payments.detail(betaOnly, beta['success'][0].paymentId)).shopId).toBe('beta');
    });
  });

  describe('GET /api/ops/pending', () => {
    it('lists what is not final, oldest first, with age, age bucket and the bucket counts over all of it', async () => {
      // Backdate the pending payments to known ages (nothing in the API makes time pass).
      const ages: [CheckedOut, number][] = [
        [alpha['initiated'][0], 60],
        [alpha['initiated'][1], 10 * 60],
        [alpha['initiated'][2], 30 * 60],
        [alpha['stuckPending'][0], 3 * 3600],
        [amountHold, 7 * 3600],
        [beta['initiated'][0], 2 * 86400],
      ];
      const now = new Date();
      for (const [p, seconds] of ages) {
        await sql(`UPDATE payments SET created_at = $2::timestamptz - make_interval(secs => $3) WHERE id = $1`, [p.paymentId, now, seconds]);
      }
      const page = await w.ops.pending.list(all, {}, now);
      expect(page.items.map((p) => [p.paymentId, p.state, p.ageSeconds, p.ageBucket])).toEqual([
        [beta['initiated'][0].paymentId, 'INITIATED', 2 * 86400, '>24h'],
        [amountHold.paymentId, 'INITIATED', 7 * 3600, '6-24h'],
        [alpha['stuckPending'][0].paymentId, 'PENDING', 3 * 3600, '1-6h'],
        [alpha['initiated'][2].paymentId, 'INITIATED', 30 * 60, '15-60m'],
        [alpha['initiated'][1].paymentId, 'INITIATED', 10 * 60, '5-15m'],
        [alpha['initiated'][0].paymentId, 'INITIATED', 60, '<5m'],
      ]);
      expect(page.items.find((p) => p.paymentId === amountHold.paymentId)?.holdReason).toBe('confirmed 1.00 EUR, initiated 12.50 EUR');
      expect(page.total).toBe(6);
      expect(page.ageBuckets).toEqual([
        { bucket: '<5m', count: 1 },
        { bucket: '5-15m', count: 1 },
        { bucket: '15-60m', count: 1 },
        { bucket: '1-6h', count: 1 },
        { bucket: '6-24h', count: 1 },
        { bucket: '>24h', count: 1 },
      ]);
      expect(page.ageBuckets.map((b) => b.bucket)).toEqual([...PENDING_AGE_BUCKETS]);

      // Pages of two; the bucket counts stay those of the whole list.
      const pages = await allPages(async (cursor) => {
        const p = await w.ops.pending.list(all, { limit: '2', ...(cursor ? { cursor } : {}) }, now);
        expect(p.total).toBe(6);
        return p;
      });
      expect(pages.map((p) => p.length)).toEqual([2, 2, 2]);
      expect(pages.flat().map((p) => p.paymentId)).toEqual(page.items.map((p) => p.paymentId));

      const alphaPending = await w.ops.pending.list(alphaOnly, {}, now);
      expect(alphaPending.items.every((p) => p.shopId === 'alpha')).toBe(true);
      expect(alphaPending.total).toBe(5);
      expect(alphaPending.ageBuckets.find((b) => b.bucket === '>24h')?.count).toBe(0);
      expect((await w.ops.pending.list(all, { shopId: 'beta' }, now)).total).toBe(1);
      expect((await w.ops.pending.list(all, { paymentType: 'PAYPAL' }, now)).total).toBe(0);
      // Initiated within a range.
      const recent = await w.ops.pending.list(all, { from: new Date(now.getTime() - 3600_000).toISOString() }, now);
      expect(recent.items.map((p) => p.ageBucket)).toEqual(['15-60m', '5-15m', '<5m']);
    });
  });

  describe('GET /api/ops/storages/expired', () => {
    it('lists storages that died without a payment, newest expiry first, with how long they lived', async () => {
      const page = await w.ops.storages.list(all, {});
      const expected = await sql<{ storage_id: string }>(`SELECT storage_id FROM storages WHERE status = 'expired' ORDER BY expired_at DESC, storage_id DESC`);
      expect(page.items.map((s) => s.storageId)).toEqual(expected.map((s) => s.storage_id));
      expect(new Set(page.items.map((s) => s.storageId))).toEqual(new Set([...abandoned.alpha, ...abandoned.beta, initFailedStorage]));
      for (const s of page.items) {
        expect(s.livedSeconds).toBe(30 * 60);
        expect(Date.parse(s.expiredAt) - Date.parse(s.initializedAt)).toBe(30 * 60_000);
        expect(Date.parse(s.expiredAt)).toBeLessThan(sweptAt.getTime());
        expect(s.orderIdent).toEqual(expect.any(String));
      }
      const alphaStorages = await w.ops.storages.list(alphaOnly, {});
      expect(alphaStorages.items.map((s) => s.storageId).sort()).toEqual([...abandoned.alpha, initFailedStorage].sort());
      expect((await w.ops.storages.list(all, { shopId: 'beta' })).items.map((s) => s.storageId)).toEqual(abandoned.beta);

      const pages = await allPages((cursor) => w.ops.storages.list(all, { limit: '2', ...(cursor ? { cursor } : {}) }));
      expect(pages.flat().map((s) => s.storageId)).toEqual(page.items.map((s) => s.storageId));

      // Range on the expiry: before any of them expired there is nothing.
      expect((await w.ops.storages.list(all, { to: new Date(Date.parse(page.items[page.items.length - 1].expiredAt)).toISOString() })).items).toEqual([]);
      expect((await w.ops.storages.list(all, { from: page.items[0].expiredAt })).items.map((s) => s.storageId)).toEqual([page.items[0].storageId]);
    });
  });

  describe('GET /api/ops/mismatches', () => {
    it('lists mismatches newest first with the reason inline, by status and kind, with open counts per kind', async () => {
      const page = await w.ops.mismatches.list(all, {});
      const expected = await sql<{ id: string }>(`SELECT id::text FROM mismatches ORDER BY detected_at DESC, id DESC`);
      expect(page.items.map((m) => m.id)).toEqual(expected.map((m) => m.id));
      expect(page.items.map((m) => [m.shopId, m.kind, m.status]).sort()).toEqual(
        [
          ['alpha', 'amount_mismatch', 'open'],
          ['alpha', 'return_contradicts_confirmation', 'open'],
          ['alpha', 'return_without_confirmation', 'resolved'],
          ['alpha', 'unknown_payment', 'open'],
          ['beta', 'return_contradicts_confirmation', 'open'],
        ].sort(),
      );
      const amount = page.items.find((m) => m.kind === 'amount_mismatch');
      expect(amount).toMatchObject({ paymentId: amountHold.paymentId, reason: 'confirmed 1.00 EUR, initiated 12.50 EUR', resolvedAt: null });
      expect(amount?.detail).toEqual(expect.any(Object));
      expect(page.items.find((m) => m.kind === 'unknown_payment')?.paymentId).toBeNull();

      const counts = Object.fromEntries(page.countsByKind.map((c) => [c.kind, c.open]));
      expect(page.countsByKind.map((c) => c.kind)).toEqual([...MISMATCH_KINDS]);
      expect(counts).toMatchObject({ amount_mismatch: 1, return_contradicts_confirmation: 2, unknown_payment: 1, return_without_confirmation: 0, conflicting_final_states: 0 });

      expect((await w.ops.mismatches.list(all, { status: 'resolved' })).items.map((m) => m.paymentId)).toEqual([lateConfirmed.paymentId]);
      expect((await w.ops.mismatches.list(all, { status: 'open' })).items).toHaveLength(4);
      const byKind = await w.ops.mismatches.list(all, { kind: 'return_contradicts_confirmation' });
      expect(byKind.items.map((m) => m.paymentId).sort()).toEqual([contradicted.paymentId, betaContradicted.paymentId].sort());
      // The counts do not narrow with kind or status (the grouping stays visible).
      expect(byKind.countsByKind).toEqual(page.countsByKind);
      // Payment type: the payment's; a mismatch without a payment has none.
      expect((await w.ops.mismatches.list(all, { paymentType: 'CCARD' })).items.map((m) => m.kind)).not.toContain('unknown_payment');

      const alphaView = await w.ops.mismatches.list(alphaOnly, {});
      expect(alphaView.items.every((m) => m.shopId === 'alpha')).toBe(true);
      expect(alphaView.countsByKind.find((c) => c.kind === 'return_contradicts_confirmation')?.open).toBe(1);
      const betaView = await w.ops.mismatches.list(betaOnly, {});
      expect(betaView.items.map((m) => m.paymentId)).toEqual([betaContradicted.paymentId]);

      const pages = await allPages((cursor) => w.ops.mismatches.list(all, { limit: '2', ...(cursor ? { cursor } : {}) }));
      expect(pages.flat().map((m) => m.id)).toEqual(page.items.map((m) => m.id));
      expect((await w.ops.mismatches.list(all, { to: '2000-01-01' })).items).toEqual([]);
    });
  });

  describe('GET /api/ops/security-events', () => {
    it('lists rejected confirmations newest first; shop-less ones only for operators of every shop', async () => {
      const page = await w.ops.security.list(all, {});
      const expected = await sql<{ id: string; reason: string; shop_id: string | null }>(
        `SELECT id::text, payload->>'reason' AS reason, shop_id FROM checkout_events WHERE kind = 'confirmation.rejected' ORDER BY occurred_at DESC, id DESC`,
      );
      expect(page.items.map((e) => [e.id, e.reason, e.shopId])).toEqual(expected.map((e) => [e.id, e.reason, e.shop_id]));
      expect(page.items.map((e) => e.shopId).sort()).toEqual(['alpha', 'alpha', 'beta', null].sort());
      expect(page.items.every((e) => e.kind === 'confirmation.rejected' && e.reason.length > 0 && e.sourceAddress === '127.0.0.1')).toBe(true);
      expect(page.items.find((e) => e.shopId === 'beta')).toMatchObject({ paymentId: beta['success'][0].paymentId, paymentState: 'SUCCESS' });

      expect((await w.ops.security.list(alphaOnly, {})).items.map((e) => e.shopId)).toEqual(['alpha', 'alpha']);
      expect((await w.ops.security.list(betaOnly, {})).items.map((e) => e.shopId)).toEqual(['beta']);
      // An all-shop operator asking for one shop sees that shop's only.
      expect((await w.ops.security.list(all, { shopId: 'alpha' })).items.map((e) => e.shopId)).toEqual(['alpha', 'alpha']);
      const pages = await allPages((cursor) => w.ops.security.list(all, { limit: '1', ...(cursor ? { cursor } : {}) }));
      expect(pages.flat().map((e) => e.id)).toEqual(page.items.map((e) => e.id));
      expect((await w.ops.security.list(all, { from: new Date(Date.now() + 60_000).toISOString() })).items).toEqual([]);
    });
  });

  describe('GET /api/ops/overview and /api/ops/funnel', () => {
    /** The funnel counted straight from checkout_events over [from, to), as the rollup should have it. */
    async function fromEvents(from: string, to: string, shopId: string | null, paymentType: string | null = null): Promise<FunnelCounts & { securityEvents: number }> {
      const [r] = await sql<Record<string, string>>(
        `WITH initiated AS (
           SELECT payment_id, amount, currency FROM checkout_events WHERE kind = 'payment.initiated'
         ), e AS (
           SELECT ce.*, (ce.kind = 'confirmation.received' AND ce.payment_state = 'SUCCESS'
                         AND (ce.amount <> i.amount OR ce.currency <> i.currency)) AS held
           FROM checkout_events ce LEFT JOIN initiated i USING (payment_id)
           WHERE ce.occurred_at >= $1 AND ce.occurred_at < $2 AND ($3::text IS NULL OR ce.shop_id = $3)
             AND ($4::text IS NULL OR coalesce(ce.payment_type, 'UNSPECIFIED') = $4 OR ce.kind = 'confirmation.rejected')
         )
         SELECT
           count(*) FILTER (WHERE kind = 'checkout.started') AS "checkoutsStarted",
           count(*) FILTER (WHERE kind = 'storage.initialized') AS "storagesInitialized",
           count(DISTINCT storage_id) FILTER (WHERE kind = 'storage.read' AND payload->>'outcome' = 'ok' AND (payload->>'paymentInformations')::int > 0) AS "paymentDataStored",
           count(*) FILTER (WHERE kind = 'payment.initiated') AS "paymentsInitiated",
           count(DISTINCT payment_id) FILTER (WHERE kind = 'confirmation.received') AS confirmations,
           count(DISTINCT payment_id) FILTER (WHERE kind = 'confirmation.received' AND payment_state = 'SUCCESS' AND NOT held) AS successes,
           count(DISTINCT payment_id) FILTER (WHERE kind = 'confirmation.received' AND payment_state = 'CANCEL') AS cancels,
           count(DISTINCT payment_id) FILTER (WHERE kind = 'confirmation.received' AND payment_state = 'FAILURE') AS failures,
           count(DISTINCT payment_id) FILTER (WHERE kind = 'confirmation.received' AND payment_state = 'PENDING') AS pendings,
           count(*) FILTER (WHERE kind = 'storage.expired') AS "storagesExpired",
           count(*) FILTER (WHERE kind = 'payment.init_failed') AS "initFailures",
           count(DISTINCT payment_id) FILTER (WHERE kind = 'consumer.returned') AS returns,
           count(*) FILTER (WHERE kind = 'confirmation.rejected') AS "securityEvents"
         FROM e`,
        [from, to, shopId, paymentType],
      );
      return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as unknown as FunnelCounts & { securityEvents: number };
    }

    /** Payments whose events show no final outcome (and no failed init) now; a SUCCESS for another amount is held, not final. */
    async function pendingFromEvents(shopId: string | null): Promise<number> {
      const [r] = await sql<{ n: string }>(
        `SELECT count(*) AS n FROM (
           SELECT e.payment_id FROM checkout_events e
           LEFT JOIN checkout_events i ON i.payment_id = e.payment_id AND i.kind = 'payment.initiated'
           WHERE e.payment_id IS NOT NULL AND ($1::text IS NULL OR e.shop_id = $1)
           GROUP BY e.payment_id
           HAVING bool_or(e.kind = 'payment.initiated')
              AND NOT bool_or(e.kind = 'payment.init_failed')
              AND NOT bool_or(e.kind = 'confirmation.received' AND e.payment_state IN ('SUCCESS', 'CANCEL', 'FAILURE')
                              AND NOT (e.payment_state = 'SUCCESS' AND (e.amount <> i.amount OR e.currency <> i.currency)))
         ) p`,
        [shopId],
      );
      return Number(r.n);
    }

    const range = () => ({ from: new Date(Date.now() - 3600_000).toISOString(), to: new Date(sweptAt.getTime() + 3600_000).toISOString() });

    it("the overview's numbers equal counts taken directly from the events", async () => {
      for (const [op, shopId] of [
        [all, null],
        [alphaOnly, 'alpha'],
        [betaOnly, 'beta'],
      ] as const) {
        const overview = await w.ops.funnel.overview(op, range());
        const events = await fromEvents(overview.from, overview.to, shopId);
        expect(events.paymentsInitiated).toBeGreaterThan(0);
        expect(overview.paymentsInitiated).toBe(events.paymentsInitiated);
        expect(overview.successes).toBe(events.successes);
        expect(overview.securityEvents).toBe(events.securityEvents);
        expect(overview.pending).toBe(await pendingFromEvents(shopId));
        const finals = events.successes + events.cancels + events.failures;
        expect(overview.successRate).toBeCloseTo(events.successes / finals, 12);
        expect(overview.conversion).toBeCloseTo(events.successes / (events.checkoutsStarted || events.paymentsInitiated), 12);
        const [open] = await sql<{ n: string }>(`SELECT count(*) AS n FROM mismatches WHERE status = 'open' AND ($1::text IS NULL OR shop_id = $1)`, [shopId]);
        expect(overview.openMismatches).toBe(Number(open.n));
        expect(overview.openAlerts).toBe(0);
        // The series adds up to the same finals.
        expect(overview.successRateSeries.reduce((n, b) => n + b.finals, 0)).toBe(finals);
      }
      const alphaOverview = await w.ops.funnel.overview(alphaOnly, range());
      expect(alphaOverview).toMatchObject({ securityEvents: 2, openMismatches: 3, pending: 5 });
      expect((await w.ops.funnel.overview(all, range())).securityEvents).toBe(4);
    });

    it('the funnel totals equal the events per step, by hour and by day, and agree with the overview', async () => {
      for (const granularity of ['hour', 'day']) {
        for (const [op, shopId] of [
          [all, null],
          [alphaOnly, 'alpha'],
        ] as const) {
          const funnel = await w.ops.funnel.funnel(op, { ...range(), granularity });
          expect(funnel.granularity).toBe(granularity);
          const { securityEvents: _, ...events } = await fromEvents(funnel.from, funnel.to, shopId);
          expect(funnel.totals).toEqual(events);
          const summed = funnel.buckets.reduce((n, b) => n + b.paymentsInitiated, 0);
          expect(summed).toBe(events.paymentsInitiated);
          expect(funnel.dropOffs).toMatchObject({ storageExpired: events.storagesExpired, initFailed: events.initFailures, cancelled: events.cancels, failed: events.failures });
          const overview = await w.ops.funnel.overview(op, range());
          expect(funnel.successRate).toBe(overview.successRate);
          expect(funnel.conversion).toBe(overview.conversion);
        }
      }
      const funnel = await w.ops.funnel.funnel(alphaOnly, range());
      expect(funnel.totals).toMatchObject({ checkoutsStarted: 6, initFailures: 1, storagesExpired: 4, cancels: 3, failures: 4, pendings: 3 });
      expect(funnel.conversion).toBeCloseTo(funnel.totals.successes / 6, 12);
      // Still pending: initiated in the range and not final now.
      const [stillPending] = await sql<{ n: string }>(
        `SELECT count(*) AS n FROM payments WHERE shop_id = 'alpha' AND state IN ('INITIATED', 'PENDING', 'UNKNOWN') AND created_at >= $1 AND created_at < $2`,
        [funnel.from, funnel.to],
      );
      expect(funnel.dropOffs.stillPending).toBe(Number(stillPending.n));
    });

    it('by payment type: CCARD steps after the choice, UNSPECIFIED those before', async () => {
      const ccard = await w.ops.funnel.funnel(all, { ...range(), paymentType: 'CCARD' });
      const { securityEvents: _s, ...events } = await fromEvents(ccard.from, ccard.to, null, 'CCARD');
      expect(ccard.totals.paymentsInitiated).toBe(events.paymentsInitiated);
      expect(ccard.totals.successes).toBe(events.successes);
      expect(ccard.totals.checkoutsStarted).toBe(0);
      // No checkout starts under CCARD: conversion falls back to payments initiated.
      expect(ccard.conversion).toBeCloseTo(ccard.totals.successes / ccard.totals.paymentsInitiated, 12);
      const unspecified = await w.ops.funnel.funnel(all, { ...range(), paymentType: 'UNSPECIFIED' });
      expect(unspecified.totals.paymentsInitiated).toBe(0);
      expect(unspecified.totals.storagesInitialized).toBe((await fromEvents(ccard.from, ccard.to, null)).storagesInitialized);
    });

    it('answers every bucket of the range (empty ones as zeros), widened to whole UTC hours; days are UTC days', async () => {
      const hourly = await w.ops.funnel.funnel(all, { from: '2020-03-01T10:30:00Z', to: '2020-03-01T13:10:00+00:00', granularity: 'hour' });
      expect(hourly).toMatchObject({ from: '2020-03-01T10:00:00.000Z', to: '2020-03-01T14:00:00.000Z', conversion: null, successRate: null });
      expect(hourly.buckets.map((b) => b.bucket)).toEqual(['2020-03-01T10:00:00.000Z', '2020-03-01T11:00:00.000Z', '2020-03-01T12:00:00.000Z', '2020-03-01T13:00:00.000Z']);
      expect(hourly.buckets.every((b) => b.checkoutsStarted === 0 && b.successes === 0)).toBe(true);
      const daily = await w.ops.funnel.funnel(all, { from: '2020-03-01T22:00:00+02:00', to: '2020-03-03', granularity: 'day' });
      expect(daily.granularity).toBe('day');
      expect(daily.buckets.map((b) => b.bucket)).toEqual(['2020-03-01T00:00:00.000Z', '2020-03-02T00:00:00.000Z']);
      // Default: the last 24 hours, per hour.
      const now = new Date('2024-06-01T10:20:00Z');
      const recent = await w.ops.funnel.funnel(all, {}, now);
      expect(recent).toMatchObject({ granularity: 'hour', from: '2024-05-31T11:00:00.000Z', to: '2024-06-01T11:00:00.000Z' });
      expect(recent.buckets).toHaveLength(24);
      const overview = await w.ops.funnel.overview(all, { from: '2020-03-01', to: '2020-03-08' });
      expect(overview.successRateSeries.map((b) => b.bucket)).toHaveLength(7);
      expect(overview.successRateSeries[0]).toEqual({ bucket: '2020-03-01T00:00:00.000Z', successRate: null, finals: 0 });
    });
  });

  describe('GET /api/ops/alerts (no rule has run here; alerts*.spec.ts test the alerts)', () => {
    it('answers an empty page, and 404 to every acknowledgement', async () => {
      expect(await w.ops.alerts.list(all, { status: 'open', shopId: 'alpha' })).toEqual({ items: [], nextCursor: null });
      expect(await failure(() => w.ops.alerts.acknowledge(all, '1'))).toEqual({ statusCode: 404, error: 'Not Found', message: 'alert not found' });
      expect((await failure(() => w.ops.alerts.list(all, { status: 'closed' }))).statusCode).toBe(400);
    });
  });

  describe('shop scope', () => {
    it('an operator of alpha never sees a row of beta, on any list', async () => {
      const op = alphaOnly;
      const payments = (await allPages((cursor) => w.ops.payments.list(op, { limit: '200', ...(cursor ? { cursor } : {}) }))).flat();
      expect(payments.length).toBeGreaterThan(20);
      expect(payments.every((p) => p.shopId === 'alpha')).toBe(true);
      expect((await w.ops.pending.list(op, {})).items.every((p) => p.shopId === 'alpha')).toBe(true);
      expect((await w.ops.storages.list(op, {})).items.every((s) => s.shopId === 'alpha')).toBe(true);
      expect((await w.ops.mismatches.list(op, {})).items.every((m) => m.shopId === 'alpha')).toBe(true);
      expect((await w.ops.security.list(op, {})).items.every((e) => e.shopId === 'alpha')).toBe(true);
      const betaOverview = await w.ops.funnel.overview(betaOnly, { from: new Date(Date.now() - 3600_000).toISOString() });
      const allOverview = await w.ops.funnel.overview(all, { from: new Date(Date.now() - 3600_000).toISOString() });
      const alphaOverview = await w.ops.funnel.overview(op, { from: new Date(Date.now() - 3600_000).toISOString() });
      expect(alphaOverview.paymentsInitiated + betaOverview.paymentsInitiated).toBe(allOverview.paymentsInitiated);
    });

    it('asking for a shop out of scope is refused (403); an operator of no shop sees nothing', async () => {
      for (const call of [
        () => w.ops.payments.list(alphaOnly, { shopId: 'beta' }),
        () => w.ops.pending.list(alphaOnly, { shopId: 'beta' }),
        () => w.ops.storages.list(alphaOnly, { shopId: 'beta' }),
        () => w.ops.mismatches.list(alphaOnly, { shopId: 'beta' }),
        () => w.ops.security.list(alphaOnly, { shopId: 'beta' }),
        () => w.ops.funnel.overview(alphaOnly, { shopId: 'beta' }),
        () => w.ops.funnel.funnel(alphaOnly, { shopId: 'beta' }),
        () => w.ops.alerts.list(alphaOnly, { shopId: 'beta' }),
      ]) {
        expect((await failure(call)).statusCode).toBe(403);
      }
      const nobody = operatorOf([]);
      expect((await w.ops.payments.list(nobody, {})).items).toEqual([]);
      expect((await w.ops.security.list(nobody, {})).items).toEqual([]);
      expect((await w.ops.pending.list(nobody, {})).total).toBe(0);
      expect((await w.ops.funnel.overview(nobody, {})).paymentsInitiated).toBe(0);
    });
  });

  describe('bad parameters', () => {
    it('answer 400 with every problem listed', async () => {
      const cases: [string, () => unknown, RegExp][] = [
        ['bad date', () => w.ops.payments.list(all, { from: 'yesterday' }), /from "yesterday" is not an ISO 8601/],
        ['impossible date', () => w.ops.payments.list(all, { to: '2024-02-30' }), /to "2024-02-30" is not an ISO 8601/],
        ['unknown state', () => w.ops.payments.list(all, { state: 'DONE' }), /state "DONE" is not one of INITIATED/],
        ['bad cursor', () => w.ops.payments.list(all, { cursor: 'abc' }), /cursor is not valid/],
        ['cursor of another list', () => w.ops.payments.list(all, { cursor: Buffer.from(JSON.stringify(['mismatches', '2024-01-01T00:00:00Z', '1'])).toString('base64url') }), /cursor is not valid/],
        ['limit 0', () => w.ops.payments.list(all, { limit: '0' }), /limit must be an integer from 1 to 200/],
        ['limit 201', () => w.ops.pending.list(all, { limit: '201' }), /limit must be an integer from 1 to 200/],
        ['limit abc', () => w.ops.storages.list(all, { limit: '1e2' }), /limit must be an integer/],
        ['from after to', () => w.ops.mismatches.list(all, { from: '2024-02-01', to: '2024-01-01' }), /from must not be after to/],
        ['range too long', () => w.ops.funnel.overview(all, { from: '2023-01-01', to: '2024-03-01' }), /at most 400 days/],
        ['range too long (funnel)', () => w.ops.funnel.funnel(all, { from: '2023-01-01T00:00:00Z', to: '2024-02-05T00:00:01Z' }), /at most 400 days/],
        ['unknown granularity', () => w.ops.funnel.funnel(all, { granularity: 'week' }), /granularity "week" is not one of hour, day/],
        ['unknown kind', () => w.ops.mismatches.list(all, { kind: 'oops' }), /kind "oops" is not one of/],
        ['unknown status', () => w.ops.mismatches.list(all, { status: 'closed' }), /status "closed" is not one of open, resolved/],
        ['unknown parameter', () => w.ops.security.list(all, { shop: 'alpha' }), /unknown query parameter "shop"/],
        ['repeated parameter', () => w.ops.payments.list(all, { state: ['SUCCESS', 'FAILURE'] }), /state must be given once/],
        ['bad shop id', () => w.ops.payments.list(all, { shopId: "alpha' OR 1=1" }), /shopId must be a shop id/],
        ['future from without to', () => w.ops.funnel.overview(all, { from: '2999-01-01' }), /from must not be in the future/],
        ['old from without to', () => w.ops.funnel.funnel(all, { from: '2001-01-01' }), /at most 400 days/],
      ];
      for (const [name, call, message] of cases) {
        const e = await failure(call);
        expect(e.statusCode, name).toBe(400);
        expect(e.error, name).toBe('Bad Request');
        expect(e.details?.join('\n') ?? e.message, name).toMatch(message);
      }
      const several = await failure(w.ops.payments.list(all, { from: 'x', limit: '0', state: 'nope' }));
      expect(several.message).toBe('the query has 3 problems');
      expect(several.details).toHaveLength(3);
      // A range of exactly 400 days is fine; so are empty values (treated as absent).
      await expect(w.ops.funnel.overview(all, { from: '2023-01-01T00:00:00Z', to: '2024-02-05T00:00:00Z' })).resolves.toMatchObject({ openAlerts: 0 });
      await expect(w.ops.payments.list(all, { shopId: '', q: '', state: '' })).resolves.toMatchObject({ items: expect.any(Array) });
    });
  });
});
