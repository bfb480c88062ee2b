import type {
  AlertDetailResponse,
  AlertItem,
  AlertRulesResponse,
  DailyTotalsResponse,
  ExpiredStorageItem,
  FunnelResponse,
  MeResponse,
  MismatchItem,
  MismatchListResponse,
  OverviewResponse,
  Page,
  PaymentDetailResponse,
  PaymentListItem,
  PendingPaymentItem,
  PendingResponse,
  SecurityEventItem,
} from '@seamless-ops/contracts';

/** Realistic operator API answers, typed by libs/contracts so a contract change breaks the tests. */

export const SHOP_VIENNA = { id: 'shop-at', name: 'Alpenshop Wien', timeZone: 'Europe/Vienna' };
export const SHOP_NEW_YORK = { id: 'shop-ny', name: 'Brooklyn Goods', timeZone: 'America/New_York' };

export const meAdmin: MeResponse = {
  operator: { id: 'op-1', email: 'anna.berger@alpenshop.example', role: 'admin', shopIds: null },
  csrfToken: 'csrf-7f3a9c2e4b1d',
  shops: [SHOP_VIENNA, SHOP_NEW_YORK],
};

export const meOperator: MeResponse = {
  operator: { id: 'op-2', email: 'lukas.huber@alpenshop.example', role: 'operator', shopIds: ['shop-at'] },
  csrfToken: 'csrf-operator-51e0',
  shops: [SHOP_VIENNA],
};

export const meFinance: MeResponse = {
  operator: { id: 'op-4', email: 'eva.koller@alpenshop.example', role: 'finance', shopIds: null },
  csrfToken: 'csrf-finance-9b2d',
  shops: [SHOP_VIENNA, SHOP_NEW_YORK],
};

export const meViewer: MeResponse = {
  operator: { id: 'op-3', email: 'viewer@alpenshop.example', role: 'viewer', shopIds: ['shop-at'] },
  csrfToken: 'csrf-viewer-0a0a',
  shops: [SHOP_VIENNA],
};

export const overview: OverviewResponse = {
  from: '2025-03-13T09:00:00.000Z',
  to: '2025-03-14T09:00:00.000Z',
  conversion: 0.4125,
  successRate: 0.8684,
  paymentsInitiated: 200,
  successes: 165,
  pending: 7,
  openMismatches: 3,
  openAlerts: 2,
  securityEvents: 5,
  successRateSeries: [
    { bucket: '2025-03-14T06:00:00.000Z', successRate: 0.9, finals: 60 },
    { bucket: '2025-03-14T07:00:00.000Z', successRate: 0.85, finals: 80 },
    { bucket: '2025-03-14T08:00:00.000Z', successRate: null, finals: 0 },
    { bucket: '2025-03-14T09:00:00.000Z', successRate: 0.8571, finals: 50 },
  ],
};

const zeroCounts = {
  checkoutsStarted: 0,
  storagesInitialized: 0,
  paymentDataStored: 0,
  paymentsInitiated: 0,
  confirmations: 0,
  successes: 0,
  cancels: 0,
  failures: 0,
  pendings: 0,
  storagesExpired: 0,
  initFailures: 0,
  returns: 0,
};

export const funnel: FunnelResponse = {
  granularity: 'hour',
  from: '2025-03-13T09:00:00.000Z',
  to: '2025-03-14T09:00:00.000Z',
  buckets: [
    { ...zeroCounts, bucket: '2025-03-14T07:00:00.000Z', checkoutsStarted: 150, paymentsInitiated: 80, successes: 60 },
    { ...zeroCounts, bucket: '2025-03-14T08:00:00.000Z', checkoutsStarted: 250, paymentsInitiated: 120, successes: 105 },
  ],
  totals: {
    checkoutsStarted: 400,
    storagesInitialized: 360,
    paymentDataStored: 300,
    paymentsInitiated: 200,
    confirmations: 190,
    successes: 165,
    cancels: 15,
    failures: 10,
    pendings: 12,
    storagesExpired: 40,
    initFailures: 4,
    returns: 180,
  },
  dropOffs: { storageExpired: 40, initFailed: 4, cancelled: 15, failed: 10, stillPending: 6 },
  conversion: 0.4125,
  successRate: 0.868,
};

export const emptyFunnel: FunnelResponse = {
  ...funnel,
  buckets: [],
  totals: { ...zeroCounts },
  dropOffs: { storageExpired: 0, initFailed: 0, cancelled: 0, failed: 0, stillPending: 0 },
  conversion: null,
  successRate: null,
};

export function payment(overrides: Partial<PaymentListItem> = {}): PaymentListItem {
  return {
    paymentId: 'pay_01HQ7ZK4M2',
    shopId: 'shop-at',
    orderIdent: 'oi-9f1c2d7a',
    orderNumber: '23456789',
    state: 'SUCCESS',
    amount: '1234.50',
    currency: 'EUR',
    paymentType: 'CCARD',
    maskedPan: '411111******1111',
    financialInstitution: 'Visa',
    gatewayReferenceNumber: 'C8734512903846',
    initiatedAt: '2025-03-14T09:23:45.000Z',
    firstConfirmationAt: '2025-03-14T09:24:10.000Z',
    finalAt: '2025-03-14T09:24:10.000Z',
    returnedAt: '2025-03-14T09:24:12.000Z',
    returnOutcome: 'success',
    confirmationCount: 1,
    duplicateCount: 0,
    hasMismatch: false,
    holdReason: null,
    ...overrides,
  };
}

export const paymentsPage1: Page<PaymentListItem> = {
  items: [
    payment(),
    payment({
      paymentId: 'pay_01HQ7ZM9TX',
      orderNumber: '23456790',
      orderIdent: 'oi-a0b1c2d3',
      amount: '1000',
      currency: 'JPY',
      state: 'FAILURE',
      paymentType: 'PAYPAL',
      maskedPan: null,
      initiatedAt: '2025-03-14T08:10:00.000Z',
    }),
  ],
  nextCursor: 'cursor-page-2',
};

export const paymentsPage2: Page<PaymentListItem> = {
  items: [
    payment({
      paymentId: 'pay_01HQ7ZQ3BH',
      orderNumber: '23456791',
      amount: '12.345',
      currency: 'BHD',
      state: 'PENDING',
      initiatedAt: '2025-03-14T07:00:00.000Z',
      finalAt: null,
    }),
  ],
  nextCursor: null,
};

const detailMismatch: MismatchItem = {
  id: 'mm-17',
  paymentId: 'pay_01HQ7ZK4M2',
  shopId: 'shop-at',
  kind: 'return_contradicts_confirmation',
  reason: 'returned to success page, confirmed FAILURE',
  detail: { returnOutcome: 'success', confirmedState: 'FAILURE' },
  status: 'open',
  detectedAt: '2025-03-14T09:24:12.000Z',
  resolvedAt: null,
};

export const paymentDetail: PaymentDetailResponse = {
  ...payment({
    state: 'FAILURE',
    hasMismatch: true,
    holdReason: 'confirmed amount 1234.00 EUR differs from initiated 1234.50 EUR',
    returnOutcome: 'success',
    confirmationCount: 1,
    duplicateCount: 1,
  }),
  mismatches: [detailMismatch],
  storage: {
    storageId: 'ds-5c2e81f0a7',
    status: 'consumed',
    initializedAt: '2025-03-14T09:20:00.000Z',
    lastAccessAt: '2025-03-14T09:23:40.000Z',
    expiresAt: '2025-03-14T09:53:40.000Z',
    consumedAt: '2025-03-14T09:23:45.000Z',
    expiredAt: null,
  },
  // Deliberately not in time order: the page orders the timeline.
  timeline: [
    {
      id: 'ev-4',
      occurredAt: '2025-03-14T09:24:10.000Z',
      recordedAt: '2025-03-14T09:24:10.050Z',
      kind: 'confirmation.received',
      source: 'gateway',
      paymentState: 'FAILURE',
      amount: '1234.50',
      currency: 'EUR',
      payload: {
        paymentState: 'FAILURE',
        orderNumber: '23456789',
        paymentType: 'CCARD',
        message: 'Declined by issuer',
        maskedPan: '411111******1111',
        responseFingerprint: '[redacted]',
      },
      sourceAddress: '194.28.122.10',
    },
    {
      id: 'ev-1',
      occurredAt: '2025-03-14T09:20:00.000Z',
      recordedAt: '2025-03-14T09:20:00.020Z',
      kind: 'storage.initialized',
      source: 'shop',
      paymentState: null,
      amount: null,
      currency: null,
      payload: { storageId: 'ds-5c2e81f0a7', orderIdent: 'oi-9f1c2d7a' },
      sourceAddress: null,
    },
    {
      id: 'ev-5',
      occurredAt: '2025-03-14T09:24:12.000Z',
      recordedAt: '2025-03-14T09:24:12.010Z',
      kind: 'consumer.returned',
      source: 'consumer',
      paymentState: null,
      amount: null,
      currency: null,
      payload: {},
      sourceAddress: '81.217.4.33',
    },
    {
      id: 'ev-3',
      occurredAt: '2025-03-14T09:23:45.000Z',
      recordedAt: '2025-03-14T09:23:45.400Z',
      kind: 'payment.initiated',
      source: 'system',
      paymentState: 'INITIATED',
      amount: '1234.50',
      currency: 'EUR',
      payload: { paymentType: 'CCARD', amount: '1234.50', currency: 'EUR', redirectUrl: 'https://checkout.qenta.example/seamless/…' },
      sourceAddress: null,
    },
  ],
};

function pendingItem(overrides: Partial<PendingPaymentItem>): PendingPaymentItem {
  return { ...payment({ state: 'PENDING', finalAt: null, returnOutcome: null }), ageSeconds: 60, ageBucket: '<5m', ...overrides };
}

export const pendingResponse: PendingResponse = {
  items: [
    pendingItem({ paymentId: 'pay_old_1', orderNumber: '10000001', ageSeconds: 93_600, ageBucket: '>24h', state: 'INITIATED' }),
    pendingItem({ paymentId: 'pay_mid_2', orderNumber: '10000002', ageSeconds: 7_500, ageBucket: '1-6h' }),
    pendingItem({ paymentId: 'pay_new_3', orderNumber: '10000003', ageSeconds: 125, ageBucket: '<5m' }),
  ],
  nextCursor: null,
  total: 7,
  // The API may leave out empty buckets; '5-15m' and '6-24h' are missing on purpose.
  ageBuckets: [
    { bucket: '<5m', count: 3 },
    { bucket: '15-60m', count: 1 },
    { bucket: '1-6h', count: 2 },
    { bucket: '>24h', count: 1 },
  ],
};

export const expiredStorages: Page<ExpiredStorageItem> = {
  items: [
    {
      storageId: 'ds-77aa01',
      shopId: 'shop-at',
      orderIdent: 'oi-77aa01',
      paymentType: 'CCARD',
      initializedAt: '2025-03-14T07:00:00.000Z',
      expiredAt: '2025-03-14T07:42:30.000Z',
      livedSeconds: 2_550,
    },
  ],
  nextCursor: null,
};

export const mismatches: MismatchListResponse = {
  items: [
    { ...detailMismatch },
    {
      id: 'mm-18',
      paymentId: 'pay_01HQ7ZM9TX',
      shopId: 'shop-at',
      kind: 'amount_mismatch',
      reason: 'confirmed 1234.00 EUR, initiated 1234.50 EUR',
      detail: {},
      status: 'open',
      detectedAt: '2025-03-14T08:11:00.000Z',
      resolvedAt: null,
    },
    {
      id: 'mm-19',
      paymentId: null,
      shopId: 'shop-at',
      kind: 'unknown_payment',
      reason: 'authentic confirmation SUCCESS for order number 99990001, no payment of ours',
      detail: {},
      status: 'open',
      detectedAt: '2025-03-14T08:30:00.000Z',
      resolvedAt: null,
    },
    {
      id: 'mm-20',
      paymentId: 'pay_01HQ7ZQ3BH',
      shopId: 'shop-at',
      kind: 'return_contradicts_confirmation',
      reason: 'returned to cancel page, confirmed SUCCESS',
      detail: {},
      status: 'open',
      detectedAt: '2025-03-14T08:40:00.000Z',
      resolvedAt: null,
    },
  ],
  nextCursor: null,
  countsByKind: [
    { kind: 'return_contradicts_confirmation', open: 2 },
    { kind: 'amount_mismatch', open: 1 },
    { kind: 'unknown_payment', open: 1 },
  ],
};

export const securityEvents: Page<SecurityEventItem> = {
  items: [
    {
      id: 'se-1',
      occurredAt: '2025-03-14T08:05:00.000Z',
      shopId: 'shop-at',
      paymentId: 'pay_01HQ7ZK4M2',
      kind: 'confirmation.rejected',
      reason: 'responseFingerprint does not match',
      paymentState: 'SUCCESS',
      sourceAddress: '203.0.113.50',
    },
  ],
  nextCursor: null,
};

export function alert(overrides: Partial<AlertItem> = {}): AlertItem {
  return {
    id: '1042',
    rule: 'success_rate_drop',
    scope: 'shop=shop-at,paymentType=CCARD',
    severity: 'critical',
    status: 'open',
    summary: 'Success rate 41 % in the last hour (usual 88 %)',
    openedAt: '2025-03-14T08:00:00.000Z',
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    shopId: 'shop-at',
    paymentType: 'CCARD',
    detail: { successRate: 0.41, baselineRate: 0.88, finals: 34, baselineFinals: 412 },
    lastSeenAt: '2025-03-14T08:55:00.000Z',
    ackComment: null,
    ...overrides,
  };
}

export const emptyPage = <T>(): Page<T> => ({ items: [], nextCursor: null });

export const alertDetail: AlertDetailResponse = {
  ...alert({
    status: 'acknowledged',
    acknowledgedAt: '2025-03-14T08:20:00.000Z',
    acknowledgedBy: 'lukas.huber@alpenshop.example',
    ackComment: 'Issuer outage at Visa AT, following up with QENTA',
  }),
  // In the order the ingester wrote them.
  history: [
    {
      id: '501',
      occurredAt: '2025-03-14T08:00:00.000Z',
      kind: 'opened',
      actor: null,
      detail: { summary: 'Success rate 52 % in the last hour (usual 88 %)', severity: 'warning', detail: { successRate: 0.52 } },
    },
    {
      id: '502',
      occurredAt: '2025-03-14T08:00:02.000Z',
      kind: 'notified',
      actor: null,
      detail: { channel: 'webhook', event: 'alert.opened', ok: false, attempt: 1, error: 'HTTP 502 from hooks.example' },
    },
    {
      id: '503',
      occurredAt: '2025-03-14T08:01:02.000Z',
      kind: 'notified',
      actor: null,
      detail: { channel: 'webhook', event: 'alert.opened', ok: true, attempt: 2 },
    },
    {
      id: '504',
      occurredAt: '2025-03-14T08:10:00.000Z',
      kind: 'updated',
      actor: null,
      detail: { summary: 'Success rate 41 % in the last hour (usual 88 %)', severity: 'critical', previousSeverity: 'warning', detail: {} },
    },
    {
      id: '505',
      occurredAt: '2025-03-14T08:20:00.000Z',
      kind: 'acknowledged',
      actor: 'lukas.huber@alpenshop.example',
      detail: { comment: 'Issuer outage at Visa AT, following up with QENTA' },
    },
  ],
};

export const alertRules: AlertRulesResponse = {
  intervalSeconds: 60,
  scheduled: true,
  notifications: { webhook: true, email: false },
  rules: [
    {
      rule: 'success_rate_drop',
      title: 'Success rate drop',
      description: 'The success rate of a shop and payment type falls well below the same hour on previous days.',
      enabled: true,
      severity: 'critical',
      settings: [
        {
          key: 'windowMinutes',
          value: 60,
          default: 60,
          unit: 'minutes',
          env: 'ALERT_SUCCESS_RATE_DROP_WINDOW_MINUTES',
          description: 'The window whose success rate is compared.',
        },
        {
          key: 'minDropPercent',
          value: 30,
          default: 20,
          unit: 'percent',
          env: 'ALERT_SUCCESS_RATE_DROP_MIN_DROP_PERCENT',
          description: 'Trip when the rate is this many percentage points below the baseline.',
        },
        {
          key: 'minSample',
          value: 20,
          default: 20,
          unit: 'count',
          env: 'ALERT_SUCCESS_RATE_DROP_MIN_SAMPLE',
          description: 'Final outcomes needed in the window.',
        },
      ],
      lastRun: {
        tickAt: '2025-03-14T08:55:00.000Z',
        startedAt: '2025-03-14T08:55:00.120Z',
        durationMs: 1450,
        result: 'ok',
        findings: 1,
        alertsOpened: 0,
        alertsResolved: 0,
        message: null,
      },
      live: { open: 1, acknowledged: 0 },
    },
    {
      rule: 'confirmation_latency_p95',
      title: 'Confirmation latency p95',
      description: 'The 95th percentile from initiation to the first confirmation is above a threshold.',
      enabled: true,
      severity: 'warning',
      settings: [
        {
          key: 'thresholdSeconds',
          value: 600,
          default: 600,
          unit: 'seconds',
          env: 'ALERT_CONFIRMATION_LATENCY_P95_THRESHOLD_SECONDS',
          description: 'Trip when the p95 is above this.',
        },
      ],
      lastRun: {
        tickAt: '2025-03-14T08:55:00.000Z',
        startedAt: '2025-03-14T08:55:01.600Z',
        durationMs: 85,
        result: 'error',
        findings: 0,
        alertsOpened: 0,
        alertsResolved: 0,
        message: 'canceling statement due to statement timeout',
      },
      live: { open: 0, acknowledged: 2 },
    },
    {
      rule: 'traffic_silence',
      title: 'Traffic silence',
      description: 'No payments from a shop and payment type whose baseline expects traffic.',
      enabled: false,
      severity: 'warning',
      settings: [],
      lastRun: null,
      live: { open: 0, acknowledged: 0 },
    },
  ],
};

const VIENNA_29 = { localDay: '2025-03-29', timeZone: 'Europe/Vienna', dayStartUtc: '2025-03-28T23:00:00.000Z', dayEndUtc: '2025-03-29T23:00:00.000Z' };
const NEW_YORK_29 = { localDay: '2025-03-29', timeZone: 'America/New_York', dayStartUtc: '2025-03-29T04:00:00.000Z', dayEndUtc: '2025-03-30T04:00:00.000Z' };
// Vienna moves its clocks forward on 30 March 2025: a 23-hour day.
const VIENNA_30 = { localDay: '2025-03-30', timeZone: 'Europe/Vienna', dayStartUtc: '2025-03-29T23:00:00.000Z', dayEndUtc: '2025-03-30T22:00:00.000Z' };

export const dailyTotals: DailyTotalsResponse = {
  from: '2025-03-29',
  to: '2025-03-30',
  rows: [
    { ...VIENNA_29, shopId: 'shop-at', currency: 'EUR', paymentType: 'CCARD', state: 'FAILURE', count: 2, sum: '80.00' },
    { ...VIENNA_29, shopId: 'shop-at', currency: 'EUR', paymentType: 'CCARD', state: 'SUCCESS', count: 12, sum: '1234.50' },
    { ...VIENNA_29, shopId: 'shop-at', currency: 'EUR', paymentType: 'EPS', state: 'SUCCESS', count: 1, sum: '0.20' },
    { ...VIENNA_29, shopId: 'shop-at', currency: 'EUR', paymentType: 'PAYPAL', state: 'SUCCESS', count: 2, sum: '0.10' },
    { ...NEW_YORK_29, shopId: 'shop-ny', currency: 'USD', paymentType: 'CCARD', state: 'SUCCESS', count: 4, sum: '100.10' },
    { ...VIENNA_30, shopId: 'shop-at', currency: 'EUR', paymentType: 'CCARD', state: 'SUCCESS', count: 1, sum: '19.99' },
    { ...VIENNA_30, shopId: 'shop-at', currency: 'JPY', paymentType: 'CCARD', state: 'PENDING', count: 1, sum: '1000' },
  ],
  totals: [
    { currency: 'EUR', state: 'FAILURE', count: 2, sum: '80.00' },
    { currency: 'EUR', state: 'SUCCESS', count: 16, sum: '1254.79' },
    { currency: 'JPY', state: 'PENDING', count: 1, sum: '1000' },
    { currency: 'USD', state: 'SUCCESS', count: 4, sum: '100.10' },
  ],
};
