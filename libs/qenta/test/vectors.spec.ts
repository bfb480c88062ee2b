import { describe, expect, it } from 'vitest';
import {
  buildDataStorageInitRequest,
  buildDataStorageReadRequest,
  buildFrontendInitRequest,
  fingerprint,
  signConfirmation,
  verifyConfirmation,
  verifyDataStorageInitRequest,
  verifyDataStorageReadRequest,
  verifyFrontendInitRequest,
} from '../src/index';

// PROTOCOL.md §3.5 — all with the demo secret.
const SECRET = 'B8AKTPWBRMNBV455FG6M2DANE99WU2';

describe('§3.5 A: HMAC-SHA512 generic', () => {
  it('value1..value4', () => {
    const fields = { a: 'value1', b: 'value2', c: 'value3', d: 'value4' };
    expect(fingerprint(['a', 'b', 'c', 'd', 'secret'], fields, SECRET)).toBe(
      '6c8bc309cbdf78770fd4820c12a6573c1fb6371ba86a4a34e5226dc529d70cb61cbec1af21faaf0567aeabad868acf9bf08030caec008ff2c8856bae676801e8',
    );
  });
  it('UTF-8 values', () => {
    const fields = { a: 'äöü', b: '#+ü', c: '///', d: 'bla' };
    expect(fingerprint(['a', 'b', 'c', 'd', 'secret'], fields, SECRET, 'hmac-sha512')).toBe(
      '3af32ea6d1bc69284625b6d245d84aadc6b8df0df131090e7265c5919bb76eadd0d72a63646da0d8019036c409f91b6ab9a7e6cae661ad4528d15db50b4c4678',
    );
  });
});

const B_FIELDS: [string, string][] = [
  ['amount', '1'],
  ['currency', 'EUR'],
  ['paymentType', 'CCARD'],
  ['financialInstitution', 'MC'],
  ['language', 'de'],
  ['orderNumber', '16375141'],
  ['paymentState', 'SUCCESS'],
  ['authenticated', 'Yes'],
  ['anonymousPan', '0001'],
  ['expiry', '10/2012'],
  ['cardholder', 'keiner'],
  ['maskedPan', '950000******0001'],
  ['gatewayReferenceNumber', 'DGW_16375141_RN'],
  ['gatewayContractNumber', 'DemoContractNumber123'],
  ['avsResponseCode', 'X'],
  ['avsResponseMessage', 'Demo AVS ResultMessage'],
];
const B_ORDER =
  'amount,currency,paymentType,financialInstitution,language,orderNumber,paymentState,authenticated,anonymousPan,expiry,cardholder,maskedPan,gatewayReferenceNumber,gatewayContractNumber,avsResponseCode,avsResponseMessage,secret,responseFingerprintOrder';
const B_EXPECTED =
  'e077f1e8488f06a444899b43c94a0c814c69efea4870b4afc931cacc99ee1516db3f5909f7079d657d73fe0ef92c4cc48515cd4026168d228962ba7d05cc503f';

describe('§3.5 B: HMAC-SHA512 confirmation (credit card)', () => {
  it('signConfirmation reproduces order and fingerprint', () => {
    const signed = signConfirmation(B_FIELDS, SECRET);
    expect(signed['responseFingerprintOrder']).toBe(B_ORDER);
    expect(signed['responseFingerprint']).toBe(B_EXPECTED);
  });
  it('verifyConfirmation accepts the recorded confirmation (upper-case hex too)', () => {
    const body = { ...Object.fromEntries(B_FIELDS), responseFingerprintOrder: B_ORDER, responseFingerprint: B_EXPECTED };
    expect(verifyConfirmation(body, SECRET)).toEqual({
      ok: true,
      paymentState: 'SUCCESS',
      signedFields: [...B_FIELDS.map(([k]) => k), 'responseFingerprintOrder'],
      unsignedFields: [],
    });
    expect(verifyConfirmation({ ...body, responseFingerprint: B_EXPECTED.toUpperCase() }, SECRET).ok).toBe(true);
    expect(verifyConfirmation(body, SECRET, { algorithm: 'sha512' })).toMatchObject({ ok: false, reason: 'mismatch' });
  });
});

describe('§3.5 E: legacy SHA-512 through the real builders', () => {
  const creds = { customerId: 'D200001', shopId: 'qmore', secret: SECRET, algorithm: 'sha512' as const };

  it('data storage init', () => {
    const req = buildDataStorageInitRequest(creds, {
      orderIdent: 'order123',
      returnUrl: 'http://localhost.return.url',
      language: 'en',
      javascriptScriptVersion: 'pci3',
      iframe: { iframeCssUrl: 'https://shop.example/iframe.css', creditcardShowCvcField: true },
    });
    expect(req['requestFingerprint']).toBe(
      '855b5ac85144d35c4b32d35ddfbdbbd34770cb33b4d5271a1566c3892e43eb2507253e17e840fd6f2ddcc49d49c79580ba96e239bfe5d4df90bf02ea0484e1b2',
    );
    expect(Object.keys(req)).toEqual([
      'customerId', 'shopId', 'orderIdent', 'returnUrl', 'language', 'javascriptScriptVersion', 'requestFingerprint', 'iframeCssUrl', 'creditcardShowCvcField',
    ]);
    expect(req['creditcardShowCvcField']).toBe('true');
    expect(verifyDataStorageInitRequest(req, SECRET, 'sha512').ok).toBe(true);
    expect(verifyDataStorageInitRequest({ ...req, orderIdent: 'order124' }, SECRET, 'sha512')).toMatchObject({
      ok: false,
      reason: 'bad_fingerprint',
      errors: [{ errorCode: '18506', message: 'REQUESTFINGERPRINT is invalid.' }],
    });
  });

  it('data storage read', () => {
    const req = buildDataStorageReadRequest(creds, { storageId: 'b2737b746627482e0b024097cadb1b41' });
    expect(req['requestFingerprint']).toBe(
      'eb6a688db153b6f215c12d98c9cccaf8d60dec0e64bab967e2cae0b868fa30a3edf91ef8a17ee40d3984b0a4742aecf049446fea696740470e45121ccdfe6cbd',
    );
    expect(verifyDataStorageReadRequest(req, SECRET, 'sha512').ok).toBe(true);
  });

  it('frontend init', () => {
    const req = buildFrontendInitRequest(creds, {
      orderNumber: '1113051',
      language: 'en',
      currency: 'USD',
      successUrl: 'http://localhost.success.url',
      failureUrl: 'http://localhost.failure.url',
      cancelUrl: 'http://localhost.cancel.url',
      serviceUrl: 'http://localhost.service.url',
      confirmUrl: 'http://localhost.confirm.url',
      paymentType: 'CCARD',
      storageId: 'b2737b746627482e0b024097cadb1b41',
      amount: '1000',
      orderDescription: 'some description',
      consumerIpAddress: '127.0.0.1',
      consumerUserAgent: 'some agent',
    });
    expect(req['requestFingerprintOrder']).toBe(
      'customerId,shopId,orderNumber,language,currency,successUrl,failureUrl,cancelUrl,serviceUrl,confirmUrl,paymentType,storageId,amount,orderDescription,consumerIpAddress,consumerUserAgent,requestFingerprintOrder,secret',
    );
    expect(req['requestFingerprint']).toBe(
      'db79d074ea5a1572425d54877097cde8fd72ae32a7587cc5d77103e9ff0d807ee64f7b4010ad06b3a2e13be605f87ea35895cf541a9790d15e46f1008e8e638d',
    );
    expect(verifyFrontendInitRequest(req, SECRET, 'sha512').ok).toBe(true);
  });
});
