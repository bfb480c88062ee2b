import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALPHA, BETA, cardPayment, funnel, startCheckoutHarness, storeCard, type CheckoutHarness } from './checkout-harness';

type Json = Record<string, unknown>;

describe('checkout API: payments (real PostgreSQL, simulator over HTTP)', () => {
  let h: CheckoutHarness;
  beforeAll(async () => {
    h = await startCheckoutHarness({ gatewayTimeoutMs: 3000 });
  });
  afterAll(() => h?.close());

  async function newStorage(key = ALPHA.apiKey, withCard = true): Promise<{ storageId: string; orderIdent: string }> {
    const res = await h.call('POST', '/api/checkout/storages', { body: {}, key });
    expect(res.status).toBe(201);
    const storage = { storageId: res.body['storageId'] as string, orderIdent: res.body['orderIdent'] as string };
    if (withCard) await storeCard(h.sim, storage.storageId);
    return storage;
  }
  const eventCount = async () => Number((await h.sql<{ n: string }>('SELECT count(*)::text AS n FROM checkout_events'))[0].n);
  const paymentCount = async () => Number((await h.sql<{ n: string }>('SELECT count(*)::text AS n FROM payments'))[0].n);

  it('commits the INITIATED payment before calling the gateway, then consumes the storage and answers the redirect URL', async () => {
    const { storageId, orderIdent } = await newStorage();
    const initiatedBefore = await funnel(h, 'alpha', 'payments_initiated', 'CCARD');
    // The gateway takes its time: meanwhile the payment must already be visible to anyone (a confirmation).
    const knob = h.sim.state.knobs.addScoped({ orderIdent }, { initDelayMs: 700, initTarget: 'frontend' });
    let settled = false;
    const pending = h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId) }).finally(() => (settled = true));

    let inFlight: Json[] = [];
    for (let i = 0; i < 100 && inFlight.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      inFlight = await h.sql('SELECT id, state, storage_id, order_ident, amount, currency, payment_type, initiated_at FROM payments WHERE order_ident = $1', [orderIdent]);
    }
    expect(settled).toBe(false);
    expect(inFlight).toHaveLength(1);
    expect(inFlight[0]).toMatchObject({ state: 'INITIATED', storage_id: storageId, amount: '12.50', currency: 'EUR', payment_type: 'CCARD' });
    expect(inFlight[0]['initiated_at']).toBeInstanceOf(Date);
    const [storageInFlight] = await h.sql<{ status: string }>('SELECT status FROM storages WHERE storage_id = $1', [storageId]);
    expect(storageInFlight.status).toBe('active');

    const res = await pending;
    h.sim.state.knobs.removeScoped(knob.id);
    expect(res.status).toBe(201);
    const { paymentId, redirectUrl } = res.body as Record<string, string>;
    expect(paymentId).toBe(inFlight[0]['id']);
    expect(redirectUrl).toMatch(new RegExp(`^${h.sim.url}/seamless/frontend/D200001seamless_DESKTOP/select\\.php\\?SID=[0-9a-f]{32}$`));

    // What the gateway was told: our confirm and return URLs, the correlation parameter, the storage and orderIdent.
    const sid = new URL(redirectUrl).searchParams.get('SID') as string;
    const gatewayPayment = h.sim.state.payments.get(sid);
    expect(gatewayPayment).toMatchObject({
      confirmUrl: `${h.baseUrl}/qenta/confirm`,
      successUrl: `${h.baseUrl}/qenta/return/success?paymentId=${paymentId}&shopId=alpha`,
      cancelUrl: `${h.baseUrl}/qenta/return/cancel?paymentId=${paymentId}&shopId=alpha`,
      failureUrl: `${h.baseUrl}/qenta/return/failure?paymentId=${paymentId}&shopId=alpha`,
      pendingUrl: `${h.baseUrl}/qenta/return/pending?paymentId=${paymentId}&shopId=alpha`,
      serviceUrl: 'https://alpha.shop.example/service',
      storageId,
      orderIdent,
      amount: '12.50',
      currency: 'EUR',
      paymentType: 'CCARD',
    });
    expect(gatewayPayment?.customParameters).toContainEqual(['soPaymentId', paymentId]);

    const [storage] = await h.sql<{ status: string; payment_id: string; consumed_at: Date | null }>('SELECT status, payment_id, consumed_at FROM storages WHERE storage_id = $1', [storageId]);
    expect(storage).toMatchObject({ status: 'consumed', payment_id: paymentId });
    expect(storage.consumed_at).toBeInstanceOf(Date);
    const events = await h.sql<{ kind: string; payment_id: string | null; payment_state: string | null }>(
      'SELECT kind, payment_id, payment_state FROM checkout_events WHERE storage_id = $1 ORDER BY id',
      [storageId],
    );
    expect(events.map((e) => e.kind)).toEqual(['storage.initialized', 'payment.initiated', 'storage.consumed']);
    expect(events.find((e) => e.kind === 'payment.initiated')).toMatchObject({ payment_id: paymentId, payment_state: 'INITIATED' });
    expect(await funnel(h, 'alpha', 'payments_initiated', 'CCARD')).toBe(initiatedBefore + 1);

    const status = await h.call('GET', `/api/checkout/payments/${paymentId}`);
    expect(status.status).toBe(200);
    expect(status.body).toEqual({
      paymentId,
      orderIdent,
      orderNumber: null,
      state: 'INITIATED',
      amount: '12.50',
      currency: 'EUR',
      paymentType: 'CCARD',
      onHold: false,
      holdReason: null,
      initiatedAt: (inFlight[0]['initiated_at'] as Date).toISOString(),
      firstConfirmationAt: null,
      finalAt: null,
      returnedAt: null,
      returnOutcome: null,
    });
  });

  it('end to end: the consumer pays at the gateway, the confirmation finds the payment, the status API shows SUCCESS', async () => {
    const { storageId } = await newStorage();
    const res = await h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId, { amount: '99.90' }) });
    expect(res.status).toBe(201);
    const { paymentId, redirectUrl } = res.body as Record<string, string>;
    const completion = await h.sim.completePayment(new URL(redirectUrl).searchParams.get('SID') as string, 'SUCCESS');
    expect(completion.location).toBe(`${h.baseUrl}/qenta/return/success?paymentId=${paymentId}&shopId=alpha`);
    let status: Json = {};
    for (let i = 0; i < 100 && status['state'] !== 'SUCCESS'; i++) {
      status = (await h.call('GET', `/api/checkout/payments/${paymentId}`)).body;
      if (status['state'] !== 'SUCCESS') await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toMatchObject({ paymentId, state: 'SUCCESS', amount: '99.90', currency: 'EUR', onHold: false, orderNumber: completion.orderNumber });
    expect(status['finalAt']).toEqual(expect.any(String));
  });

  it('refuses a consumed storage (409), an expired one (410), an overdue one (410, expired on the spot), an unknown or foreign one (404)', async () => {
    const { storageId } = await newStorage();
    expect((await h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId) })).status).toBe(201);
    const payments = await paymentCount();
    const events = await eventCount();
    const again = await h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId) });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(/used for a payment already/) });

    const expired = await newStorage(ALPHA.apiKey, false);
    await h.sql(`UPDATE storages SET status = 'expired', expired_at = now() WHERE storage_id = $1`, [expired.storageId]);
    const gone = await h.call('POST', '/api/checkout/payments', { body: cardPayment(expired.storageId) });
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ statusCode: 410, error: 'Gone', message: expect.stringMatching(/expired/) });

    const unknown = await h.call('POST', '/api/checkout/payments', { body: cardPayment('f'.repeat(32)) });
    expect(unknown.status).toBe(404);
    expect(unknown.body['message']).toBe('storage not found');
    const foreign = await newStorage(BETA.apiKey, false);
    expect((await h.call('POST', '/api/checkout/payments', { body: cardPayment(foreign.storageId) })).status).toBe(404);
    expect(await paymentCount()).toBe(payments);
    expect(await eventCount()).toBe(events + 2); // the two storage.initialized above only

    const overdue = await newStorage(ALPHA.apiKey, false);
    await h.sql(`UPDATE storages SET expires_at = now() - interval '1 second' WHERE storage_id = $1`, [overdue.storageId]);
    const late = await h.call('POST', '/api/checkout/payments', { body: cardPayment(overdue.storageId) });
    expect(late.status).toBe(410);
    const [row] = await h.sql<{ status: string }>('SELECT status FROM storages WHERE storage_id = $1', [overdue.storageId]);
    expect(row.status).toBe('expired');
    expect(await paymentCount()).toBe(payments);
  });

  it('lets only one of two concurrent inits on one storage reach the gateway (the other: 409)', async () => {
    const { storageId, orderIdent } = await newStorage();
    const knob = h.sim.state.knobs.addScoped({ orderIdent }, { initDelayMs: 300, initTarget: 'frontend' });
    const answers = await Promise.all([1, 2].map(() => h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId) })));
    h.sim.state.knobs.removeScoped(knob.id);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)?.body['message']).toMatch(/being initiated|used for a payment already/);
    const rows = await h.sql('SELECT state FROM payments WHERE storage_id = $1', [storageId]);
    expect(rows).toEqual([{ state: 'INITIATED' }]);
  });

  it('a gateway decline: 502 with the codes, payment INIT_FAILED, payment.init_failed with the codes, init failure counted, storage still active', async () => {
    const { storageId, orderIdent } = await newStorage();
    const failuresBefore = await funnel(h, 'alpha', 'init_failures', 'CCARD');
    const knob = h.sim.state.knobs.addScoped({ orderIdent }, { initError: { errorCode: '11017', message: 'Amount is missing.' }, initTarget: 'frontend' });
    const res = await h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId) });
    h.sim.state.knobs.removeScoped(knob.id);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ statusCode: 502, error: 'Bad Gateway', message: 'the gateway declined the payment initialization', details: ['11017 Amount is missing.'] });
    const [payment] = await h.sql<{ id: string; state: string }>('SELECT id, state FROM payments WHERE storage_id = $1', [storageId]);
    expect(payment.state).toBe('INIT_FAILED');
    const events = await h.sql<{ kind: string; payment_state: string | null; payload: Json }>(
      'SELECT kind, payment_state, payload FROM checkout_events WHERE payment_id = $1 ORDER BY id',
      [payment.id],
    );
    expect(events.map((e) => e.kind)).toEqual(['payment.initiated', 'payment.init_failed']);
    expect(events[1]).toMatchObject({ payment_state: 'INIT_FAILED', payload: { outcome: 'declined', errors: [{ errorCode: '11017', message: 'Amount is missing.' }] } });
    expect(await funnel(h, 'alpha', 'init_failures', 'CCARD')).toBe(failuresBefore + 1);
    expect((await h.sql<{ status: string }>('SELECT status FROM storages WHERE storage_id = $1', [storageId]))[0].status).toBe('active');
    // The shop may try again with the same storage.
    expect((await h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId) })).status).toBe(201);
  });

  it('a gateway timeout: 504, payment UNKNOWN, payment.init_unknown, no retry, storage left active', async () => {
    const slow = await startCheckoutHarness({ gatewayTimeoutMs: 400 });
    try {
      const init = await slow.call('POST', '/api/checkout/storages', { body: {} });
      const storageId = init.body['storageId'] as string;
      slow.sim.state.knobs.addScoped({ orderIdent: init.body['orderIdent'] as string }, { initDelayMs: 1500, initTarget: 'frontend' });
      const res = await slow.call('POST', '/api/checkout/payments', { body: cardPayment(storageId) });
      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({ statusCode: 504, error: 'Gateway Timeout', message: expect.stringMatching(/unknown \(timeout\).*not retried/) });
      const [payment] = await slow.sql<{ id: string; state: string }>('SELECT id, state FROM payments WHERE storage_id = $1', [storageId]);
      expect(payment.state).toBe('UNKNOWN');
      expect(res.body['details']).toContain(`paymentId ${payment.id}`);
      const events = await slow.sql<{ kind: string; payment_state: string | null; payload: Json }>('SELECT kind, payment_state, payload FROM checkout_events WHERE payment_id = $1 ORDER BY id', [payment.id]);
      expect(events.map((e) => e.kind)).toEqual(['payment.initiated', 'payment.init_unknown']);
      expect(events[1]).toMatchObject({ payment_state: 'UNKNOWN', payload: { outcome: 'unknown', reason: 'timeout' } });
      expect((await slow.sql<{ status: string }>('SELECT status FROM storages WHERE storage_id = $1', [storageId]))[0].status).toBe('active');
      const metrics = await (await fetch(`${slow.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/seamless_gateway_calls_total\{operation="frontend.init",result="unknown"\} 1\n/);
      expect(await funnel(slow, 'alpha', 'init_failures')).toBe(0);
      expect((await slow.call('GET', `/api/checkout/payments/${payment.id}`)).body['state']).toBe('UNKNOWN');
    } finally {
      await slow.close();
    }
  });

  it('starts payment types without a data storage (orderIdent optional), with consumer data and basket signed', async () => {
    const res = await h.call('POST', '/api/checkout/payments', {
      body: {
        amount: '1200',
        currency: 'JPY',
        paymentType: 'PAYPAL',
        orderIdent: 'paypal-1',
        orderDescription: 'Order 4712',
        consumerIpAddress: '2001:db8::1',
        consumerUserAgent: 'Mozilla/5.0 (test)',
        language: 'DE',
        orderReference: 'ref-4712',
        customerStatement: 'Shop 4712',
        consumerEmail: 'jane@example.com',
        billingAddress: { firstname: 'Jane', lastname: 'Doe', address1: 'Main Street 1', city: 'Vienna', country: 'at', zipCode: '1010' },
        shippingAddress: { firstname: 'Jane', lastname: 'Doe', country: 'AT' },
        basket: [
          { articleNumber: 'A-1', quantity: 2, name: 'Mug', unitGrossAmount: '500', unitNetAmount: '417', unitTaxAmount: '83', unitTaxRate: '20' },
          { articleNumber: 'S', quantity: 1, name: 'Shipping', description: 'Post', imageUrl: 'https://shop.example/s.png', unitGrossAmount: '200', unitNetAmount: '200', unitTaxAmount: '0', unitTaxRate: '0' },
        ],
      },
    });
    expect(res.status).toBe(201);
    const sid = new URL(res.body['redirectUrl'] as string).searchParams.get('SID') as string;
    expect(h.sim.state.payments.get(sid)).toMatchObject({ paymentType: 'PAYPAL', amount: '1200', currency: 'JPY', orderIdent: 'paypal-1', language: 'de', orderReference: 'ref-4712' });
    expect(h.sim.state.payments.get(sid)?.storageId).toBeUndefined();
    const [payment] = await h.sql('SELECT storage_id, order_ident, amount, currency, state FROM payments WHERE id = $1', [res.body['paymentId']]);
    expect(payment).toEqual({ storage_id: null, order_ident: 'paypal-1', amount: '1200', currency: 'JPY', state: 'INITIATED' });
  });

  it('rejects invalid payment requests with 400 and the reason, writing nothing', async () => {
    const { storageId } = await newStorage(ALPHA.apiKey, false);
    const before = { events: await eventCount(), payments: await paymentCount() };
    const cases: Array<[Json, RegExp]> = [
      [cardPayment(storageId, { amount: '12,50' }), /amount must be a decimal string with '\.' as separator/],
      [cardPayment(storageId, { amount: '12.505' }), /amount must have at most 2 decimals for EUR/],
      [cardPayment(storageId, { amount: '0.00' }), /amount must be greater than 0/],
      [cardPayment(storageId, { amount: '-1.00' }), /amount must be a decimal string/],
      [cardPayment(storageId, { amount: '1e3' }), /amount must be a decimal string/],
      [cardPayment(storageId, { amount: '1234567890123' }), /at most 12 integer digits/],
      [cardPayment(storageId, { amount: '012.50' }), /amount must be a decimal string/],
      [cardPayment(storageId, { amount: 12.5 }), /amount must be a string/],
      [cardPayment(storageId, { amount: '100.5', currency: 'JPY' }), /amount must have no decimals for JPY/],
      [cardPayment(storageId, { amount: '1.5', currency: 'KRW' }), /no decimals for KRW/],
      [cardPayment(storageId, { amount: '1.0001', currency: 'KWD' }), /at most 3 decimals for KWD/],
      [cardPayment(storageId, { currency: 'XYZ' }), /currency "XYZ" is not a known ISO 4217 currency/],
      [cardPayment(storageId, { currency: 'eur' }), /currency must be an ISO 4217 code in upper case/],
      [cardPayment(storageId, { currency: '978' }), /currency must be an ISO 4217 code/],
      [cardPayment(storageId, { paymentType: 'BITCOIN' }), /paymentType "BITCOIN" is not a known payment type/],
      [cardPayment(storageId, { paymentType: 'ccard' }), /not a known payment type/],
      [cardPayment(storageId, { storageId: undefined }), /storageId is required for payment type CCARD/],
      [cardPayment(storageId, { paymentType: 'SEPA-DD', storageId: undefined }), /storageId is required for payment type SEPA-DD/],
      [cardPayment(storageId, { paymentType: 'PAYPAL' }), /storageId is only used with payment types/],
      [cardPayment(storageId, { storageId: 'not/an/id' }), /storageId must be the storageId/],
      [cardPayment(storageId, { orderDescription: undefined }), /orderDescription is required/],
      [cardPayment(storageId, { orderDescription: '   ' }), /orderDescription must not be empty/],
      [cardPayment(storageId, { orderDescription: 'x'.repeat(256) }), /orderDescription must be at most 255 characters/],
      [cardPayment(storageId, { consumerIpAddress: '999.1.1.1' }), /consumerIpAddress must be an IPv4 or IPv6 address/],
      [cardPayment(storageId, { consumerIpAddress: undefined }), /consumerIpAddress is required/],
      [cardPayment(storageId, { consumerUserAgent: '' }), /consumerUserAgent is required|consumerUserAgent must not be empty/],
      [cardPayment(storageId, { language: 'eng' }), /language must be at most 2 characters/],
      [cardPayment(storageId, { language: '1a' }), /language must be 2 letters/],
      [cardPayment(storageId, { orderIdent: 'bad ident' }), /orderIdent must be 1-64 characters/],
      [cardPayment(storageId, { orderReference: 'r'.repeat(129) }), /orderReference must be at most 128/],
      [cardPayment(storageId, { consumerEmail: 'not-an-email' }), /consumerEmail must be an e-mail address/],
      [cardPayment(storageId, { confirmUrl: 'https://evil.example/' }), /confirmUrl is not a known field/],
      [cardPayment(storageId, { billingAddress: { street: 'x' } }), /billingAddress\.street is not a known field/],
      [cardPayment(storageId, { billingAddress: { country: 'AUT' } }), /billingAddress\.country must be at most 2/],
      [cardPayment(storageId, { basket: [] }), /basket must be an array of 1 to 100 items/],
      [cardPayment(storageId, { basket: [{ articleNumber: 'A', quantity: 0, name: 'x', unitGrossAmount: '1', unitNetAmount: '1', unitTaxAmount: '0', unitTaxRate: '0' }] }), /basket\[0\]\.quantity must be an integer/],
      [cardPayment(storageId, { basket: [{ articleNumber: 'A', quantity: 1, name: 'x', unitGrossAmount: '1.001', unitNetAmount: '1', unitTaxAmount: '0', unitTaxRate: '0' }] }), /basket\[0\]\.unitGrossAmount must have at most 2 decimals/],
      [cardPayment(storageId, { basket: [{ articleNumber: 'A', quantity: 1, unitGrossAmount: '1', unitNetAmount: '1', unitTaxAmount: '0', unitTaxRate: '0', colour: 'red' }] }), /basket\[0\]\.colour is not a known field.*basket\[0\]\.name is required|basket\[0\]\.name is required/],
      [{ ...cardPayment(storageId), orderIdent: 'other-ident' }, /orderIdent "other-ident" is not the storage's orderIdent/],
    ];
    for (const [body, reason] of cases) {
      const res = await h.call('POST', '/api/checkout/payments', { body });
      const all = [res.body['message'], ...((res.body['details'] as string[]) ?? [])].join(' | ');
      expect(res.status, `${JSON.stringify(body).slice(0, 120)} → ${all}`).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(all).toMatch(reason);
    }
    const empty = await h.call('POST', '/api/checkout/payments');
    expect(empty.status).toBe(400);
    expect(empty.body['message']).toBe('a JSON body is required');
    const many = await h.call('POST', '/api/checkout/payments', { body: {} });
    expect(many.status).toBe(400);
    expect(many.body['details']).toEqual(
      expect.arrayContaining(['paymentType is required', 'currency is required', 'amount is required', 'orderDescription is required', 'consumerIpAddress is required', 'consumerUserAgent is required']),
    );
    expect((await h.call('POST', '/api/checkout/payments', { raw: '{"amount":', contentType: 'application/json' })).status).toBe(400);
    expect((await h.call('POST', '/api/checkout/payments', { raw: 'amount=1', contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect(await eventCount()).toBe(before.events);
    expect(await paymentCount()).toBe(before.payments);
  });

  it('accepts every amount edge the currency table allows', async () => {
    const amounts: Array<[string, string]> = [
      ['0.01', 'EUR'],
      ['999999999999.99', 'USD'],
      ['1', 'GBP'],
      ['1.5', 'CHF'],
      ['1', 'JPY'],
      ['0.001', 'BHD'],
      ['12.345', 'TND'],
    ];
    for (const [amount, currency] of amounts) {
      const res = await h.call('POST', '/api/checkout/payments', {
        body: { amount, currency, paymentType: 'SOFORTUEBERWEISUNG', orderDescription: 'x', consumerIpAddress: '192.0.2.1', consumerUserAgent: 'ua' },
      });
      expect(res.status, `${amount} ${currency}: ${res.text}`).toBe(201);
    }
  });

  it('shows a payment only to its own shop; 404 for unknown ids and non-UUIDs; 401 without key', async () => {
    const { storageId } = await newStorage();
    const { paymentId } = (await h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId) })).body as Record<string, string>;
    expect((await h.call('GET', `/api/checkout/payments/${paymentId}`)).status).toBe(200);
    expect((await h.call('GET', `/api/checkout/payments/${paymentId.toUpperCase()}`)).status).toBe(200);
    const foreign = await h.call('GET', `/api/checkout/payments/${paymentId}`, { key: BETA.apiKey });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'payment not found' });
    expect((await h.call('GET', '/api/checkout/payments/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await h.call('GET', '/api/checkout/payments/42')).status).toBe(404);
    expect((await h.call('GET', `/api/checkout/payments/${paymentId}`, { key: null })).status).toBe(401);
    expect((await h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId), key: 'nope-nope-nope-nope' })).status).toBe(401);
  });
});
