import { describe, expect, it } from 'vitest';
import { encodeOrderDetailsResponse, parseBackendResponse, type GetOrderDetailsResponse } from '@seamless-ops/qenta';
import { csvField, csvRecord, parseCsv } from '../src/reconciliation/csv';
import { compareWithGateway, gatewayView, type OurRecord } from '../src/reconciliation/gateway-order';
import { addDays, daysBetween, isCalendarDate } from '../src/reconciliation/local-days';
import { RateLimiter } from '../src/reconciliation/rate-limiter';
import { VirtualClock } from './reconciliation-harness';

// The pure parts of reconciliation: reading a getOrderDetails answer, the comparison and its wording, CSV, dates,
// the rate limiter's spacing.

function answer(records: Parameters<typeof encodeOrderDetailsResponse>[0]): GetOrderDetailsResponse {
  const parsed = parseBackendResponse('getOrderDetails', encodeOrderDetailsResponse(records));
  if (parsed.kind !== 'ok') throw new Error('unparseable');
  return parsed.value;
}

const order = (payments: Record<string, string>[], amount = '12.50') =>
  answer([
    {
      order: { orderNumber: '5001', amount, currency: 'EUR', state: 'ORDERED', paymentType: 'VPG', timeCreated: '29.03.2026 01:30:00', operationsAllowed: 'DEPOSIT,APPROVEREVERSAL' },
      payments,
    },
  ]);
const ours = (state: OurRecord['state'], extra: Partial<OurRecord> = {}): OurRecord => ({
  orderNumber: '5001',
  state,
  amount: '12.50',
  currency: 'EUR',
  confirmedAmount: null,
  confirmedCurrency: null,
  ...extra,
});
const TZ = 'Europe/Vienna';

describe('gateway order view', () => {
  it('reads the order, the strongest payment state and the gateway-local times in UTC', () => {
    const view = gatewayView(
      '5001',
      order([
        { paymentNumber: '1', state: 'payment_closed', approveAmount: '12.50', depositAmount: '0', currency: 'EUR', timeCreated: '29.03.2026 01:30:00' },
        { paymentNumber: '2', state: 'payment_deposited', approveAmount: '12.50', depositAmount: '12.50', currency: 'EUR', timeCreated: '29.03.2026 03:30:00' },
      ]),
      TZ,
    );
    expect(view).toMatchObject({ found: true, paymentState: 'payment_deposited', order: { amount: '12.50', currency: 'EUR', state: 'ORDERED', operationsAllowed: ['DEPOSIT', 'APPROVEREVERSAL'] } });
    // 01:30 CET and 03:30 CEST on the day the clocks jump.
    expect(view.order?.timeCreated).toEqual({ raw: '29.03.2026 01:30:00', utc: '2026-03-29T00:30:00.000Z' });
    expect(view.approvedAt).toBe('2026-03-29T01:30:00.000Z');
    expect(gatewayView('5001', { orders: [], objectsTotal: 0 }, TZ)).toMatchObject({ found: false, order: null, paymentState: null });
  });
});

describe('compareWithGateway', () => {
  const approved = gatewayView('5001', order([{ state: 'payment_approved', timeCreated: '01.01.2026 10:00:00' }]), TZ);
  const deposited = gatewayView('5001', order([{ state: 'payment_deposited' }]), TZ);
  const closed = gatewayView('5001', order([{ state: 'payment_closed' }]), TZ);
  const empty = gatewayView('5001', order([]), TZ);
  const none = gatewayView('5001', { orders: [] }, TZ);
  const reasons = (o: OurRecord, v: ReturnType<typeof gatewayView>) => compareWithGateway(o, v).reasons;

  it('agrees when the states and amounts fit', () => {
    expect(compareWithGateway(ours('SUCCESS'), approved)).toEqual({ agrees: true, reasons: [], matched: ['state: ours SUCCESS, gateway payment_approved', 'amount: 12.50 EUR'] });
    expect(reasons(ours('SUCCESS', { amount: '12.5' }), deposited)).toEqual([]); // 12.5 = 12.50
    for (const state of ['FAILURE', 'CANCEL', 'PENDING', 'INITIATED'] as const) expect(reasons(ours(state), none), state).toEqual([]);
    expect(reasons(ours('FAILURE'), closed)).toEqual([]);
  });

  it('words each disagreement as operators read it', () => {
    expect(reasons(ours('SUCCESS'), none)).toEqual(['gateway has no order 5001']);
    expect(reasons(ours('SUCCESS'), empty)).toEqual(['ours is SUCCESS, gateway shows nothing']);
    expect(reasons(ours('SUCCESS'), closed)).toEqual(['ours is SUCCESS, gateway shows payment_closed']);
    expect(reasons(ours('FAILURE'), approved)).toEqual(['gateway shows payment_approved, ours is FAILURE']);
    expect(reasons(ours('PENDING'), deposited)).toEqual(['gateway shows payment_deposited, ours is PENDING']);
    expect(reasons(ours('PENDING'), closed)).toEqual(['gateway shows payment_closed, ours is PENDING']);
    const tenEuros = gatewayView('5001', order([{ state: 'payment_approved' }], '10.00'), TZ);
    expect(reasons(ours('SUCCESS'), tenEuros)).toEqual(['amounts differ: ours 12.50 EUR, gateway 10.00 EUR']);
    // The confirmation said 10.00, we initiated 12.50, the gateway has 12.50: the confirmed amount differs.
    expect(reasons(ours('SUCCESS', { confirmedAmount: '10.00', confirmedCurrency: 'EUR' }), approved)).toEqual(['amounts differ: ours 10.00 EUR, gateway 12.50 EUR']);
    expect(reasons(ours('SUCCESS', { currency: 'USD' }), approved)).toEqual(['amounts differ: ours 12.50 USD, gateway 12.50 EUR']);
  });
});

describe('csv', () => {
  it('quotes only what needs quoting, doubles quotes, ends records with CRLF, and parses back', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(3)).toBe('3');
    const text = csvRecord(['h1', 'h2', 'h3']) + csvRecord(['a,b', 'say "hi"', 'two\nlines']) + csvRecord(['', '0.30', '']);
    expect(text).toBe('h1,h2,h3\r\n"a,b","say ""hi""","two\nlines"\r\n,0.30,\r\n');
    expect(parseCsv(text)).toEqual([
      ['h1', 'h2', 'h3'],
      ['a,b', 'say "hi"', 'two\nlines'],
      ['', '0.30', ''],
    ]);
    expect(() => parseCsv('"open')).toThrow();
    expect(() => parseCsv('a"b')).toThrow();
  });
});

describe('local days', () => {
  it('knows real calendar dates and counts days without time zones', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-03-28', '2026-10-25')).toBe(211);
  });
});

describe('RateLimiter', () => {
  it('spaces grants 1/rate apart, queues concurrent callers in order, and does not wait after a pause', async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter(5, clock);
    expect(await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()])).toEqual([0, 200, 400]);
    clock.current = 5000; // a long pause: no burst credit, no waiting either
    expect(await limiter.acquire()).toBe(5000);
    expect(await limiter.acquire()).toBe(5200);
    expect(() => new RateLimiter(0)).toThrow(RangeError);
  });
});
