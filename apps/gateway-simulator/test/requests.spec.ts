import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataStorageInitRequest, buildFrontendInitRequest, encodeForm, fingerprint } from '@seamless-ops/qenta';
import type { RunningSimulator } from '../src/simulator';
import { DEMO, frontendParams, MerchantServer, post, simulator } from './helpers';

describe('request checks of the gateway endpoints', () => {
  let sim: RunningSimulator;
  let merchant: MerchantServer;
  const endpoints = ['/seamless/dataStorage/init', '/seamless/dataStorage/read', '/seamless/frontend/init', '/seamless/backend/getOrderDetails'];

  beforeAll(async () => {
    sim = await simulator();
    merchant = await new MerchantServer().start();
  });
  afterAll(async () => {
    await sim.close();
    await merchant.close();
  });

  it.each(endpoints)('%s: HTTP 403 when Content-Type is not form-urlencoded', async (path) => {
    const body = encodeForm(buildDataStorageInitRequest(DEMO, { orderIdent: 'ct-1', returnUrl: 'https://shop.example/r', language: 'en' }));
    for (const type of ['application/json', 'text/plain', 'multipart/form-data; boundary=x']) {
      expect((await post(`${sim.url}${path}`, body, type)).httpStatus).toBe(403);
    }
    // With a charset parameter it is fine.
    expect((await post(`${sim.url}${path}`, body, 'application/x-www-form-urlencoded; charset=UTF-8')).httpStatus).not.toBe(403);
  });

  it.each(endpoints)('%s: other methods get 405 with an error block', async (path) => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await fetch(`${sim.url}${path}`, { method });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.text()).toMatch(/^error\.1\.errorCode=10004&.*errors=1/);
    }
  });

  it('bad percent-encoding and duplicate names get a 400 with an error block', async () => {
    const bad = await post(`${sim.url}/seamless/frontend/init`, 'customerId=D200001&amount=%ZZ');
    expect(bad.httpStatus).toBe(400);
    expect(bad.fields).toMatchObject({ 'error.1.errorCode': '10001', errors: '1' });
    const badUtf8 = await post(`${sim.url}/seamless/dataStorage/read`, 'customerId=%C3%28');
    expect(badUtf8.httpStatus).toBe(400);
    const dup = await post(`${sim.url}/seamless/backend/deposit`, 'customerId=D200001&amount=1&amount=2');
    expect(dup.httpStatus).toBe(400);
    expect(dup.fields).toMatchObject({ 'error.1.errorCode': '10002', 'error.1.message': 'Parameter was sent more than once: amount.', status: '1' });
    const emptyName = await post(`${sim.url}/seamless/dataStorage/init`, '=x&customerId=D200001');
    expect(emptyName.httpStatus).toBe(400);
  });

  it('bodies over 64 KB get 413 with an error block; the simulator keeps serving', async () => {
    const huge = `customerId=D200001&orderDescription=${'a'.repeat(70 * 1024)}`;
    const res = await post(`${sim.url}/seamless/frontend/init`, huge);
    expect(res.httpStatus).toBe(413);
    expect(res.fields['error.1.errorCode']).toBe('10003');
    const veryHuge = await post(`${sim.url}/seamless/dataStorage/init`, 'x='.padEnd(3 * 1024 * 1024, 'b'));
    expect(veryHuge.httpStatus).toBe(413);
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
  });

  it('a body cut off mid-way does not crash the simulator', async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${sim.url}/seamless/frontend/init`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '1000' } });
      req.on('error', () => resolve());
      req.write('customerId=D2000', () => {
        req.destroy();
        resolve();
      });
    });
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
  });

  it('empty and junk bodies get the missing-field errors, not a crash', async () => {
    const empty = await post(`${sim.url}/seamless/frontend/init`, '');
    expect(empty.httpStatus).toBe(200);
    expect(Number(empty.fields['errors'])).toBeGreaterThan(5);
    const junk = await post(`${sim.url}/seamless/backend/getOrderDetails`, '&&&==&a&__proto__=x&constructor=y');
    expect(junk.fields['status']).toBe('1');
  });

  it('frontend init: missing parameters answer the §11 codes, all at once (HITFOX recording)', async () => {
    const fields = buildFrontendInitRequest(DEMO, frontendParams(merchant));
    for (const name of ['paymentType', 'currency', 'orderDescription', 'amount', 'consumerIpAddress', 'consumerUserAgent']) delete fields[name];
    const r = await post(`${sim.url}/seamless/frontend/init`, fields);
    expect(r.httpStatus).toBe(200);
    expect(r.fields).toMatchObject({
      'error.1.errorCode': '11051',
      'error.1.message': 'PAYMENTTYPE is missing.',
      'error.2.errorCode': '11019',
      'error.3.errorCode': '11020',
      'error.4.errorCode': '11017',
      'error.5.errorCode': '11146',
      'error.6.errorCode': '11130',
      errors: '6',
    });
  });

  it('frontend init: 18051 for an unknown paymentType, localized consumerMessage', async () => {
    const r = await post(`${sim.url}/seamless/frontend/init`, buildFrontendInitRequest(DEMO, frontendParams(merchant, { paymentType: 'BITCOIN', language: 'de' })));
    expect(r.fields).toMatchObject({ 'error.1.errorCode': '18051', 'error.1.message': 'PAYMENTTYPE is invalid.', 'error.1.consumerMessage': 'PAYMENTTYPE ist ung&#252;ltig.', errors: '1' });
  });

  it('frontend init: amount, currency, confirmUrl and orderNumber are validated', async () => {
    const bad = await post(
      `${sim.url}/seamless/frontend/init`,
      buildFrontendInitRequest(DEMO, frontendParams(merchant, { amount: '1.234', currency: 'EURO', orderNumber: '1234567890', confirmUrl: 'not a url' })),
    );
    expect(bad.fields['errors']).toBe('3');
    expect([bad.fields['error.1.errorCode'], bad.fields['error.2.errorCode'], bad.fields['error.3.errorCode']]).toEqual(['18019', '18024', '18011']);
    const precision = await post(`${sim.url}/seamless/frontend/init`, buildFrontendInitRequest(DEMO, frontendParams(merchant, { amount: '1.234' })));
    expect(precision.fields['error.1.errorCode']).toBe('18017');
    const comma = await post(`${sim.url}/seamless/frontend/init`, buildFrontendInitRequest(DEMO, frontendParams(merchant, { amount: '1,5', currency: '840' })));
    expect(comma.fields['redirectUrl']).toBeDefined();
  });

  it('frontend init: a must-sign field left out of requestFingerprintOrder is refused with 18506', async () => {
    const fields = buildFrontendInitRequest(DEMO, frontendParams(merchant));
    const order = (fields['requestFingerprintOrder'] as string).split(',').filter((n) => n !== 'confirmUrl');
    const resigned: Record<string, string> = { ...fields, requestFingerprintOrder: order.join(',') };
    resigned['requestFingerprint'] = fingerprint(order, resigned, DEMO.secret);
    const r = await post(`${sim.url}/seamless/frontend/init`, resigned);
    expect(r.fields['error.1.errorCode']).toBe('18506');
    // May-be-unsigned fields (paymentType, cancelUrl, …) can stay out.
    const lenientOrder = (fields['requestFingerprintOrder'] as string).split(',').filter((n) => !['paymentType', 'cancelUrl', 'failureUrl', 'serviceUrl'].includes(n));
    const lenient: Record<string, string> = { ...fields, requestFingerprintOrder: lenientOrder.join(',') };
    lenient['requestFingerprint'] = fingerprint(lenientOrder, lenient, DEMO.secret);
    expect((await post(`${sim.url}/seamless/frontend/init`, lenient)).fields['redirectUrl']).toBeDefined();
  });

  it('unknown customer or shop', async () => {
    const customer = await post(`${sim.url}/seamless/frontend/init`, buildFrontendInitRequest({ ...DEMO, customerId: 'D999999' }, frontendParams(merchant)));
    expect(customer.fields['error.1.errorCode']).toBe('18500');
    const shop = await post(`${sim.url}/seamless/dataStorage/init`, buildDataStorageInitRequest({ ...DEMO, shopId: 'other' }, { orderIdent: 'x', returnUrl: 'r', language: 'en' }));
    expect(shop.fields['error.1.errorCode']).toBe('18501');
    const noShop = await post(`${sim.url}/seamless/dataStorage/init`, buildDataStorageInitRequest({ customerId: 'D200001', secret: DEMO.secret }, { orderIdent: 'x', returnUrl: 'r', language: 'en' }));
    expect(noShop.fields['error.1.errorCode']).toBe('18501');
  });

  it('data storage init: missing orderIdent → 15300 (HITFOX recording), missing customerId → 11500', async () => {
    const r = await post(`${sim.url}/seamless/dataStorage/init`, { customerId: 'D200001', shopId: 'qmore', returnUrl: 'http://localhost.return.url', language: 'en', requestFingerprint: 'a'.repeat(128) });
    expect(r.text).toBe('error.1.errorCode=15300&error.1.message=ORDERIDENT+has+an+invalid+length.&error.1.consumerMessage=ORDERIDENT+has+an+invalid+length.&errors=1');
    const noCustomer = await post(`${sim.url}/seamless/dataStorage/read`, { storageId: 'abc', requestFingerprint: 'a'.repeat(128) });
    expect(noCustomer.fields['error.1.errorCode']).toBe('11500');
    const longIdent = await post(`${sim.url}/seamless/dataStorage/init`, buildDataStorageInitRequest(DEMO, { orderIdent: 'x'.repeat(65), returnUrl: 'r', language: 'en' }));
    expect(longIdent.fields['error.1.errorCode']).toBe('15300');
  });

  it('unknown paths and health', async () => {
    const unknown = await post(`${sim.url}/seamless/frontend/nope`, 'a=1');
    expect(unknown.httpStatus).toBe(404);
    expect(unknown.fields['errors']).toBe('1');
    expect((await fetch(`${sim.url}/nope`)).status).toBe(404);
    expect(await (await fetch(`${sim.url}/health`)).json()).toMatchObject({ status: 'ok' });
  });
});
