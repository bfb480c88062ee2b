import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALPHA, BETA, REAL_PAN, funnel, startCheckoutHarness, storeCard, type CheckoutHarness } from './checkout-harness';

describe('checkout API: data storages (real PostgreSQL, simulator over HTTP)', () => {
  let h: CheckoutHarness;
  beforeAll(async () => {
    h = await startCheckoutHarness();
  });
  afterAll(() => h?.close());

  it('initializes a storage: 201 with storageId, javascriptUrl, generated orderIdent, expiresAt ~30 min; one event, an active row, funnel count', async () => {
    const before = Date.now();
    const res = await h.call('POST', '/api/checkout/storages', { body: {} });
    expect(res.status).toBe(201);
    const { storageId, javascriptUrl, orderIdent, expiresAt } = res.body as Record<string, string>;
    expect(storageId).toMatch(/^[0-9a-f]{32}$/);
    expect(javascriptUrl).toContain(`${h.sim.url}/seamless/dataStorage/js/D200001/seamless/${storageId}/`);
    expect(orderIdent).toMatch(/^[0-9a-f]{20}$/);
    const expires = Date.parse(expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * 60_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 60_000);

    const [row] = await h.sql<{ status: string; shop_id: string; order_ident: string; expires_at: Date; last_access_at: Date }>(
      'SELECT status, shop_id, order_ident, expires_at, last_access_at FROM storages WHERE storage_id = $1',
      [storageId],
    );
    expect(row).toMatchObject({ status: 'active', shop_id: 'alpha', order_ident: orderIdent });
    expect(row.expires_at.toISOString()).toBe(expiresAt);
    expect(row.expires_at.getTime() - row.last_access_at.getTime()).toBe(30 * 60_000);
    const events = await h.sql<{ kind: string; source: string; order_ident: string }>('SELECT kind, source, order_ident FROM checkout_events WHERE storage_id = $1', [storageId]);
    expect(events).toEqual([{ kind: 'storage.initialized', source: 'shop', order_ident: orderIdent }]);
    // The gateway knows it under our orderIdent, with the shop's storage return URL.
    const gatewayStorage = h.sim.state.storages.get(storageId);
    expect(gatewayStorage).toMatchObject({ orderIdent, returnUrl: 'https://alpha.shop.example/storage-fallback', language: 'en' });
    expect(await funnel(h, 'alpha', 'storages_initialized', 'UNSPECIFIED')).toBeGreaterThanOrEqual(1);
  });

  it('keeps a given orderIdent, language and pci3 version; two inits get different generated orderIdents', async () => {
    const res = await h.call('POST', '/api/checkout/storages', { body: { orderIdent: 'cart_42-A', language: 'DE', javascriptScriptVersion: 'pci3' } });
    expect(res.status).toBe(201);
    expect(res.body['orderIdent']).toBe('cart_42-A');
    expect(h.sim.state.storages.get(res.body['storageId'] as string)).toMatchObject({ orderIdent: 'cart_42-A', language: 'de', javascriptScriptVersion: 'pci3' });
    const a = await h.call('POST', '/api/checkout/storages');
    const b = await h.call('POST', '/api/checkout/storages');
    expect(a.status).toBe(201);
    expect(a.body['orderIdent']).not.toBe(b.body['orderIdent']);
  });

  it('reads a storage: masked card data only (no PAN in the answer or in any event), lifetime extended, payment data counted once', async () => {
    const init = await h.call('POST', '/api/checkout/storages', { body: {} });
    const storageId = init.body['storageId'] as string;
    const empty = await h.call('GET', `/api/checkout/storages/${storageId}`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ storageId, orderIdent: init.body['orderIdent'], status: 'active', paymentInformation: [] });
    const storedBefore = await funnel(h, 'alpha', 'payment_data_stored', 'CCARD');

    await storeCard(h.sim, storageId);
    const [{ expires_at: expiresBefore }] = await h.sql<{ expires_at: Date }>('SELECT expires_at FROM storages WHERE storage_id = $1', [storageId]);
    await new Promise((r) => setTimeout(r, 20));
    const read = await h.call('GET', `/api/checkout/storages/${storageId}`);
    expect(read.status).toBe(200);
    expect(read.body['paymentInformation']).toEqual([
      expect.objectContaining({ paymentType: 'CCARD', maskedPan: '411111******1111', anonymousPan: '1111', brand: 'VISA' }),
    ]);
    expect(read.text).not.toContain(REAL_PAN);
    expect(Date.parse(read.body['expiresAt'] as string)).toBeGreaterThan(expiresBefore.getTime());

    const again = await h.call('GET', `/api/checkout/storages/${storageId}`);
    expect(again.status).toBe(200);
    const [row] = await h.sql<{ payment_data_stored_at: Date | null; payment_type: string; expires_at: Date }>(
      'SELECT payment_data_stored_at, payment_type, expires_at FROM storages WHERE storage_id = $1',
      [storageId],
    );
    expect(row.payment_data_stored_at).not.toBeNull();
    expect(row.payment_type).toBe('CCARD');
    expect(row.expires_at.toISOString()).toBe(again.body['expiresAt']);
    expect(await funnel(h, 'alpha', 'payment_data_stored', 'CCARD')).toBe(storedBefore + 1);

    const events = await h.sql<{ kind: string; payload: unknown }>('SELECT kind, payload FROM checkout_events WHERE storage_id = $1 ORDER BY id', [storageId]);
    expect(events.map((e) => e.kind)).toEqual(['storage.initialized', 'storage.read', 'storage.read', 'storage.read']);
    const all = JSON.stringify(events);
    expect(all).not.toContain(REAL_PAN);
    expect(all).not.toContain('Jane Doe'); // cardholder name and expiry are dropped from events
    expect(all).toContain('411111******1111');
    const [{ n }] = await h.sql<{ n: string }>(`SELECT count(*)::text AS n FROM checkout_events WHERE payload::text LIKE $1`, [`%${REAL_PAN}%`]);
    expect(n).toBe('0');
  });

  it('answers a consumed or expired storage from the database without asking the gateway', async () => {
    const init = await h.call('POST', '/api/checkout/storages');
    const storageId = init.body['storageId'] as string;
    await h.sql(`UPDATE storages SET status = 'expired', expired_at = now() WHERE storage_id = $1`, [storageId]);
    const reads = () => h.sql<{ n: string }>(`SELECT count(*)::text AS n FROM checkout_events WHERE storage_id = $1 AND kind = 'storage.read'`, [storageId]);
    const res = await h.call('GET', `/api/checkout/storages/${storageId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ storageId, status: 'expired', paymentInformation: [] });
    expect((await reads())[0].n).toBe('0');
    await h.sql(`UPDATE storages SET status = 'consumed', consumed_at = now() WHERE storage_id = $1`, [storageId]);
    expect((await h.call('GET', `/api/checkout/storages/${storageId}`)).body['status']).toBe('consumed');
  });

  it('expires an overdue storage on read (storage.expired, as the sweeper would)', async () => {
    const init = await h.call('POST', '/api/checkout/storages');
    const storageId = init.body['storageId'] as string;
    await h.sql(`UPDATE storages SET last_access_at = now() - interval '31 minutes', expires_at = now() - interval '1 minute' WHERE storage_id = $1`, [storageId]);
    const res = await h.call('GET', `/api/checkout/storages/${storageId}`);
    expect(res.status).toBe(200);
    expect(res.body['status']).toBe('expired');
    const kinds = await h.sql<{ kind: string }>('SELECT kind FROM checkout_events WHERE storage_id = $1 ORDER BY id', [storageId]);
    expect(kinds.map((k) => k.kind)).toEqual(['storage.initialized', 'storage.expired']);
  });

  it('never shows another shop its storage (404), nor an unknown or malformed id', async () => {
    const init = await h.call('POST', '/api/checkout/storages');
    const storageId = init.body['storageId'] as string;
    const other = await h.call('GET', `/api/checkout/storages/${storageId}`, { key: BETA.apiKey });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'storage not found' });
    expect((await h.call('GET', `/api/checkout/storages/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await h.call('GET', `/api/checkout/storages/not%20an%20id`)).status).toBe(404);
    // The other shop's own storages work with its own gateway shopId.
    const beta = await h.call('POST', '/api/checkout/storages', { key: BETA.apiKey });
    expect(beta.status).toBe(201);
    expect(beta.body['javascriptUrl']).toContain('/D200001/qmore/');
  });

  it('answers 401 ApiError without or with a wrong API key, before touching anything', async () => {
    const count = async () => (await h.sql<{ n: string }>('SELECT count(*)::text AS n FROM checkout_events'))[0].n;
    const before = await count();
    for (const key of [null, 'wrong-key-0123456789', '']) {
      const res = await h.call('POST', '/api/checkout/storages', { body: {}, key });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      expect(res.body['message']).toMatch(/API key/);
    }
    const basic = await fetch(`${h.baseUrl}/api/checkout/storages/abc`, { headers: { Authorization: `Basic ${ALPHA.apiKey}` } });
    expect(basic.status).toBe(401);
    expect(await count()).toBe(before);
  });

  it('rejects bad storage requests with 400/413/415 and a reason, writing nothing', async () => {
    const count = async () => (await h.sql<{ n: string }>('SELECT count(*)::text AS n FROM checkout_events'))[0].n;
    const before = await count();
    const cases: Array<[{ body?: unknown; raw?: string; contentType?: string }, number, RegExp]> = [
      [{ body: { orderIdent: 'has space' } }, 400, /orderIdent must be 1-64 characters/],
      [{ body: { orderIdent: 'x'.repeat(65) } }, 400, /orderIdent must be at most 64/],
      [{ body: { orderIdent: '' } }, 400, /orderIdent must be 1-64/],
      [{ body: { language: 'eng' } }, 400, /language must be at most 2/],
      [{ body: { language: 'e1' } }, 400, /language must be 2 letters/],
      [{ body: { javascriptScriptVersion: 'pci4' } }, 400, /javascriptScriptVersion/],
      [{ body: { shopId: 'beta' } }, 400, /shopId is not a known field/],
      [{ body: [] }, 400, /must be a JSON object/],
      [{ body: 'text' }, 400, /not valid JSON/],
      [{ raw: '{"orderIdent": ' }, 400, /not valid JSON/],
      [{ raw: 'null' }, 400, /not valid JSON/],
      [{ raw: 'orderIdent=abc', contentType: 'application/x-www-form-urlencoded' }, 415, /Content-Type: application\/json/],
      [{ raw: '{}', contentType: 'text/plain' }, 415, /JSON/],
      [{ raw: '{}', contentType: 'application/json; charset=latin1' }, 415, /charset/],
      [{ raw: JSON.stringify({ orderIdent: 'a'.repeat(200_000) }) }, 413, /too large/],
    ];
    for (const [request, status, reason] of cases) {
      const res = await h.call('POST', '/api/checkout/storages', request);
      expect(res.status, JSON.stringify(request).slice(0, 80)).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status });
      expect(typeof res.body['error']).toBe('string');
      expect([res.body['message'], ...((res.body['details'] as string[]) ?? [])].join(' | ')).toMatch(reason);
    }
    expect(await count()).toBe(before);
    // Several problems at once: all listed.
    const many = await h.call('POST', '/api/checkout/storages', { body: { orderIdent: '!', language: '1', extra: true } });
    expect(many.status).toBe(400);
    expect(many.body['details']).toHaveLength(3);
  });

  it('a gateway decline becomes storage.init_failed with the codes and a 502; an unknown answer becomes 504', async () => {
    const knob = h.sim.state.knobs.addScoped({ orderIdent: 'declined-1' }, { initError: { errorCode: '15300', message: 'ORDERIDENT has an invalid length.' }, initTarget: 'dataStorage' });
    const res = await h.call('POST', '/api/checkout/storages', { body: { orderIdent: 'declined-1' } });
    h.sim.state.knobs.removeScoped(knob.id);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ statusCode: 502, error: 'Bad Gateway', details: ['15300 ORDERIDENT has an invalid length.'] });
    const [failed] = await h.sql<{ kind: string; payload: Record<string, unknown> }>(`SELECT kind, payload FROM checkout_events WHERE order_ident = 'declined-1'`);
    expect(failed.kind).toBe('storage.init_failed');
    expect(failed.payload).toMatchObject({ outcome: 'declined', errors: [{ errorCode: '15300', message: 'ORDERIDENT has an invalid length.' }] });
    expect(await h.sql(`SELECT 1 FROM storages WHERE order_ident = 'declined-1'`)).toEqual([]);

    const broken = await startCheckoutHarness({ gatewayTimeoutMs: 300 });
    try {
      broken.sim.state.knobs.addScoped({ orderIdent: 'slow-1' }, { initDelayMs: 2000, initTarget: 'dataStorage' });
      const slow = await broken.call('POST', '/api/checkout/storages', { body: { orderIdent: 'slow-1' } });
      expect(slow.status).toBe(504);
      expect(slow.body['message']).toMatch(/unknown \(timeout\)/);
      const [event] = await broken.sql<{ kind: string; payload: Record<string, unknown> }>(`SELECT kind, payload FROM checkout_events WHERE order_ident = 'slow-1'`);
      expect(event).toMatchObject({ kind: 'storage.init_failed', payload: { outcome: 'unknown', reason: 'timeout' } });
      const metrics = await (await fetch(`${broken.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/seamless_gateway_calls_total\{operation="dataStorage.init",result="unknown"\} 1/);
    } finally {
      await broken.close();
    }
  });

  it('counts gateway calls per operation and result in /metrics', async () => {
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/seamless_gateway_calls_total\{operation="dataStorage.init",result="ok"\} \d+/);
    expect(metrics).toMatch(/seamless_gateway_calls_total\{operation="dataStorage.init",result="declined"\} 1/);
    expect(metrics).toMatch(/seamless_gateway_call_seconds_count\{operation="dataStorage.read"\} \d+/);
  });

  // Last: it moves the simulator's clock, which kills every storage at the gateway.
  it('a storage the gateway no longer knows (expired there first): 502 with its code, recorded, our row untouched', async () => {
    const init = await h.call('POST', '/api/checkout/storages');
    const storageId = init.body['storageId'] as string;
    (h.sim.state.clock as unknown as { advance(ms: number): void }).advance(31 * 60_000);
    const res = await h.call('GET', `/api/checkout/storages/${storageId}`);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ statusCode: 502, message: 'the gateway declined reading the data storage', details: [expect.stringMatching(/^18302 /)] });
    const [event] = await h.sql<{ payload: Record<string, unknown> }>(`SELECT payload FROM checkout_events WHERE storage_id = $1 AND kind = 'storage.read'`, [storageId]);
    expect(event.payload).toMatchObject({ outcome: 'declined', errors: [expect.objectContaining({ errorCode: '18302' })] });
    const [row] = await h.sql<{ status: string; expires_at: Date }>('SELECT status, expires_at FROM storages WHERE storage_id = $1', [storageId]);
    expect(row.status).toBe('active');
    expect(row.expires_at.toISOString()).toBe(init.body['expiresAt']);
  });
});
