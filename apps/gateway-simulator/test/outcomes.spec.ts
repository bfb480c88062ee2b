import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildFrontendInitRequest, parseConfirmation, verifyConfirmation } from '@seamless-ops/qenta';
import type { RunningSimulator } from '../src/simulator';
import { complete, DEMO, frontendParams, initPayment, initStorage, loadDataStorageScript, MerchantServer, post, simulator, store } from './helpers';

describe('payment outcomes', () => {
  let sim: RunningSimulator;
  let merchant: MerchantServer;

  beforeAll(async () => {
    sim = await simulator({ knobs: { pendingDelayMs: 25 } });
    merchant = await new MerchantServer().start();
  });
  afterEach(async () => {
    await sim.idle();
    merchant.received.length = 0;
  });
  afterAll(async () => {
    await sim.close();
    await merchant.close();
  });

  const custom = { shopOrderId: 'SO-9', 'x-trace': 'a,b' };

  it('SUCCESS: signed confirmation first, then 303 to successUrl without parameters', async () => {
    const { sid } = await initPayment(sim, merchant, { paymentType: 'PAYPAL', customParameters: custom });
    const result = await complete(sim, sid, 'SUCCESS');
    expect(result).toMatchObject({ location: 'https://shop.example/return/success', paymentState: 'SUCCESS' });
    // Confirmation already answered when the redirect location was handed out.
    expect(merchant.received).toHaveLength(1);
    const fields = merchant.received[0]?.fields ?? {};
    expect(verifyConfirmation(fields, DEMO.secret)).toMatchObject({ ok: true, paymentState: 'SUCCESS' });
    expect(fields).toMatchObject({ paymentType: 'PAYPAL', financialInstitution: 'PayPal', orderNumber: result.orderNumber, shopOrderId: 'SO-9', 'x-trace': 'a,b' });
    expect(fields['maskedPan']).toBeUndefined();
    // Custom parameters are covered by the fingerprint.
    expect(fields['responseFingerprintOrder']).toContain('shopOrderId,x-trace,secret,responseFingerprintOrder');
  });

  it('CANCEL: only paymentState and the custom parameters, unsigned; redirect to cancelUrl', async () => {
    const { sid } = await initPayment(sim, merchant, { customParameters: custom });
    const result = await complete(sim, sid, 'CANCEL');
    expect(result.location).toBe('https://shop.example/return/cancel');
    const [c] = merchant.received;
    expect(c?.fields).toEqual({ paymentState: 'CANCEL', shopOrderId: 'SO-9', 'x-trace': 'a,b' });
    expect(verifyConfirmation(c?.fields, DEMO.secret)).toMatchObject({ ok: false, reason: 'unsigned' });
  });

  it('FAILURE: error block, unsigned; redirect to failureUrl', async () => {
    const { sid } = await initPayment(sim, merchant, { customParameters: custom });
    const result = await complete(sim, sid, 'FAILURE');
    expect(result.location).toBe('https://shop.example/return/failure');
    const parsed = parseConfirmation(merchant.received[0]?.fields);
    expect(parsed.ok && parsed.confirmation.paymentState === 'FAILURE' && parsed.confirmation.errors).toEqual([
      { errorCode: '24997', message: 'Demo payment declined.', consumerMessage: 'The payment was declined.', paySysMessage: 'Declined by the demo acquirer.' },
    ]);
    expect(merchant.received[0]?.fields['shopOrderId']).toBe('SO-9');
    expect(verifyConfirmation(merchant.received[0]?.fields, DEMO.secret)).toMatchObject({ ok: false, reason: 'unsigned' });
  });

  it.each([
    ['PENDING_SUCCESS', 'SUCCESS'],
    ['PENDING→FAILURE', 'FAILURE'],
  ])('%s: PENDING (signed) now and to pendingUrl, %s later', async (outcome, final) => {
    const { sid } = await initPayment(sim, merchant);
    const result = await complete(sim, sid, outcome);
    expect(result).toMatchObject({ paymentState: 'PENDING', location: 'https://shop.example/return/pending' });
    const [pending, later] = await merchant.waitFor(2);
    expect(verifyConfirmation(pending?.fields, DEMO.secret)).toMatchObject({ ok: true, paymentState: 'PENDING' });
    expect(pending?.fields['orderNumber']).toBe(result.orderNumber);
    expect(later?.fields['paymentState']).toBe(final);
    if (final === 'SUCCESS') expect(verifyConfirmation(later?.fields, DEMO.secret)).toMatchObject({ ok: true });
    expect(sim.state.payments.get(sid)?.state).toBe(final);
    const deliveries = await sim.state.deliveries.waitFor({ sid }, 2);
    expect(deliveries.map((d) => d.paymentState)).toEqual(['PENDING', final]);
  });

  it('without pendingUrl, PENDING returns the browser to successUrl', async () => {
    const { sid } = await initPayment(sim, merchant, { pendingUrl: undefined });
    expect((await complete(sim, sid, 'PENDING_SUCCESS')).location).toBe('https://shop.example/return/success');
  });

  it('a payment can be completed once; the page then says so', async () => {
    const { sid, redirectUrl } = await initPayment(sim, merchant);
    await complete(sim, sid, 'SUCCESS');
    const again = await fetch(`${sim.url}/simulator/payments/${sid}/complete`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"outcome":"CANCEL"}' });
    expect(again.status).toBe(409);
    expect((await fetch(redirectUrl)).status).toBe(409);
    const form = await fetch(redirectUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'outcome=CANCEL', redirect: 'manual' });
    expect(form.status).toBe(409);
    expect(merchant.received).toHaveLength(1);
  });

  it('rejects unknown outcomes and SIDs', async () => {
    const { sid, redirectUrl } = await initPayment(sim, merchant);
    const bad = await fetch(`${sim.url}/simulator/payments/${sid}/complete`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"outcome":"MAYBE"}' });
    expect(bad.status).toBe(400);
    const badForm = await fetch(redirectUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'outcome=MAYBE', redirect: 'manual' });
    expect(badForm.status).toBe(400);
    expect((await fetch(`${sim.url}/seamless/frontend/D200001qmore_DESKTOP/select.php?SID=nope`)).status).toBe(404);
    expect((await fetch(`${sim.url}/simulator/payments/nope/complete`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"outcome":"SUCCESS"}' })).status).toBe(404);
    await expect(sim.completePayment('nope', 'SUCCESS')).rejects.toThrow(/unknown SID/);
  });

  it('SEPA-DD from the data storage: masked IBAN, mandate fields in the confirmation', async () => {
    const { storageId, javascriptUrl } = await initStorage(sim, 'sepa-1');
    const { QentaCEE_DataStorage } = await loadDataStorageScript(javascriptUrl);
    const r = await store(QentaCEE_DataStorage, 'storeSepaDdInformation', { bankAccountIban: 'AT611904300234573201', bankBic: 'BKAUATWW', accountOwner: 'Jane Doe' });
    expect(r.getStatus()).toBe(0);
    expect(r.getAnonymizedPaymentInformation()).toMatchObject({ bankAccountIban: 'AT61************3201', bankBic: 'BKAUATWW', accountOwner: 'Jane Doe' });
    const { sid } = await initPayment(sim, merchant, { paymentType: 'SEPA-DD', storageId, orderIdent: 'sepa-1', amount: '30' });
    const { orderNumber } = await complete(sim, sid, 'SUCCESS');
    const f = merchant.received[0]?.fields ?? {};
    expect(verifyConfirmation(f, DEMO.secret)).toMatchObject({ ok: true });
    expect(f).toMatchObject({ amount: '30', paymentType: 'SEPA-DD', financialInstitution: 'SEPA-DD', creditorId: 'AT94ZZZ00000001251' });
    expect(f['mandateId']).toMatch(new RegExp(`^P000000001-1${orderNumber.padStart(9, '0')}[0-9]{14}$`));
    expect(f['mandateSignatureDate']).toMatch(/^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$/);
    expect(f['dueDate']).toMatch(/^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$/);
    expect(merchant.received[0]?.body).not.toContain('AT611904300234573201');
  });

  it('the HTML page works as a form: GET shows the choices, POST redirects with 303', async () => {
    const { redirectUrl } = await initPayment(sim, merchant, { amount: '1', currency: '978' });
    const html = await (await fetch(redirectUrl)).text();
    for (const o of ['SUCCESS', 'CANCEL', 'FAILURE', 'PENDING_SUCCESS', 'PENDING_FAILURE']) expect(html).toContain(`value="${o}"`);
    expect(html).toContain('1.00 EUR');
    const res = await fetch(redirectUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'outcome=FAILURE', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('https://shop.example/return/failure');
  });
});

describe('accounts with the legacy SHA-512 scheme', () => {
  const legacy = { customerId: 'D200411', shopId: 'seamless', secret: 'CHCSH7UGHVVX2P7EHDHSY4T2S4CGYK4QBE4M5YUUG2ND5BEZWNRZW5EJYVJQ', password: '2g4f9q2m' };
  let sim: RunningSimulator;
  let merchant: MerchantServer;

  beforeAll(async () => {
    sim = await simulator({ accounts: [{ customerId: legacy.customerId, shopIds: [legacy.shopId], secret: legacy.secret, backendPassword: legacy.password, fingerprintAlgorithm: 'sha512' }] });
    merchant = await new MerchantServer().start();
  });
  afterAll(async () => {
    await sim.close();
    await merchant.close();
  });

  it('verifies plain SHA-512 request fingerprints, refuses HMAC ones, and signs confirmations with SHA-512', async () => {
    const hmacSigned = buildFrontendInitRequest(legacy, frontendParams(merchant));
    expect((await post(`${sim.url}/seamless/frontend/init`, hmacSigned)).fields['error.1.errorCode']).toBe('18506');
    const { sid } = await initPayment(sim, merchant, {}, { ...legacy, algorithm: 'sha512' });
    await complete(sim, sid, 'SUCCESS');
    const fields = merchant.received[0]?.fields;
    expect(verifyConfirmation(fields, legacy.secret, { algorithm: 'sha512' })).toMatchObject({ ok: true });
    expect(verifyConfirmation(fields, legacy.secret)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('keeps the demo account next to configured ones', async () => {
    const { sid } = await initPayment(sim, merchant);
    expect(sid).toMatch(/^[0-9a-f]{32}$/);
  });
});
