import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDataStorageReadRequest,
  buildFrontendInitRequest,
  parseConfirmation,
  verifyConfirmation,
  verifyConfirmationBody,
} from '@seamless-ops/qenta';
import type { DeliveryAttempt } from '../src/confirmation/delivery';
import type { RunningSimulator } from '../src/simulator';
import { DEMO, DEMO_PAN, fetchJson, frontendParams, initStorage, loadDataStorageScript, MerchantServer, post, simulator, store } from './helpers';

describe('end to end over HTTP: storage → card via the JS → read → frontend init → outcome → confirmation', () => {
  let sim: RunningSimulator;
  let merchant: MerchantServer;

  beforeAll(async () => {
    sim = await simulator();
    merchant = await new MerchantServer().start();
  });
  afterAll(async () => {
    await sim.close();
    await merchant.close();
  });

  it('runs a card payment through every step and delivers a confirmation that libs/qenta verifies', async () => {
    // 1. Data storage init (fingerprinted, fixed order).
    const { storageId, javascriptUrl } = await initStorage(sim, 'e2e-order-1');
    expect(storageId).toMatch(/^[0-9a-f]{32}$/);
    expect(javascriptUrl).toBe(`${sim.url}/seamless/dataStorage/js/D200001/qmore/${storageId}/dataStorage.js`);

    // 2. The consumer's browser stores the demo card through the served JavaScript.
    const { QentaCEE_DataStorage, context } = await loadDataStorageScript(javascriptUrl);
    expect(typeof QentaCEE_DataStorage).toBe('function');
    expect((context['window'] as Record<string, unknown>)['WirecardCEE_DataStorage']).toBe(QentaCEE_DataStorage);
    const stored = await store(QentaCEE_DataStorage, 'storeCreditCardInformation', {
      pan: DEMO_PAN,
      expirationMonth: '12',
      expirationYear: String(new Date().getUTCFullYear() + 3),
      cardholdername: 'Jane Doe',
      cardverifycode: '123',
    });
    expect(stored.getStatus()).toBe(0);
    expect(stored.getErrors()).toEqual([]);
    const anonymized = stored.getAnonymizedPaymentInformation();
    expect(anonymized).toMatchObject({ maskedPan: '950000******0001', anonymousPan: '0001', financialInstitution: 'MC', brand: 'MasterCard', cardholdername: 'Jane Doe' });
    expect(JSON.stringify(anonymized)).not.toContain(DEMO_PAN);

    // 3. Storage read: masked data only.
    const read = await post(`${sim.url}/seamless/dataStorage/read`, buildDataStorageReadRequest(DEMO, { storageId }));
    expect(read.httpStatus).toBe(200);
    expect(read.fields).toMatchObject({
      storageId,
      paymentInformations: '1',
      'paymentInformation.1.paymentType': 'CCARD',
      'paymentInformation.1.maskedPan': '950000******0001',
      'paymentInformation.1.anonymousPan': '0001',
      'paymentInformation.1.expiry': `12/${new Date().getUTCFullYear() + 3}`,
    });
    expect(read.text).not.toContain(DEMO_PAN);
    expect(read.text).not.toMatch(/cardverifycode|123&|=123\b/);
    // Nor anywhere in the simulator's memory.
    expect(JSON.stringify([...sim.state.storages.all().map((s) => [...s.paymentInformation.values()])])).not.toContain(DEMO_PAN);

    // 4. Frontend init: a request whose fingerprint differs by one character is refused in the gateway's format...
    const request = buildFrontendInitRequest(DEMO, frontendParams(merchant, { storageId, orderIdent: 'e2e-order-1', customParameters: { shopOrderId: 'SO-1', correlation: 'c-123' } }));
    const fp = request['requestFingerprint'] as string;
    const tampered = { ...request, requestFingerprint: fp.slice(0, 10) + (fp[10] === 'f' ? 'e' : 'f') + fp.slice(11) };
    expect(tampered.requestFingerprint).toHaveLength(128);
    const refused = await post(`${sim.url}/seamless/frontend/init`, tampered);
    expect(refused.httpStatus).toBe(200);
    expect(refused.text).toBe('error.1.errorCode=18506&error.1.message=REQUESTFINGERPRINT+is+invalid.&error.1.consumerMessage=REQUESTFINGERPRINT+is+invalid.&errors=1');
    // ...the refusal did not consume the storage, and the correctly signed one is accepted.
    const accepted = await post(`${sim.url}/seamless/frontend/init`, request);
    expect(accepted.fields['redirectUrl']).toMatch(new RegExp(`^${sim.url}/seamless/frontend/D200001qmore_DESKTOP/select\\.php\\?SID=[0-9a-f]{32}$`));
    const redirectUrl = accepted.fields['redirectUrl'] as string;

    // 5. The consumer opens the payment page and picks SUCCESS.
    const pageHtml = await (await fetch(redirectUrl)).text();
    expect(pageHtml).toContain('950000******0001');
    expect(pageHtml).toContain('value="SUCCESS"');
    const choice = await fetch(redirectUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'outcome=SUCCESS', redirect: 'manual' });
    expect(choice.status).toBe(303);
    expect(choice.headers.get('location')).toBe('https://shop.example/return/success');

    // 6. The confirmation has arrived (before the redirect) and verifies with the shop's secret.
    const [confirmation] = await merchant.waitFor(1);
    expect(confirmation?.contentType).toBe('application/x-www-form-urlencoded');
    const verdict = verifyConfirmationBody(confirmation?.body, DEMO.secret);
    expect(verdict).toMatchObject({ ok: true, paymentState: 'SUCCESS', unsignedFields: [] });
    const parsed = parseConfirmation(confirmation?.fields);
    expect(parsed.ok).toBe(true);
    const fields = confirmation?.fields ?? {};
    expect(fields).toMatchObject({
      amount: '12.50',
      currency: 'EUR',
      paymentType: 'CCARD',
      financialInstitution: 'MC',
      language: 'en',
      paymentState: 'SUCCESS',
      authenticated: 'Yes',
      anonymousPan: '0001',
      maskedPan: '950000******0001',
      expiry: `12/${new Date().getUTCFullYear() + 3}`,
      cardholder: 'Jane Doe',
      gatewayContractNumber: 'DemoContractNumber123',
      avsResponseCode: 'X',
      shopOrderId: 'SO-1',
      correlation: 'c-123',
    });
    expect(fields['orderNumber']).toMatch(/^[0-9]{1,9}$/);
    expect(fields['gatewayReferenceNumber']).toBe(`DGW_${fields['orderNumber']}_RN`);
    expect(fields['responseFingerprintOrder']?.split(',').slice(-2)).toEqual(['secret', 'responseFingerprintOrder']);
    expect(confirmation?.body).not.toContain(DEMO_PAN);
    // The same body with one character changed is refused.
    expect(verifyConfirmation({ ...fields, amount: '12.51' }, DEMO.secret)).toMatchObject({ ok: false, reason: 'mismatch' });

    // 7. The storage is consumed now.
    const readAgain = await post(`${sim.url}/seamless/dataStorage/read`, buildDataStorageReadRequest(DEMO, { storageId }));
    expect(readAgain.fields['errors']).toBe('1');
    expect(readAgain.fields['error.1.errorCode']).toBe('18302');

    // 8. The delivery log shows the one attempt and its answer.
    const deliveries = await fetchJson<{ items: DeliveryAttempt[] }>(`${sim.url}/simulator/deliveries?orderNumber=${fields['orderNumber']}`);
    expect(deliveries.items).toHaveLength(1);
    expect(deliveries.items[0]).toMatchObject({ attempt: 1, httpStatus: 200, ok: true, paymentState: 'SUCCESS', nextRetryInMs: null });
  });
});
