import { randomUUID } from 'node:crypto';
import { encodeForm, signConfirmation } from '@seamless-ops/qenta';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORRELATION_PARAMETER } from '../src/checkout/correlation';
import { startTestApp, type TestApp } from './app';
import { DEMO_SECRET, postConfirmation, queryRows, seedPayment, signedConfirmation } from './confirmation-fixtures';
import { createTestDatabase, type TestDatabase } from './database';
import { hostAndPort, startTcpProxy, viaPort } from './tcp-proxy';

const OK = '<QPAY-CONFIRMATION-RESPONSE result="OK" />';

describe('POST /qenta/confirm', () => {
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

  const payment = (id: string) =>
    queryRows<{ state: string; order_number: string | null; confirmation_count: number; duplicate_count: number; hold_reason: string | null; has_mismatch: boolean; final_at: Date | null; masked_pan: string | null }>(
      db.url,
      `SELECT state, order_number, confirmation_count, duplicate_count, hold_reason, has_mismatch, final_at, masked_pan FROM payments WHERE id = $1`,
      [id],
    ).then((r) => r[0]);
  const events = (id: string) => queryRows<{ kind: string; payment_state: string | null }>(db.url, `SELECT kind, payment_state FROM checkout_events WHERE payment_id = $1 ORDER BY id`, [id]);
  const mismatches = (id: string) => queryRows<{ kind: string; reason: string; status: string }>(db.url, `SELECT kind, reason, status FROM mismatches WHERE payment_id = $1`, [id]);

  it('stores a SUCCESS confirmation, then answers OK', async () => {
    const p = await seedPayment(db.url);
    const res = await postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'SUCCESS', { orderNumber: '16375141' }));
    expect(res).toEqual({ status: 200, body: OK });
    expect(await payment(p.id)).toMatchObject({ state: 'SUCCESS', order_number: '16375141', confirmation_count: 1, masked_pan: '940000******0004' });
    expect((await payment(p.id)).final_at).not.toBeNull();
    expect(await events(p.id)).toEqual([
      { kind: 'payment.initiated', payment_state: 'INITIATED' },
      { kind: 'confirmation.received', payment_state: 'SUCCESS' },
    ]);
    const [funnel] = await queryRows<{ confirmations: string; successes: string }>(
      db.url,
      `SELECT sum(confirmations)::text AS confirmations, sum(successes)::text AS successes FROM funnel_hourly WHERE shop_id = 'demo'`,
    );
    expect(Number(funnel.successes)).toBeGreaterThanOrEqual(1);
  });

  it('recognises the same confirmation again: OK, counted, nothing new stored as an outcome', async () => {
    const p = await seedPayment(db.url);
    const body = signedConfirmation(p.id, 'SUCCESS');
    expect((await postConfirmation(ingester.baseUrl, body)).body).toBe(OK);
    expect((await postConfirmation(ingester.baseUrl, body)).body).toBe(OK);
    expect(await payment(p.id)).toMatchObject({ state: 'SUCCESS', confirmation_count: 1, duplicate_count: 1 });
    expect((await events(p.id)).map((e) => e.kind)).toEqual(['payment.initiated', 'confirmation.received', 'confirmation.duplicate']);
  });

  it('answers OK to 50 identical confirmations arriving at once and stores one outcome', async () => {
    const p = await seedPayment(db.url);
    const body = signedConfirmation(p.id, 'SUCCESS');
    const answers = await Promise.all(Array.from({ length: 50 }, () => postConfirmation(ingester.baseUrl, body)));
    expect(answers.every((a) => a.status === 200 && a.body === OK)).toBe(true);
    const kinds = (await events(p.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'confirmation.received')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'confirmation.duplicate')).toHaveLength(49);
    expect(await payment(p.id)).toMatchObject({ state: 'SUCCESS', confirmation_count: 1, duplicate_count: 49 });
  });

  /** Until a backend of the test database matches `condition` (a confirmation blocked by the test's transaction); at most 10 s. */
  const untilAConfirmationWaits = async (condition: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const [waiting] = await queryRows<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND ${condition}`);
      if (waiting.n > 0) return;
      if (Date.now() > deadline) throw new Error(`no backend of the test database waits with ${condition}`);
      await new Promise((r) => setImmediate(r));
    }
  };

  it('plans again under the lock when the payment changes between the read and the write', async () => {
    // The confirmation reads the payment without a lock and writes only if it is unchanged. Here another
    // transaction records an earlier PENDING confirmation and holds the row while the SUCCESS confirmation is on
    // its way: the SUCCESS must be applied to PENDING (already confirmed: no second "confirmation" in the funnel),
    // not to the INITIATED it read first. A payment type of its own keeps its funnel rows apart.
    const p = await seedPayment(db.url, { paymentType: 'IDL' });
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`UPDATE payments SET state = 'PENDING', first_confirmation_at = now(), confirmation_count = 1 WHERE id = $1`, [p.id]);
      await other.query(
        `INSERT INTO funnel_hourly (bucket, shop_id, payment_type, shard, confirmations, pendings) VALUES (date_trunc('hour', now()), 'demo', 'IDL', 0, 1, 1)`,
      );
      const answer = postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'SUCCESS'));
      await untilAConfirmationWaits(`wait_event_type = 'Lock' AND query LIKE '%payments%'`);
      await other.query('COMMIT');
      expect(await answer).toEqual({ status: 200, body: OK });
    } finally {
      await other.end();
    }
    expect(await payment(p.id)).toMatchObject({ state: 'SUCCESS', confirmation_count: 2 });
    const [funnel] = await queryRows<{ confirmations: number; pendings: number; successes: number }>(
      db.url,
      `SELECT sum(confirmations)::int AS confirmations, sum(pendings)::int AS pendings, sum(successes)::int AS successes FROM funnel_hourly WHERE payment_type = 'IDL'`,
    );
    expect(funnel).toEqual({ confirmations: 1, pendings: 1, successes: 1 });
  });

  it('changes no payment when a delivery with the same fingerprint commits while it is written', async () => {
    // The fast path updates the payment before it inserts the event. Another transaction holds an uncommitted event
    // with this delivery's fingerprint (as a concurrent copy would); once that commits, the insert must fail and
    // take the payment update with it: the delivery is a duplicate and the payment stays as it was.
    const p = await seedPayment(db.url);
    const body = signedConfirmation(p.id, 'SUCCESS');
    const other = new Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO checkout_events (occurred_at, kind, source, shop_id, payload, dedup_key) VALUES (now(), 'confirmation.received', 'gateway', 'demo', '{}', $1)`,
        [`confirmation:demo:${body.responseFingerprint.toLowerCase()}`],
      );
      const answer = postConfirmation(ingester.baseUrl, body);
      await untilAConfirmationWaits(`wait_event = 'transactionid' AND query LIKE 'WITH changed AS%'`);
      await other.query('COMMIT');
      expect(await answer).toEqual({ status: 200, body: OK });
    } finally {
      await other.end();
    }
    expect(await payment(p.id)).toMatchObject({ state: 'INITIATED', confirmation_count: 0, duplicate_count: 1, order_number: null });
    expect((await events(p.id)).map((e) => e.kind)).toEqual(['payment.initiated', 'confirmation.duplicate']);
  });

  it('keeps SUCCESS when a PENDING arrives after it, and accepts PENDING then SUCCESS', async () => {
    const late = await seedPayment(db.url);
    await postConfirmation(ingester.baseUrl, signedConfirmation(late.id, 'SUCCESS', { orderNumber: '20000001' }));
    expect((await postConfirmation(ingester.baseUrl, signedConfirmation(late.id, 'PENDING', { orderNumber: '20000001' }))).body).toBe(OK);
    expect(await payment(late.id)).toMatchObject({ state: 'SUCCESS', has_mismatch: false });
    expect(await mismatches(late.id)).toEqual([]);

    const inOrder = await seedPayment(db.url);
    await postConfirmation(ingester.baseUrl, signedConfirmation(inOrder.id, 'PENDING', { orderNumber: '20000002' }));
    expect(await payment(inOrder.id)).toMatchObject({ state: 'PENDING', final_at: null });
    await postConfirmation(ingester.baseUrl, signedConfirmation(inOrder.id, 'SUCCESS', { orderNumber: '20000002' }));
    expect(await payment(inOrder.id)).toMatchObject({ state: 'SUCCESS' });
  });

  it('stores a conflicting final state and flags it, without leaving SUCCESS', async () => {
    const p = await seedPayment(db.url);
    await postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'SUCCESS', { orderNumber: '20000003' }));
    // FAILURE comes unsigned, as the gateway may send it (PROTOCOL.md §3.4)
    const failure = encodeForm({ paymentState: 'FAILURE', errors: '1', 'error.1.errorCode': '24997', 'error.1.message': 'declined', [CORRELATION_PARAMETER]: p.id });
    expect((await postConfirmation(ingester.baseUrl, failure)).body).toBe(OK);
    expect(await payment(p.id)).toMatchObject({ state: 'SUCCESS', has_mismatch: true, confirmation_count: 2 });
    expect(await mismatches(p.id)).toEqual([{ kind: 'conflicting_final_states', reason: 'confirmed FAILURE after SUCCESS', status: 'open' }]);
  });

  it('holds a SUCCESS whose amount differs from the initiated one and raises a mismatch', async () => {
    const p = await seedPayment(db.url, { amount: '10.00' });
    expect((await postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'SUCCESS', { amount: '1.00' }))).body).toBe(OK);
    expect(await payment(p.id)).toMatchObject({ state: 'INITIATED', hold_reason: 'confirmed 1.00 EUR, initiated 10.00 EUR', has_mismatch: true });
    expect(await mismatches(p.id)).toEqual([{ kind: 'amount_mismatch', reason: 'confirmed 1.00 EUR, initiated 10.00 EUR', status: 'open' }]);
  });

  it('stores an authentic confirmation for an unknown payment as an orphan and a mismatch', async () => {
    const claimed = randomUUID();
    const res = await postConfirmation(ingester.baseUrl, signedConfirmation(claimed, 'SUCCESS', { orderNumber: '30000001' }));
    expect(res.body).toBe(OK);
    const [orphan] = await queryRows<{ shop_id: string; payment_id: string | null; payload: { claimedPaymentId: string } }>(
      db.url,
      `SELECT shop_id, payment_id, payload FROM checkout_events WHERE kind = 'confirmation.received' AND order_number = '30000001'`,
    );
    expect(orphan).toMatchObject({ shop_id: 'demo', payment_id: null, payload: { claimedPaymentId: claimed } });
    const [m] = await queryRows<{ kind: string; reason: string }>(db.url, `SELECT kind, reason FROM mismatches WHERE detail->>'orderNumber' = '30000001'`);
    expect(m).toEqual({ kind: 'unknown_payment', reason: 'authentic SUCCESS confirmation for order 30000001 matches no payment of ours' });
  });

  describe('rejects a bad fingerprint with a security event and NOK, changing no payment', () => {
    const cases: [string, (f: Record<string, string>) => Record<string, string>][] = [
      ['one character off', (f) => ({ ...f, responseFingerprint: flip(f.responseFingerprint) })],
      ['a signed value changed', (f) => ({ ...f, amount: '10.01' })],
      ['wrong length', (f) => ({ ...f, responseFingerprint: f.responseFingerprint.slice(0, 127) })],
      ['not hex', (f) => ({ ...f, responseFingerprint: 'z' + f.responseFingerprint.slice(1) })],
      ['fingerprint missing', ({ responseFingerprint: _drop, ...f }) => f],
    ];
    for (const [name, tamper] of cases) {
      it(name, async () => {
        const p = await seedPayment(db.url);
        const res = await postConfirmation(ingester.baseUrl, tamper(signedConfirmation(p.id, 'SUCCESS')));
        expect(res.status).toBe(403);
        expect(res.body).toBe('<QPAY-CONFIRMATION-RESPONSE result="NOK" message="confirmation rejected" />');
        expect(await payment(p.id)).toMatchObject({ state: 'INITIATED', confirmation_count: 0 });
        const [rejected] = await queryRows<{ source_address: string; payload: { reason: string } }>(
          db.url,
          `SELECT host(source_address) AS source_address, payload FROM checkout_events WHERE payment_id = $1 AND kind = 'confirmation.rejected'`,
          [p.id],
        );
        expect(rejected.source_address).toMatch(/127\.0\.0\.1|::1/);
        expect(rejected.payload.reason).toBeTruthy();
      });
    }

    it('secret missing from the signed list', async () => {
      const p = await seedPayment(db.url);
      const fields = signedConfirmation(p.id, 'SUCCESS');
      const order = fields.responseFingerprintOrder.split(',').filter((n) => n !== 'secret');
      const res = await postConfirmation(ingester.baseUrl, { ...fields, responseFingerprintOrder: order.join(',') });
      expect(res.status).toBe(403);
      const [e] = await queryRows<{ payload: { reason: string } }>(db.url, `SELECT payload FROM checkout_events WHERE payment_id = $1 AND kind = 'confirmation.rejected'`, [p.id]);
      expect(e.payload.reason).toBe('secret_not_signed');
    });

    it('a mandatory field left out of the signature', async () => {
      const p = await seedPayment(db.url);
      // signed correctly, but orderNumber is posted outside the fingerprint
      const { orderNumber: _o, ...rest } = signedConfirmation(p.id, 'SUCCESS');
      const fields = signConfirmation(
        Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('responseFingerprint'))),
        DEMO_SECRET,
        { unsigned: { orderNumber: '40000001' } },
      );
      const res = await postConfirmation(ingester.baseUrl, fields);
      expect(res.status).toBe(403);
      expect(await payment(p.id)).toMatchObject({ state: 'INITIATED' });
    });

    it('a confirmation signed with another secret', async () => {
      const p = await seedPayment(db.url);
      const res = await postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'SUCCESS', {}, 'ANOTHERSECRET1234567890'));
      expect(res.status).toBe(403);
    });
  });

  describe('malformed requests get clear errors and store nothing', () => {
    let before: number;
    beforeAll(async () => {
      before = await countEvents();
    });
    const countEvents = async () => Number((await queryRows<{ n: string }>(db.url, `SELECT count(*)::text AS n FROM checkout_events`))[0].n);

    it('duplicate keys', async () => {
      const body = encodeForm(signedConfirmation(randomUUID(), 'SUCCESS')) + '&paymentState=FAILURE';
      const res = await postConfirmation(ingester.baseUrl, body);
      expect(res.status).toBe(400);
      expect(res.body).toContain('duplicate parameters: paymentState');
    });

    it('malformed percent-encoding', async () => {
      const res = await postConfirmation(ingester.baseUrl, 'paymentState=SUCCESS&amount=%E0%A4%A');
      expect(res.status).toBe(400);
      expect(res.body).toContain('malformed');
    });

    it('a JSON body', async () => {
      const res = await postConfirmation(ingester.baseUrl, JSON.stringify({ paymentState: 'SUCCESS' }), 'application/json');
      expect(res.status).toBe(415);
      expect(res.body).toContain('result="NOK"');
    });

    it('an oversized body', async () => {
      const res = await postConfirmation(ingester.baseUrl, `paymentState=SUCCESS&junk=${'a'.repeat(70_000)}`);
      expect(res.status).toBe(413);
    });

    it('an empty body', async () => {
      expect((await postConfirmation(ingester.baseUrl, '')).status).toBe(400);
    });

    it('left no rows behind, and the process is still up', async () => {
      expect(await countEvents()).toBe(before);
      expect((await fetch(`${ingester.baseUrl}/health/live`)).status).toBe(200);
    });
  });

  it('never stores a card number planted in a field', async () => {
    const p = await seedPayment(db.url);
    const res = await postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'SUCCESS', { shopNote: 'card 4111111111111111', cvc: '123', cardholder: 'Jane Doe', expiry: '12/2030' }));
    expect(res.body).toBe(OK);
    const dump = await queryRows<{ t: string }>(db.url, `SELECT row_to_json(e)::text AS t FROM checkout_events e WHERE payment_id = $1`, [p.id]);
    const text = dump.map((r) => r.t).join('\n');
    expect(text).toContain('[REDACTED]');
    expect(text).not.toContain('4111111111111111');
    expect(text).not.toContain('Jane Doe');
    expect(text).not.toContain('12/2030');
    expect(text).not.toMatch(/"cvc"/);
  });
});

describe('POST /qenta/confirm with the database unavailable', () => {
  it('answers 503 within 5 seconds and never OK for something not stored', async () => {
    const db = await createTestDatabase();
    const proxy = await startTcpProxy(hostAndPort(db.url));
    const ingester = await startTestApp(viaPort(db.url, proxy.port));
    try {
      const p = await seedPayment(db.url);
      proxy.blackhole();
      const started = Date.now();
      const hung = await postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'SUCCESS'));
      expect(hung.status).toBe(503);
      expect(hung.body).toContain('result="NOK"');
      expect(Date.now() - started).toBeLessThan(5_000);

      await proxy.close();
      const refused = await postConfirmation(ingester.baseUrl, signedConfirmation(p.id, 'SUCCESS'));
      expect(refused.status).toBe(503);
      const [row] = await queryRows<{ state: string }>(db.url, `SELECT state FROM payments WHERE id = $1`, [p.id]);
      expect(row.state).toBe('INITIATED');
    } finally {
      await proxy.close();
      await ingester.close();
      await db.drop();
    }
  });
});

function flip(hex: string): string {
  return (hex[0] === 'a' ? 'b' : 'a') + hex.slice(1);
}
