import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildBackendRequest, buildFrontendInitRequest, QentaClient, type GetOrderDetailsResponse } from '@seamless-ops/qenta';
import { ManualClock } from '../src/clock';
import type { RunningSimulator } from '../src/simulator';
import { complete, DEMO, DEMO_PAN, frontendParams, initPayment, initStorage, loadDataStorageScript, MerchantServer, post, simulator, store } from './helpers';

describe('back-end operations', () => {
  // 15 January 2025, 09:30:00 UTC = 10:30:00 in Vienna.
  const clock = new ManualClock(Date.UTC(2025, 0, 15, 9, 30, 0));
  let sim: RunningSimulator;
  let merchant: MerchantServer;
  let gateway: QentaClient;

  beforeAll(async () => {
    sim = await simulator({ clock });
    merchant = await new MerchantServer().start();
    gateway = new QentaClient({ baseUrl: `${sim.url}/seamless`, credentials: DEMO });
  });
  afterEach(() => sim.idle());
  afterAll(async () => {
    await sim.close();
    await merchant.close();
  });

  async function paidCardOrder(amount = '12.50', extra: Record<string, string> = {}): Promise<string> {
    const orderIdent = `be-${Math.random().toString(36).slice(2)}`;
    const { storageId, javascriptUrl } = await initStorage(sim, orderIdent);
    const { QentaCEE_DataStorage } = await loadDataStorageScript(javascriptUrl);
    await store(QentaCEE_DataStorage, 'storeCreditCardInformation', { pan: DEMO_PAN, expirationMonth: '12', expirationYear: '2030' });
    const { sid } = await initPayment(sim, merchant, { amount, storageId, orderIdent, ...extra });
    return (await complete(sim, sid, 'SUCCESS')).orderNumber;
  }

  async function details(orderNumber: string): Promise<GetOrderDetailsResponse> {
    const r = await gateway.getOrderDetails(orderNumber);
    if (r.outcome !== 'success') throw new Error(`getOrderDetails: ${JSON.stringify(r)}`);
    return r.value;
  }

  it('getOrderDetails after SUCCESS shows the approved order in the recorded shape', async () => {
    const orderNumber = await paidCardOrder();
    const raw = await post(`${sim.url}/seamless/backend/getOrderDetails`, buildBackendRequest(DEMO, 'en', { operation: 'getOrderDetails', orderNumber }));
    expect(raw.text.startsWith('status=0&orders=1&objectsTotal=1&order.1.')).toBe(true);
    expect(raw.text).toContain('operationsAllowed=DEPOSIT%2CAPPROVEREVERSAL');
    const { orders, objectsTotal } = await details(orderNumber);
    expect(objectsTotal).toBe(1);
    const order = orders[0];
    expect(order).toMatchObject({
      orderNumber,
      paymentType: 'APG',
      brand: 'MasterCard',
      amount: '12.50',
      approveAmount: '12.50',
      depositAmount: '0.00',
      refundAmount: '0.00',
      currency: 'EUR',
      orderDescription: 'Order 4711',
      state: 'ORDERED',
      operationsAllowed: ['DEPOSIT', 'APPROVEREVERSAL'],
      contractNumber: 'DemoContractNumber123',
    });
    expect(order?.timeCreated?.raw).toBe('15.01.2025 10:30:00');
    expect(order?.payments).toHaveLength(1);
    expect(order?.payments[0]).toMatchObject({
      paymentNumber: orderNumber,
      paymentType: 'APG',
      approveAmount: '12.50',
      depositAmount: '0.00',
      state: 'payment_approved',
      operationsAllowed: ['DEPOSIT', 'APPROVEREVERSAL'],
      gatewayReferenceNumber: `DGW_${orderNumber}_RN`,
    });
    expect(order?.credits).toEqual([]);
  });

  it('deposit, refund, refund reversal and deposit reversal change what getOrderDetails reports', async () => {
    const orderNumber = await paidCardOrder('20.00');
    clock.advance(60_000);
    const dep = await gateway.deposit({ orderNumber, amount: '20', currency: 'EUR' });
    expect(dep).toMatchObject({ outcome: 'success', value: { paymentNumber: orderNumber } });
    let order = (await details(orderNumber)).orders[0];
    expect(order).toMatchObject({ state: 'REFUNDABLE', depositAmount: '20.00', operationsAllowed: ['REFUND'] });
    expect(order?.timeModified?.raw).toBe('15.01.2025 10:31:00');
    expect(order?.payments[0]).toMatchObject({ state: 'payment_deposited', operationsAllowed: ['DEPOSITREVERSAL'] });

    const refund = await gateway.refund({ orderNumber, amount: '5,5', currency: 'EUR' });
    if (refund.outcome !== 'success') throw new Error('refund failed');
    const creditNumber = refund.value.creditNumber as string;
    order = (await details(orderNumber)).orders[0];
    expect(order).toMatchObject({ refundAmount: '5.50', operationsAllowed: ['REFUND'] });
    expect(order?.credits[0]).toMatchObject({ creditNumber, amount: '5.50', state: 'credit_refunded', operationsAllowed: ['REFUNDREVERSAL'] });
    // No deposit reversal while a credit exists.
    expect(await gateway.depositReversal(orderNumber, orderNumber)).toMatchObject({ outcome: 'declined', status: 2 });
    // Too much refunded → execution denied.
    expect(await gateway.refund({ orderNumber, amount: '15.00', currency: 'EUR' })).toMatchObject({ outcome: 'declined', status: 2, errors: [{ errorCode: '18900' }] });

    expect(await gateway.refundReversal(orderNumber, creditNumber)).toMatchObject({ outcome: 'success' });
    expect((await details(orderNumber)).orders[0]?.credits).toEqual([]);
    expect(await gateway.depositReversal(orderNumber, orderNumber)).toMatchObject({ outcome: 'success' });
    order = (await details(orderNumber)).orders[0];
    expect(order).toMatchObject({ state: 'ORDERED', depositAmount: '0.00', operationsAllowed: ['DEPOSIT', 'APPROVEREVERSAL'] });
  });

  it('approveReversal closes the payment; nothing is allowed afterwards', async () => {
    const orderNumber = await paidCardOrder();
    expect(await gateway.approveReversal(orderNumber)).toMatchObject({ outcome: 'success' });
    const order = (await details(orderNumber)).orders[0];
    expect(order).toMatchObject({ approveAmount: '0.00', operationsAllowed: [] });
    expect(order?.payments[0]).toMatchObject({ state: 'payment_closed', operationsAllowed: [] });
    expect(await gateway.deposit({ orderNumber, amount: '1', currency: 'EUR' })).toMatchObject({ outcome: 'declined', status: 2 });
  });

  it('autoDeposit=yes deposits at once', async () => {
    const orderNumber = await paidCardOrder('3', { autoDeposit: 'yes' });
    expect((await details(orderNumber)).orders[0]).toMatchObject({ state: 'REFUNDABLE', depositAmount: '3.00' });
  });

  it('unknown order: getOrderDetails answers status=0&objectsTotal=0&orders=0, other operations refuse', async () => {
    const raw = await post(`${sim.url}/seamless/backend/getOrderDetails`, buildBackendRequest(DEMO, 'en', { operation: 'getOrderDetails', orderNumber: '1' }));
    expect(raw.text).toBe('status=0&objectsTotal=0&orders=0');
    expect(await gateway.deposit({ orderNumber: '1', amount: '1', currency: 'EUR' })).toMatchObject({ outcome: 'declined', status: 1, errors: [{ errorCode: '18011' }] });
    // Another shop of the same customer does not see the order.
    const orderNumber = await paidCardOrder();
    const other = new QentaClient({ baseUrl: `${sim.url}/seamless`, credentials: { ...DEMO, shopId: 'seamless' } });
    expect(await other.getOrderDetails(orderNumber)).toMatchObject({ outcome: 'success', value: { orders: [] } });
  });

  it('generateOrderNumber reserves a number that frontend init can use', async () => {
    const generated = await gateway.generateOrderNumber();
    if (generated.outcome !== 'success') throw new Error('generateOrderNumber failed');
    const orderNumber = generated.value.orderNumber as string;
    expect(orderNumber).toMatch(/^[0-9]{1,9}$/);
    const { sid } = await initPayment(sim, merchant, { orderNumber });
    expect((await complete(sim, sid, 'SUCCESS')).orderNumber).toBe(orderNumber);
    expect(merchant.received.at(-1)?.fields['orderNumber']).toBe(orderNumber);
    // A used number cannot be used again.
    const again = await post(`${sim.url}/seamless/frontend/init`, buildFrontendInitRequest(DEMO, frontendParams(merchant, { orderNumber })));
    expect(again.fields['error.1.errorCode']).toBe('18011');
  });

  it('recurPayment creates a new order from a source order; transferFund answers a credit number', async () => {
    const source = await paidCardOrder();
    const recur = await gateway.recurPayment({ sourceOrderNumber: source, orderDescription: 'Subscription 2', amount: '9.99', currency: 'EUR', autoDeposit: 'yes' });
    if (recur.outcome !== 'success') throw new Error(`recurPayment: ${JSON.stringify(recur)}`);
    const order = (await details(recur.value.orderNumber as string)).orders[0];
    expect(order).toMatchObject({ sourceOrderNumber: source, amount: '9.99', depositAmount: '9.99', paymentType: 'APG', orderDescription: 'Subscription 2' });
    expect(await gateway.recurPayment({ sourceOrderNumber: '42', orderDescription: 'x', amount: '1', currency: 'EUR' })).toMatchObject({
      outcome: 'declined',
      errors: [{ errorCode: '18159' }],
    });
    const transfer = await gateway.transferFund({ orderDescription: 'Payout', amount: '2', currency: 'EUR', transfer: { fundTransferType: 'EXISTINGORDER', sourceOrderNumber: source } });
    expect(transfer).toMatchObject({ outcome: 'success', value: { creditNumber: expect.stringMatching(/^[0-9]+$/) } });
  });

  it('answers missing fields with the recorded codes and status=1', async () => {
    const r = await post(`${sim.url}/seamless/backend/refund`, { customerId: 'D200001', shopId: 'qmore', password: 'jcv45z', language: 'en', requestFingerprint: 'x'.repeat(128) });
    expect(r.fields).toMatchObject({ 'error.1.errorCode': '11011', 'error.2.errorCode': '11017', 'error.3.errorCode': '11019', errors: '3', status: '1' });
    const recur = await post(`${sim.url}/seamless/backend/recurPayment`, { customerId: 'D200001', password: 'jcv45z', language: 'en', requestFingerprint: 'x' });
    expect(recur.fields['error.1.errorCode']).toBe('11159');
  });

  it('checks the fingerprint and the password; matches the operation path case-insensitively', async () => {
    const orderNumber = await paidCardOrder();
    const good = buildBackendRequest(DEMO, 'en', { operation: 'getOrderDetails', orderNumber });
    const lower = await post(`${sim.url}/seamless/backend/getorderdetails`, good);
    expect(lower.fields['status']).toBe('0');
    expect(lower.fields['orders']).toBe('1');
    const badFp = await post(`${sim.url}/seamless/backend/getOrderDetails`, { ...good, orderNumber: orderNumber + '1' });
    expect(badFp.fields).toMatchObject({ 'error.1.errorCode': '18506', status: '1' });
    const wrongPassword = await post(`${sim.url}/seamless/backend/getOrderDetails`, buildBackendRequest({ ...DEMO, password: 'nope' }, 'en', { operation: 'getOrderDetails', orderNumber }));
    expect(wrongPassword.fields).toMatchObject({ 'error.1.errorCode': '18503', status: '1' });
    const unknownCustomer = await post(`${sim.url}/seamless/backend/getOrderDetails`, buildBackendRequest({ ...DEMO, customerId: 'D999999' }, 'en', { operation: 'getOrderDetails', orderNumber }));
    expect(unknownCustomer.fields).toMatchObject({ 'error.1.errorCode': '18500', status: '1' });
    const unknownOp = await post(`${sim.url}/seamless/backend/explode`, good);
    expect(unknownOp.httpStatus).toBe(404);
    expect(unknownOp.fields).toMatchObject({ status: '1', errors: '1' });
  });
});
