import { describe, expect, it } from 'vitest';
import {
  backendFingerprintOrder,
  buildBackendRequest,
  decodeForm,
  encodeErrors,
  encodeForm,
  encodeOrderDetailsResponse,
  fingerprint,
  formatQentaTimestamp,
  parseBackendResponse,
  parseQentaTimestamp,
  qentaTimestampToDate,
  verifyBackendRequest,
  type BackendRequest,
} from '../src/index';

const creds = { customerId: 'D200001', shopId: 'seamless', password: 'jcv45z', secret: 'B8AKTPWBRMNBV455FG6M2DANE99WU2' };

// Recorded-style getOrderDetails body (shape and values after HITFOX 2015 recordings, §9.4), with a second order
// paid by PayPal that has been deposited and partly refunded.
const ORDER_DETAILS_BODY = [
  'status=0&orders=2&objectsTotal=2',
  'order.1.merchantNumber=1&order.1.orderNumber=5472113&order.1.paymentType=VPG&order.1.brand=VISA&order.1.amount=1.00',
  'order.1.approveAmount=1.00&order.1.depositAmount=0&order.1.refundAmount=0&order.1.currency=EUR',
  'order.1.orderDescription=Order+42&order.1.orderReference=&order.1.customerStatement=Danke+f%C3%BCr+den+Einkauf%21',
  'order.1.orderText=&order.1.acquirer=card+complete&order.1.contractNumber=0815DemoContract&order.1.state=ORDERED',
  'order.1.operationsAllowed=DEPOSIT%2CAPPROVEREVERSAL&order.1.timeCreated=30.07.2015+10%3A52%3A53',
  'order.1.timeModified=30.07.2015+10%3A52%3A54&order.1.sourceOrderNumber=&order.1.payments=1&order.1.credits=0',
  'payment.1.1.merchantNumber=1&payment.1.1.paymentNumber=5472113&payment.1.1.orderNumber=5472113&payment.1.1.paymentType=VPG',
  'payment.1.1.approveAmount=1.00&payment.1.1.depositAmount=0&payment.1.1.currency=EUR&payment.1.1.state=payment_approved',
  'payment.1.1.operationsAllowed=DEPOSIT%2CAPPROVEREVERSAL&payment.1.1.approvalCode=123456&payment.1.1.batchNumber=0',
  'payment.1.1.gatewayReferenceNumber=DGW_5472113_RN&payment.1.1.avsResultCode=X&payment.1.1.avsResultMessage=Demo+AVS+ResultMessage',
  'payment.1.1.timeCreated=30.07.2015+10%3A52%3A53&payment.1.1.timeModified=30.07.2015+10%3A52%3A54',
  'order.2.orderNumber=5472114&order.2.paymentType=PPL&order.2.amount=30.00&order.2.depositAmount=30.00&order.2.refundAmount=10.00',
  'order.2.currency=EUR&order.2.state=REFUNDABLE&order.2.operationsAllowed=REFUND&order.2.payments=1&order.2.credits=1',
  'order.2.timeCreated=15.01.2020+10%3A00%3A00',
  'payment.2.1.paymentNumber=5472114&payment.2.1.paymentType=PPL&payment.2.1.state=payment_deposited&payment.2.1.operationsAllowed=',
  'payment.2.1.approvalCode=4PW61566G53703003&payment.2.1.paypalPayerID=XYZ&payment.2.1.paypalPayerEmail=buyer%40example.com',
  'payment.2.1.paypalPayerAddressCountry=AT',
  'credit.2.1.creditNumber=321&credit.2.1.orderNumber=5472114&credit.2.1.amount=10.00&credit.2.1.currency=EUR',
  'credit.2.1.state=credit_refunded&credit.2.1.operationsAllowed=REFUNDREVERSAL&credit.2.1.timeCreated=16.01.2020+09%3A15%3A00',
].join('&');

describe('getOrderDetails parsing', () => {
  const r = parseBackendResponse('getOrderDetails', decodeForm(ORDER_DETAILS_BODY).fields);
  if (r.kind !== 'ok') throw new Error('expected ok');
  const [o1, o2] = r.value.orders;

  it('types orders, payments and credits', () => {
    expect(r.value.objectsTotal).toBe(2);
    expect(r.value.orders).toHaveLength(2);
    expect(o1).toMatchObject({
      orderNumber: '5472113', paymentType: 'VPG', brand: 'VISA', amount: '1.00', depositAmount: '0', state: 'ORDERED',
      customerStatement: 'Danke für den Einkauf!', acquirer: 'card complete', operationsAllowed: ['DEPOSIT', 'APPROVEREVERSAL'],
      timeCreated: { raw: '30.07.2015 10:52:53', local: '2015-07-30T10:52:53' }, credits: [],
    });
    expect(o1!.payments).toHaveLength(1);
    expect(o1!.payments[0]).toMatchObject({ paymentNumber: '5472113', state: 'payment_approved', approvalCode: '123456', operationsAllowed: ['DEPOSIT', 'APPROVEREVERSAL'] });
    expect(o1!.payments[0]!.paypal).toBeUndefined();
    expect(o2).toMatchObject({ state: 'REFUNDABLE', refundAmount: '10.00', operationsAllowed: ['REFUND'] });
    expect(o2!.payments[0]).toMatchObject({ state: 'payment_deposited', operationsAllowed: [], paypal: { paypalPayerID: 'XYZ', paypalPayerEmail: 'buyer@example.com', paypalPayerAddressCountry: 'AT' } });
    expect(o2!.credits).toEqual([
      expect.objectContaining({ creditNumber: '321', amount: '10.00', state: 'credit_refunded', operationsAllowed: ['REFUNDREVERSAL'] }),
    ]);
    expect(typeof o1!.amount).toBe('string');
  });

  it('handles unknown orders and round-trips through the simulator encoder', () => {
    expect(parseBackendResponse('getOrderDetails', decodeForm('status=0&objectsTotal=0&orders=0').fields)).toEqual({ kind: 'ok', value: { objectsTotal: 0, orders: [] } });
    const encoded = encodeOrderDetailsResponse([{ order: o1!.raw, payments: o1!.payments.map((p) => p.raw) }, { order: o2!.raw, payments: o2!.payments.map((p) => p.raw), credits: o2!.credits.map((c) => c.raw) }]);
    const again = parseBackendResponse('getOrderDetails', decodeForm(encodeForm(encoded)).fields);
    expect(again).toEqual(r);
    expect(encodeForm(encoded)).toContain('order.1.operationsAllowed=DEPOSIT%2CAPPROVEREVERSAL');
  });
});

describe('timestamps', () => {
  it('parses DD.MM.YYYY HH:MM:SS and rejects junk', () => {
    expect(parseQentaTimestamp('30.07.2015 10:52:53')).toEqual({ raw: '30.07.2015 10:52:53', local: '2015-07-30T10:52:53' });
    expect(parseQentaTimestamp('07.30.2015 10:52:53')).toEqual({ raw: '07.30.2015 10:52:53' });
    expect(parseQentaTimestamp('31.02.2015 10:52:53').local).toBeUndefined();
    expect(parseQentaTimestamp('2015-07-30').local).toBeUndefined();
  });
  it('converts gateway-local time (Europe/Vienna by default) to UTC and back', () => {
    expect(qentaTimestampToDate('30.07.2015 10:52:53')?.toISOString()).toBe('2015-07-30T08:52:53.000Z');
    expect(qentaTimestampToDate('15.01.2020 10:00:00')?.toISOString()).toBe('2020-01-15T09:00:00.000Z');
    expect(qentaTimestampToDate('15.01.2020 10:00:00', 'UTC')?.toISOString()).toBe('2020-01-15T10:00:00.000Z');
    expect(qentaTimestampToDate('junk')).toBeUndefined();
    expect(formatQentaTimestamp(new Date('2015-07-30T08:52:53Z'))).toBe('30.07.2015 10:52:53');
  });
});

describe('back-end builders', () => {
  const cases: [BackendRequest, string[]][] = [
    [{ operation: 'getOrderDetails', orderNumber: '1' }, ['orderNumber']],
    [{ operation: 'deposit', orderNumber: '1', amount: '1.00', currency: 'EUR' }, ['orderNumber', 'amount', 'currency']],
    [{ operation: 'depositReversal', orderNumber: '1', paymentNumber: '2' }, ['orderNumber', 'paymentNumber']],
    [{ operation: 'approveReversal', orderNumber: '1' }, ['orderNumber']],
    [{ operation: 'refund', orderNumber: '1', amount: '1.00', currency: 'EUR' }, ['orderNumber', 'amount', 'currency']],
    [{ operation: 'refundReversal', orderNumber: '1', creditNumber: '3' }, ['orderNumber', 'creditNumber']],
    [
      { operation: 'recurPayment', sourceOrderNumber: '1', autoDeposit: 'no', orderDescription: 'again', amount: '5', currency: 'EUR', customerStatement: 'x' },
      ['sourceOrderNumber', 'autoDeposit', 'orderDescription', 'amount', 'currency', 'customerStatement'],
    ],
    [
      { operation: 'transferFund', orderDescription: 'payout', amount: '5', currency: 'EUR', transfer: { fundTransferType: 'EXISTINGORDER', sourceOrderNumber: '9' } },
      ['orderDescription', 'amount', 'currency', 'fundTransferType', 'sourceOrderNumber'],
    ],
    [
      {
        operation: 'transferFund', orderNumber: '7', orderDescription: 'payout', amount: '5', currency: 'EUR',
        transfer: { fundTransferType: 'SEPA-CT', bankAccountOwner: 'Jane', bankBic: 'GIBAATWW', bankAccountIban: 'AT611904300234573201' },
      },
      ['orderNumber', 'orderDescription', 'amount', 'currency', 'fundTransferType', 'bankAccountOwner', 'bankBic', 'bankAccountIban'],
    ],
    [{ operation: 'transferFund', orderDescription: 'p', amount: '5', currency: 'EUR', transfer: { fundTransferType: 'SKRILLWALLET', consumerEmail: 'a@b.c' } }, ['orderDescription', 'amount', 'currency', 'fundTransferType', 'consumerEmail']],
    [{ operation: 'transferFund', orderDescription: 'p', amount: '5', currency: 'EUR', transfer: { fundTransferType: 'MONETA', consumerWalletId: 'w1' } }, ['orderDescription', 'amount', 'currency', 'fundTransferType', 'consumerWalletId']],
    [{ operation: 'generateOrderNumber' }, []],
  ];

  it.each(cases)('%o', (request, opFields) => {
    const fields = buildBackendRequest(creds, 'en', request);
    expect(Object.keys(fields)).toEqual(['customerId', 'shopId', 'password', 'language', ...opFields, 'requestFingerprint']);
    const type = request.operation === 'transferFund' ? request.transfer.fundTransferType : undefined;
    expect(fields['requestFingerprint']).toBe(fingerprint(backendFingerprintOrder(request.operation, type), fields, creds.secret));
    expect(verifyBackendRequest(request.operation, fields, creds.secret)).toMatchObject({ ok: true });
    expect(verifyBackendRequest(request.operation, { ...fields, language: 'de' }, creds.secret)).toMatchObject({ ok: false, reason: 'bad_fingerprint', errors: [{ errorCode: '18506' }] });
  });

  it('deposit with basket signs the basket fields', () => {
    const fields = buildBackendRequest(creds, 'en', {
      operation: 'deposit', orderNumber: '1', amount: '5.00', currency: 'EUR',
      basket: [{ articleNumber: 'A', quantity: 1, unitGrossAmount: '5.00', unitNetAmount: '4.17', unitTaxAmount: '0.83', unitTaxRate: '20' }],
    });
    expect(fields['basketItem1ArticleNumber']).toBe('A');
    expect(verifyBackendRequest('deposit', fields, creds.secret)).toMatchObject({ ok: true });
    expect(verifyBackendRequest('deposit', { ...fields, basketItem1UnitGrossAmount: '6.00' }, creds.secret)).toMatchObject({ ok: false });
  });

  it('gateway-side: missing-field codes and fund transfer types', () => {
    const fields = buildBackendRequest(creds, 'en', { operation: 'depositReversal', orderNumber: '1', paymentNumber: '2' });
    const { paymentNumber: _p, ...rest } = fields;
    expect(verifyBackendRequest('depositReversal', rest, creds.secret)).toMatchObject({ ok: false, reason: 'missing_fields', errors: [{ errorCode: '11012', message: 'Payment number is missing.' }] });
    const tf = buildBackendRequest(creds, 'en', { operation: 'transferFund', orderDescription: 'p', amount: '5', currency: 'EUR', transfer: { fundTransferType: 'MONETA', consumerWalletId: 'w' } });
    expect(verifyBackendRequest('transferFund', { ...tf, fundTransferType: 'BOGUS' }, creds.secret)).toMatchObject({ ok: false, reason: 'invalid_field' });
    const { fundTransferType: _t, ...noType } = tf;
    expect(verifyBackendRequest('transferFund', noType, creds.secret)).toMatchObject({ ok: false, errors: [{ errorCode: '11216' }] });
    expect(verifyBackendRequest('recurPayment', { customerId: 'x' }, creds.secret)).toMatchObject({ ok: false, reason: 'missing_fields' });
  });
});

describe('back-end answers', () => {
  it('status 0 with the created numbers', () => {
    expect(parseBackendResponse('deposit', { paymentNumber: '5472113', status: '0' })).toEqual({ kind: 'ok', value: { paymentNumber: '5472113' } });
    expect(parseBackendResponse('refund', { creditNumber: '9', status: '0' })).toEqual({ kind: 'ok', value: { creditNumber: '9' } });
    expect(parseBackendResponse('recurPayment', { orderNumber: '8', status: '0' })).toEqual({ kind: 'ok', value: { orderNumber: '8' } });
    expect(parseBackendResponse('transferFund', { creditNumber: '7', status: '0' })).toEqual({ kind: 'ok', value: { creditNumber: '7' } });
    expect(parseBackendResponse('generateOrderNumber', { orderNumber: '6', status: '0' })).toEqual({ kind: 'ok', value: { orderNumber: '6' } });
    expect(parseBackendResponse('approveReversal', { status: '0' })).toEqual({ kind: 'ok', value: {} });
  });
  it('status 1-4 is declined with the error block, anything else is malformed', () => {
    const body = encodeForm(encodeErrors([{ errorCode: '11011', message: 'Order number is missing.' }], 1));
    expect(parseBackendResponse('deposit', decodeForm(body).fields)).toEqual({
      kind: 'declined',
      status: 1,
      errors: [{ errorCode: '11011', message: 'Order number is missing.', consumerMessage: 'Order number is missing.' }],
    });
    expect(parseBackendResponse('deposit', { status: '3' })).toEqual({ kind: 'declined', status: 3, errors: [] });
    expect(parseBackendResponse('deposit', {})).toMatchObject({ kind: 'malformed' });
    expect(parseBackendResponse('deposit', { status: '9' })).toMatchObject({ kind: 'malformed' });
  });
});
