import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReturnService } from '../src/returns/return.service';
import { startTestApp, type TestApp } from './app';
import { postConfirmation, queryRows, seedPayment, signedConfirmation } from './confirmation-fixtures';
import { createTestDatabase, type TestDatabase } from './database';

describe('GET /qenta/return/:outcome', () => {
  let db: TestDatabase;
  let ingester: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    ingester = await startTestApp(db.url);
  });
  afterAll(async () => {
    await ingester?.close();
    await db?.drop();
  });

  const back = (outcome: string, query: string) => fetch(`${ingester.baseUrl}/qenta/return/${outcome}?${query}`, { redirect: 'manual' });
  const payment = (id: string) =>
    queryRows<{ state: string; return_outcome: string | null; returned_at: Date | null }>(db.url, `SELECT state, return_outcome, returned_at FROM payments WHERE id = $1`, [id]).then((r) => r[0]);
  const mismatches = (id: string) => queryRows<{ kind: string; reason: string; status: string }>(db.url, `SELECT kind, reason, status FROM mismatches WHERE payment_id = $1 ORDER BY id`, [id]);

  it('records the return and redirects to the shop page for that outcome, without setting a state', async () => {
    const p = await seedPayment(db.url);
    const res = await back('success', `paymentId=${p.id}&shopId=demo`);
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:3200/checkout/result');
    expect(location.searchParams.get('outcome')).toBe('success');
    expect(location.searchParams.get('paymentId')).toBe(p.id);
    expect(location.searchParams.get('orderIdent')).toBe(p.orderIdent);
    expect(await payment(p.id)).toMatchObject({ state: 'INITIATED', return_outcome: 'success' });
    const [e] = await queryRows<{ kind: string; source: string; payload: { outcome: string } }>(
      db.url,
      `SELECT kind, source, payload FROM checkout_events WHERE payment_id = $1 AND kind = 'consumer.returned'`,
      [p.id],
    );
    expect(e).toMatchObject({ kind: 'consumer.returned', source: 'consumer', payload: { outcome: 'success' } });
  });

  it('flags a return contradicting an earlier confirmation', async () => {
    const p = await seedPayment(db.url);
    await postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'SUCCESS'));
    await back('cancel', `paymentId=${p.id}`);
    expect(await payment(p.id)).toMatchObject({ state: 'SUCCESS', return_outcome: 'cancel' });
    expect(await mismatches(p.id)).toEqual([{ kind: 'return_contradicts_confirmation', reason: 'returned to cancel page, confirmed SUCCESS', status: 'open' }]);
  });

  it('flags a confirmation contradicting an earlier return', async () => {
    const p = await seedPayment(db.url);
    await back('success', `paymentId=${p.id}`);
    await postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'PENDING'));
    expect(await mismatches(p.id)).toEqual([]);
    const failure = new URLSearchParams({ paymentState: 'FAILURE', soPaymentId: p.id }).toString();
    await postConfirmation(ingester.baseUrl, failure);
    expect(await payment(p.id)).toMatchObject({ state: 'FAILURE' });
    expect(await mismatches(p.id)).toEqual([{ kind: 'return_contradicts_confirmation', reason: 'returned to success page, confirmed FAILURE', status: 'open' }]);
  });

  it('works for an unknown payment: recorded and redirected', async () => {
    const claimed = randomUUID();
    const res = await back('failure', `paymentId=${claimed}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('http://127.0.0.1:3200/checkout/result?outcome=failure');
    const [e] = await queryRows<{ payment_id: string | null; payload: { claimedPaymentId: string; knownPayment: boolean } }>(
      db.url,
      `SELECT payment_id, payload FROM checkout_events WHERE kind = 'consumer.returned' AND payload->>'claimedPaymentId' = $1`,
      [claimed],
    );
    expect(e).toEqual({ payment_id: null, payload: { outcome: 'failure', knownPayment: false, claimedPaymentId: claimed } });
  });

  it('answers 404 for an unknown outcome', async () => {
    expect((await back('maybe', 'paymentId=x')).status).toBe(404);
  });

  it('turns a return without confirmation into a mismatch after the grace period, resolved when the confirmation arrives', async () => {
    const p = await seedPayment(db.url);
    await back('success', `paymentId=${p.id}`);
    const returns = ingester.app.get(ReturnService);
    expect(await returns.flagReturnsWithoutConfirmation(600, new Date())).toBe(0);
    const later = new Date(Date.now() + 11 * 60_000);
    expect(await returns.flagReturnsWithoutConfirmation(600, later)).toBeGreaterThanOrEqual(1);
    expect(await mismatches(p.id)).toEqual([{ kind: 'return_without_confirmation', reason: 'returned to success page 11 min ago, no confirmation received', status: 'open' }]);
    // flagged once only
    await returns.flagReturnsWithoutConfirmation(600, later);
    expect(await mismatches(p.id)).toHaveLength(1);

    await postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'SUCCESS'));
    expect(await mismatches(p.id)).toEqual([{ kind: 'return_without_confirmation', reason: 'returned to success page 11 min ago, no confirmation received', status: 'resolved' }]);
  });
});
