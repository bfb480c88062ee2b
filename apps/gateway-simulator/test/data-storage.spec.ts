import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDataStorageReadRequest, buildFrontendInitRequest, encodeForm } from '@seamless-ops/qenta';
import { ManualClock } from '../src/clock';
import type { RunningSimulator } from '../src/simulator';
import { DEMO, DEMO_PAN, frontendParams, initStorage, loadDataStorageScript, MerchantServer, post, simulator, store, type DataStorageApi } from './helpers';

const MINUTE = 60_000;
const nextYear = String(new Date().getUTCFullYear() + 1);

describe('data storage', () => {
  const clock = new ManualClock(Date.now());
  const logs: string[] = [];
  let sim: RunningSimulator;
  let merchant: MerchantServer;

  beforeAll(async () => {
    sim = await simulator({ clock, log: (line) => logs.push(line), logRequests: true });
    merchant = await new MerchantServer().start();
  });
  afterEach(() => sim.idle());
  afterAll(async () => {
    await sim.close();
    await merchant.close();
  });

  const read = (storageId: string) => post(`${sim.url}/seamless/dataStorage/read`, buildDataStorageReadRequest(DEMO, { storageId }));
  const card = (pan = DEMO_PAN) => ({ pan, expirationMonth: '01', expirationYear: nextYear, cardholdername: 'Max Muster', cardverifycode: '123' });
  async function api(orderIdent: string): Promise<{ storageId: string; ds: DataStorageApi }> {
    const s = await initStorage(sim, orderIdent);
    return { storageId: s.storageId, ds: (await loadDataStorageScript(s.javascriptUrl)).QentaCEE_DataStorage };
  }

  it('a fresh storage reads as existing with no entries (HITFOX recording)', async () => {
    const { storageId, javascriptUrl } = await initStorage(sim, 'fresh-1');
    const r = await read(storageId);
    expect(r.text).toBe(encodeForm({ storageId, javascriptUrl, paymentInformations: '0' }));
  });

  it('lives 30 minutes after the last access; store and read extend it; then it is refused', async () => {
    const { storageId, ds } = await api('ttl-1');
    clock.advance(29 * MINUTE);
    expect((await store(ds, 'storeCreditCardInformation', card())).getStatus()).toBe(0); // extends
    clock.advance(29 * MINUTE);
    expect((await read(storageId)).fields['storageId']).toBe(storageId); // extends again
    clock.advance(30 * MINUTE);
    expect((await read(storageId)).fields['storageId']).toBe(storageId); // exactly 30 minutes: still valid
    clock.advance(30 * MINUTE + 1);
    const expired = await read(storageId);
    expect(expired.fields).toMatchObject({ errors: '1', 'error.1.errorCode': '18302' });
    expect(expired.fields['error.1.message']).toMatch(/expired/);
    expect(expired.fields['storageId']).toBeUndefined();
    const late = await store(ds, 'storeCreditCardInformation', card());
    expect(late.getStatus()).not.toBe(0);
    expect(late.getErrors()[0]?.errorCode).toBe('18302');
    const init = await post(`${sim.url}/seamless/frontend/init`, buildFrontendInitRequest(DEMO, frontendParams(merchant, { storageId, orderIdent: 'ttl-1' })));
    expect(init.fields['error.1.errorCode']).toBe('18302');
    const status = (await (await fetch(`${sim.url}/simulator/storages/${storageId}`)).json()) as { status: string };
    expect(status.status).toBe('expired');
  });

  it('becomes invalid after a successful frontend init (consumed), not after a failed one', async () => {
    const { storageId, ds } = await api('consume-1');
    await store(ds, 'storeCreditCardInformation', card());
    const params = frontendParams(merchant, { storageId, orderIdent: 'consume-1' });
    const wrongIdent = await post(`${sim.url}/seamless/frontend/init`, buildFrontendInitRequest(DEMO, { ...params, orderIdent: 'other' }));
    expect(wrongIdent.fields['error.1.errorCode']).toBe('18300');
    const first = await post(`${sim.url}/seamless/frontend/init`, buildFrontendInitRequest(DEMO, params));
    expect(first.fields['redirectUrl']).toBeDefined();
    const second = await post(`${sim.url}/seamless/frontend/init`, buildFrontendInitRequest(DEMO, params));
    expect(second.fields).toMatchObject({ errors: '1', 'error.1.errorCode': '18302' });
    expect(second.fields['error.1.message']).toMatch(/already been used/);
    expect((await read(storageId)).fields['error.1.errorCode']).toBe('18302');
    expect((await store(ds, 'storeCreditCardInformation', card())).getStatus()).not.toBe(0);
  });

  it('refuses unknown storages and other merchants’ storages', async () => {
    const unknown = await read('0123456789abcdef0123456789abcdef');
    expect(unknown.fields).toMatchObject({ errors: '1', 'error.1.errorCode': '18302', 'error.1.message': 'STORAGEID is invalid.' });
    const { storageId } = await initStorage(sim, 'shop-1');
    const otherShop = await post(`${sim.url}/seamless/dataStorage/read`, buildDataStorageReadRequest({ ...DEMO, shopId: 'seamless' }, { storageId }));
    expect(otherShop.fields['error.1.errorCode']).toBe('18302');
    expect((await fetch(`${sim.url}/seamless/dataStorage/js/D200001/seamless/${storageId}/dataStorage.js`)).status).toBe(404);
  });

  it('validates cards in the browser (Luhn, expiry) and stores nothing then', async () => {
    const { storageId, ds } = await api('validate-1');
    const luhn = await store(ds, 'storeCreditCardInformation', card('4111111111111112'));
    expect(luhn.getStatus()).toBe(1);
    expect(luhn.getErrors()).toEqual([{ errorCode: '18401', message: 'PAN is invalid.', consumerMessage: 'PAN is invalid.' }]);
    const expired = await store(ds, 'storeCreditCardInformation', { pan: '4111111111111111', expirationMonth: '01', expirationYear: '2020' });
    expect(expired.getErrors().map((e) => e.errorCode)).toEqual(['18404']);
    const missing = await store(ds, 'storeMaestroInformation', {});
    expect(missing.getErrors().map((e) => e.errorCode)).toEqual(['11401', '11402', '11403']);
    const badCvc = await store(ds, 'storeCreditCardMotoInformation', { ...card(), cardverifycode: '12a' });
    expect(badCvc.getErrors().map((e) => e.errorCode)).toEqual(['18405']);
    expect((await read(storageId)).fields['paymentInformations']).toBe('0');
  });

  it('validates on the server too (data posted without the script)', async () => {
    const { storageId } = await initStorage(sim, 'server-1');
    const res = await fetch(`${sim.url}/seamless/dataStorage/store/${storageId}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://shop.example' },
      body: encodeForm({ paymentType: 'CCARD', pan: '4111111111111112', expirationMonth: '13', expirationYear: nextYear }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const answer = (await res.json()) as { status: number; errors: Array<{ errorCode: string }> };
    expect(answer.status).toBe(1);
    expect(answer.errors.map((e) => e.errorCode)).toEqual(['18401', '18402']);
    const preflight = await fetch(`${sim.url}/seamless/dataStorage/store/${storageId}`, { method: 'OPTIONS', headers: { Origin: 'https://shop.example', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('keeps one masked entry per payment type, for every store method', async () => {
    const { storageId, ds } = await api('types-1');
    const visa = await store(ds, 'storeCreditCardInformation', card('9400000000000004'));
    expect(visa.getAnonymizedPaymentInformation()).toMatchObject({ maskedPan: '940000******0004', financialInstitution: 'Visa', brand: 'VISA', expiry: `01/${nextYear}` });
    const maestro = await store(ds, 'storeMaestroInformation', card('9600000000000005'));
    expect(maestro.getAnonymizedPaymentInformation()).toMatchObject({ paymentType: 'MAESTRO', maskedPan: '960000******0005', brand: 'Maestro' });
    const real = await store(ds, 'storeCreditCardMotoInformation', { ...card('5500000000000004'), expirationYear: nextYear.slice(2) });
    expect(real.getAnonymizedPaymentInformation()).toMatchObject({ paymentType: 'CCARD-MOTO', maskedPan: '550000******0004', financialInstitution: 'MC', expiry: `01/${nextYear}` });
    expect((await store(ds, 'storeSepaDdInformation', { bankAccountIban: '1234123412341234', accountOwner: 'Jane' })).getAnonymizedPaymentInformation()).toMatchObject({
      bankAccountIban: '1234********1234',
    });
    expect((await store(ds, 'storePayboxInformation', { payerPayboxNumber: '0664123456789' })).getAnonymizedPaymentInformation()).toEqual({
      paymentType: 'PBX',
      payerPayboxNumber: '*********6789',
    });
    expect((await store(ds, 'storeGiropayInformation', { bankAccount: '1234567890', bankNumber: '12345678', accountOwner: 'Jane' })).getAnonymizedPaymentInformation()).toEqual({
      paymentType: 'GIROPAY',
      accountOwner: 'Jane',
      bankAccount: '******7890',
      bankNumber: '12345678',
    });
    expect((await store(ds, 'storeVoucherInformation', { voucherId: 'VOUCHER-123456' })).getAnonymizedPaymentInformation()).toEqual({
      paymentType: 'VOUCHER',
      voucherId: '**********3456',
    });
    expect((await store(ds, 'storeVoucherInformation', { voucherId: '' })).getErrors()[0]?.errorCode).toBe('11416');
    const r = await read(storageId);
    expect(r.fields['paymentInformations']).toBe('7');
    expect(r.text).not.toMatch(/9400000000000004|9600000000000005|5500000000000004|1234123412341234|0664123456789|1234567890|VOUCHER-123456/);
  });

  it('pci3 mode is not simulated: a null paymentInformation gets an error', async () => {
    const { ds } = await api('pci3-1');
    const r = await store(ds, 'storeCreditCardInformation', null);
    expect(r.getErrors()[0]?.errorCode).toBe('18417');
  });

  it('localizes consumerMessage by the storage language', async () => {
    const answer = await post(`${sim.url}/seamless/dataStorage/init`, { customerId: 'D200001', shopId: 'qmore', language: 'de', returnUrl: 'x', requestFingerprint: 'x' });
    expect(answer.fields).toMatchObject({ 'error.1.errorCode': '15300', 'error.1.consumerMessage': 'ORDERIDENT hat eine ung&#252;ltige L&#228;nge.' });
  });

  it('never writes a card number, CVC or full IBAN to its log', () => {
    expect(logs.length).toBeGreaterThan(0);
    const all = logs.join('\n');
    for (const secret of [DEMO_PAN, '9400000000000004', '5500000000000004', 'cardverifycode', 'AT611904300234573201', '1234123412341234']) expect(all).not.toContain(secret);
  });
});

describe('published legacy vectors against a SHA-512 account (HITFOX recordings, PROTOCOL.md §3.5 E)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await simulator({
      accounts: [{ customerId: 'D200001', shopIds: ['qmore'], secret: DEMO.secret, backendPassword: 'jcv45z', fingerprintAlgorithm: 'sha512' }],
    });
  });
  afterAll(() => sim.close());

  it('accepts the recorded data storage init request', async () => {
    const answer = await post(`${sim.url}/seamless/dataStorage/init`, {
      customerId: 'D200001',
      shopId: 'qmore',
      orderIdent: 'order123',
      returnUrl: 'http://localhost.return.url',
      language: 'en',
      javascriptScriptVersion: 'pci3',
      requestFingerprint: '855b5ac85144d35c4b32d35ddfbdbbd34770cb33b4d5271a1566c3892e43eb2507253e17e840fd6f2ddcc49d49c79580ba96e239bfe5d4df90bf02ea0484e1b2',
    });
    expect(answer.fields['storageId']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('verifies the recorded read request (the storage itself no longer exists)', async () => {
    const answer = await post(`${sim.url}/seamless/dataStorage/read`, {
      customerId: 'D200001',
      shopId: 'qmore',
      storageId: 'b2737b746627482e0b024097cadb1b41',
      requestFingerprint: 'eb6a688db153b6f215c12d98c9cccaf8d60dec0e64bab967e2cae0b868fa30a3edf91ef8a17ee40d3984b0a4742aecf049446fea696740470e45121ccdfe6cbd',
    });
    expect(answer.fields['error.1.errorCode']).toBe('18302');
  });
});
