import { describe, expect, it } from 'vitest';
import {
  buildDataStorageInitRequest,
  buildFrontendInitRequest,
  decodeForm,
  encodeDataStorageReadResponse,
  encodeForm,
  fingerprint,
  parseDataStorageInitResponse,
  parseDataStorageReadResponse,
  parseFrontendInitResponse,
  QentaUsageError,
  verifyDataStorageInitRequest,
  verifyDataStorageReadRequest,
  verifyFrontendInitRequest,
  type FrontendInitParams,
} from '../src/index';

const SECRET = 'B8AKTPWBRMNBV455FG6M2DANE99WU2';
const creds = { customerId: 'D200001', shopId: 'seamless', secret: SECRET };

const base: FrontendInitParams = {
  language: 'de',
  paymentType: 'CCARD',
  amount: '12.50',
  currency: 'EUR',
  orderDescription: 'Order 42',
  successUrl: 'https://ops.example/qenta/return/success',
  cancelUrl: 'https://ops.example/qenta/return/cancel',
  failureUrl: 'https://ops.example/qenta/return/failure',
  serviceUrl: 'https://shop.example/service',
  pendingUrl: 'https://ops.example/qenta/return/pending',
  confirmUrl: 'https://ops.example/qenta/confirm',
  consumerIpAddress: '203.0.113.5',
  consumerUserAgent: 'Mozilla/5.0',
  storageId: 'b2737b746627482e0b024097cadb1b41',
  orderIdent: 'oi-42',
  duplicateRequestCheck: 'yes',
  windowName: 'paymentFrame',
  consumer: {
    email: 'a@example.com',
    birthDate: '1980-01-31',
    billing: { firstname: 'Anna', lastname: 'Müller', address1: 'Hauptstraße 1', city: 'Wien', country: 'AT', zipCode: '1010' },
    shipping: { firstname: 'Anna', lastname: 'Müller', country: 'AT' },
  },
  basket: [
    { articleNumber: 'A-1', quantity: 2, name: 'Tee', unitGrossAmount: '5.00', unitNetAmount: '4.17', unitTaxAmount: '0.83', unitTaxRate: '20' },
    { articleNumber: 'S', quantity: 1, description: 'Versand', unitGrossAmount: '2.50', unitNetAmount: '2.08', unitTaxAmount: '0.42', unitTaxRate: '20' },
  ],
  customParameters: { opsPaymentId: 'pay_123' },
};

describe('frontend init builder', () => {
  const req = buildFrontendInitRequest(creds, base);
  const order = (req['requestFingerprintOrder'] as string).split(',');

  it('signs everything sent except windowName, mandatory names included, secret and the order itself', () => {
    const sent = Object.keys(req).filter((k) => k !== 'requestFingerprint' && k !== 'windowName');
    expect(new Set(order)).toEqual(new Set([...sent, 'secret']));
    expect(order).not.toContain('windowName');
    expect(order.slice(-2)).toEqual(['requestFingerprintOrder', 'secret']);
    for (const n of ['customerId', 'language', 'amount', 'currency', 'orderDescription', 'successUrl', 'consumerIpAddress', 'consumerUserAgent', 'confirmUrl', 'storageId', 'orderIdent']) {
      expect(order).toContain(n);
    }
    expect(req['requestFingerprint']).toBe(fingerprint(order, req, SECRET));
    expect(Object.keys(req).slice(-3)).toEqual(['requestFingerprintOrder', 'windowName', 'requestFingerprint']);
  });

  it('writes consumer data, basket and custom parameters', () => {
    expect(req).toMatchObject({
      consumerEmail: 'a@example.com',
      consumerBirthDate: '1980-01-31',
      consumerBillingFirstname: 'Anna',
      consumerBillingLastname: 'Müller',
      consumerBillingZipCode: '1010',
      consumerShippingCountry: 'AT',
      basketItems: '2',
      basketItem1ArticleNumber: 'A-1',
      basketItem1Quantity: '2',
      basketItem1UnitTaxRate: '20',
      basketItem2Description: 'Versand',
      opsPaymentId: 'pay_123',
    });
    expect(req).not.toHaveProperty('basketItem2Name');
  });

  it('is accepted by the gateway-side verifier, also after a wire round trip', () => {
    expect(verifyFrontendInitRequest(req, SECRET)).toMatchObject({ ok: true });
    expect(verifyFrontendInitRequest(decodeForm(encodeForm(req)).fields, SECRET)).toMatchObject({ ok: true });
  });

  it('rejects programmer errors', () => {
    expect(() => buildFrontendInitRequest(creds, { ...base, customParameters: { amount: '1' } })).toThrow(QentaUsageError);
    expect(() => buildFrontendInitRequest(creds, { ...base, customParameters: { 'a,b': '1' } })).toThrow(QentaUsageError);
    expect(() => buildFrontendInitRequest(creds, { ...base, customParameters: { SECRET: '1' } })).toThrow(QentaUsageError);
    expect(() => buildFrontendInitRequest(creds, { ...base, customParameters: { consumerFoo: '1' } })).toThrow(QentaUsageError);
    expect(() => buildFrontendInitRequest(creds, { ...base, basket: [{ ...base.basket![0]!, quantity: 1.5 }] })).toThrow(QentaUsageError);
  });
});

describe('frontend init gateway-side verification', () => {
  const req = buildFrontendInitRequest(creds, base);

  it('answers the observed missing-field codes', () => {
    const { amount: _a, currency: _c, consumerIpAddress: _i, ...rest } = req;
    const r = verifyFrontendInitRequest(rest, SECRET);
    expect(r).toMatchObject({ ok: false, reason: 'missing_fields' });
    if (r.ok) return;
    expect(r.errors.map((e) => e.errorCode)).toEqual(['11019', '11017', '11146']);
    const noFp = verifyFrontendInitRequest({ ...req, requestFingerprint: '' }, SECRET);
    expect(!noFp.ok && noFp.errors[0]).toEqual({ errorCode: '11506', message: 'REQUESTFINGERPRINT is missing.' });
  });

  it('rejects a must-sign name missing from the list', () => {
    const order = (req['requestFingerprintOrder'] as string).split(',').filter((n) => n !== 'consumerUserAgent').join(',');
    const tampered: Record<string, string> = { ...req, requestFingerprintOrder: order };
    tampered['requestFingerprint'] = fingerprint(order.split(','), tampered, SECRET);
    expect(verifyFrontendInitRequest(tampered, SECRET)).toMatchObject({
      ok: false,
      reason: 'mandatory_field_unsigned',
      errors: [{ errorCode: '18506', message: 'REQUESTFINGERPRINT is invalid.' }],
    });
  });

  it('rejects a sent must-sign-if-sent field missing from the list (HOCH PR #25)', () => {
    for (const extra of ['transactionIdentifier', 'consumerBillingState', 'basketItem3Name']) {
      expect(verifyFrontendInitRequest({ ...req, [extra]: 'x' }, SECRET)).toMatchObject({ ok: false, reason: 'sent_field_unsigned' });
    }
    // Fields that may stay unsigned, and custom parameters, are fine.
    expect(verifyFrontendInitRequest({ ...req, noScriptInfoUrl: 'x', shopThing: 'y' }, SECRET)).toMatchObject({ ok: true });
  });

  it('recomputes over exactly the listed names', () => {
    expect(verifyFrontendInitRequest({ ...req, amount: '12.51' }, SECRET)).toMatchObject({ ok: false, reason: 'bad_fingerprint' });
    expect(verifyFrontendInitRequest({ ...req, windowName: 'other' }, SECRET)).toMatchObject({ ok: true });
    expect(verifyFrontendInitRequest(req, 'other-secret')).toMatchObject({ ok: false, reason: 'bad_fingerprint' });
    expect(verifyFrontendInitRequest({ ...req, requestFingerprintOrder: '' }, SECRET)).toMatchObject({ ok: false, reason: 'bad_order' });
    expect(verifyFrontendInitRequest('junk', SECRET)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});

describe('data storage', () => {
  it('init: missing fields and fingerprint', () => {
    const req = buildDataStorageInitRequest(creds, { orderIdent: 'o1', returnUrl: 'https://shop.example/fallback', language: 'en' });
    expect(Object.keys(req)).toEqual(['customerId', 'shopId', 'orderIdent', 'returnUrl', 'language', 'requestFingerprint']);
    expect(verifyDataStorageInitRequest(req, SECRET)).toMatchObject({ ok: true });
    const { orderIdent: _o, ...noIdent } = req;
    expect(verifyDataStorageInitRequest(noIdent, SECRET)).toMatchObject({ ok: false, errors: [{ errorCode: '15300' }] });
    // PCI3 iframe params are outside the fingerprint.
    expect(verifyDataStorageInitRequest({ ...req, iframeCssUrl: 'https://x/y.css' }, SECRET)).toMatchObject({ ok: true });
  });

  it('read: missing storageId answers 11302', () => {
    expect(verifyDataStorageReadRequest({ customerId: 'D200001', requestFingerprint: 'a'.repeat(128) }, SECRET)).toMatchObject({
      ok: false,
      errors: [{ errorCode: '11302', message: 'STORAGEID is missing.' }],
    });
  });

  it('parses init answers', () => {
    const ok = decodeForm(
      'storageId=b2737b746627482e0b024097cadb1b41&javascriptUrl=https%3A%2F%2Fcheckout.wirecard.com%2Fseamless%2FdataStorage%2Fjs%2FD200001%2Fqmore%2Fb2737b746627482e0b024097cadb1b41%2FdataStorage.js',
    ).fields;
    expect(parseDataStorageInitResponse(ok)).toEqual({
      kind: 'ok',
      value: {
        storageId: 'b2737b746627482e0b024097cadb1b41',
        javascriptUrl: 'https://checkout.wirecard.com/seamless/dataStorage/js/D200001/qmore/b2737b746627482e0b024097cadb1b41/dataStorage.js',
      },
    });
    const err = decodeForm('error.1.errorCode=15300&error.1.message=ORDERIDENT+has+an+invalid+length.&error.1.consumerMessage=ORDERIDENT+has+an+invalid+length.&errors=1').fields;
    expect(parseDataStorageInitResponse(err)).toMatchObject({ kind: 'declined', errors: [{ errorCode: '15300' }] });
    expect(parseDataStorageInitResponse({ foo: 'bar' })).toMatchObject({ kind: 'malformed' });
  });

  it('parses read answers with typed payment informations', () => {
    const body = encodeForm(
      encodeDataStorageReadResponse('b2737b746627482e0b024097cadb1b41', [
        { paymentType: 'CCARD', anonymousPan: '0001', maskedPan: '950000******0001', financialInstitution: 'Visa', brand: 'VISA', cardholdername: 'Jane', expiry: '12/2031' },
        { paymentType: 'SEPA-DD', accountOwner: 'J***', bankBic: 'GIBAATWW', bankAccountIban: 'AT61****3456' },
        { paymentType: 'PBX', payerPayboxNumber: '0664***' },
        { paymentType: 'GIROPAY', bankAccount: '***1', bankNumber: '1234', accountOwner: 'X' },
        { paymentType: 'VOUCHER', voucherId: 'V1' },
        { paymentType: 'NEWTHING', foo: 'bar' },
      ]),
    );
    const r = parseDataStorageReadResponse(decodeForm(body).fields);
    if (r.kind !== 'ok' || !r.value.exists) throw new Error('expected storage');
    expect(r.value.paymentInformations.map((p) => p.kind)).toEqual(['card', 'sepa-dd', 'paybox', 'giropay', 'voucher', 'other']);
    expect(r.value.paymentInformations[0]).toMatchObject({ kind: 'card', maskedPan: '950000******0001', expiry: '12/2031', brand: 'VISA' });
    expect(r.value.paymentInformations[1]).toMatchObject({ kind: 'sepa-dd', bankAccountIban: 'AT61****3456' });
    expect(parseDataStorageReadResponse(decodeForm('storageId=b2737b746627482e0b024097cadb1b41&paymentInformations=0').fields)).toEqual({
      kind: 'ok',
      value: { exists: true, storageId: 'b2737b746627482e0b024097cadb1b41', paymentInformations: [] },
    });
    expect(parseDataStorageReadResponse({})).toEqual({ kind: 'ok', value: { exists: false } });
    expect(parseDataStorageReadResponse({ errors: '1', 'error.1.errorCode': '11302', 'error.1.message': 'STORAGEID is missing.' })).toMatchObject({ kind: 'declined' });
  });

  it('parses frontend init answers', () => {
    expect(parseFrontendInitResponse({ redirectUrl: 'https://x/select.php?SID=1' })).toEqual({ kind: 'ok', value: { redirectUrl: 'https://x/select.php?SID=1' } });
    const six = decodeForm(
      'error.1.errorCode=11051&error.1.message=PAYMENTTYPE+is+missing.&error.2.errorCode=11019&error.2.message=Currency+is+missing.&error.3.errorCode=11020&error.3.message=Order+description+is+missing.&error.4.errorCode=11017&error.4.message=Amount+is+missing.&error.5.errorCode=11146&error.5.message=IP-Address+is+missing.&error.6.errorCode=11130&error.6.message=USER_AGENT+is+missing.&errors=6',
    ).fields;
    const r = parseFrontendInitResponse(six);
    expect(r.kind === 'declined' && r.errors.map((e) => e.errorCode)).toEqual(['11051', '11019', '11020', '11017', '11146', '11130']);
    expect(parseFrontendInitResponse({ redirectUrl: '' })).toMatchObject({ kind: 'malformed' });
  });
});
