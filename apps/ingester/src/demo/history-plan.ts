import type { ConfirmedState, ReturnOutcome } from '@seamless-ops/contracts';
import { isStorageBacked } from '../checkout/payment-request';
import { seededRandom, type Random } from './seeded-random';

/**
 * The demo history as a plan (pure, deterministic for a seed): who shopped when, with what, and every step the
 * shop, the gateway and the browser took, each at its own time. The HistorySeeder plays the plan through the
 * domain code. The scenarios are the demo shop's shopper traffic (apps/demo-shop/src/traffic/scenarios.ts), so
 * history and live traffic look alike, plus a few things the simulator's knobs cannot make (a declined init, a
 * second different final state, a forged confirmation, a confirmation for a payment we never saw).
 */

export const HISTORY_SCENARIOS = [
  // The demo shop's scenarios (same names).
  'abandon-before-storage',
  'abandon-after-storage',
  'storage-expiry',
  'success',
  'cancel',
  'failure',
  'pending-success',
  'pending-failure',
  'missing-confirmation',
  'return-contradiction',
  'altered-amount',
  'duplicate-confirmation',
  // History only.
  'abandon-at-gateway',
  'pending-stuck',
  'init-failed',
  'conflicting-final',
  'forged-confirmation',
  'unknown-payment',
  'probe',
] as const;
export type HistoryScenario = (typeof HISTORY_SCENARIOS)[number];

/**
 * Weights per shopper. The outcomes (abandonments, success, cancel, failure, pending) carry the demo shop's
 * DEFAULT_MIX weights; the gateway faults that mix plays often (to exercise every path) are scaled down to a few
 * a week, as a merchant would see them. Incidents (forged confirmations, unknown payments, probes) are placed
 * by {@link planHistory}, not drawn.
 */
export const HISTORY_MIX: Readonly<Partial<Record<HistoryScenario, number>>> = {
  'abandon-before-storage': 8,
  'abandon-after-storage': 7,
  'storage-expiry': 4,
  success: 50,
  cancel: 6,
  failure: 6,
  'pending-success': 5,
  'pending-failure': 2,
  'missing-confirmation': 0.3,
  'return-contradiction': 0.25,
  'altered-amount': 0.1,
  'duplicate-confirmation': 2,
  'pending-stuck': 0.3,
  'init-failed': 0.4,
  'conflicting-final': 0.08,
};

/**
 * Checkouts on an ordinary day (over all shops), before the weekly rhythm (weekends ×1.3), a slow growth (±8 %)
 * and day-to-day noise (±15 %): about 80–160 a day. Chosen so that 30 days (≈ 3 000 shoppers, 20 000 events) seed
 * well within the start-up budget of `npm start` on a small, busy machine: every step is a real write through the
 * domain code, about 8 ms a shopper there.
 */
export const DEFAULT_DAILY_CHECKOUTS = 100;

/** Payment types the shoppers choose (weights). CCARD and SEPA-DD go through a data storage. */
export const HISTORY_PAYMENT_TYPES: Readonly<Record<string, number>> = {
  CCARD: 62,
  PAYPAL: 15,
  SOFORTUEBERWEISUNG: 9,
  'SEPA-DD': 7,
  EPS: 7,
};

/** The demo shop's catalogue (apps/demo-shop/src/catalog/products.ts): id, name, gross price in cents, VAT %. */
export const HISTORY_PRODUCTS: readonly { id: string; name: string; cents: number; taxRate: number }[] = [
  { id: 'beans-ethiopia', name: 'Yirgacheffe beans, 250 g', cents: 1250, taxRate: 10 },
  { id: 'beans-house', name: 'House espresso blend, 1 kg', cents: 3490, taxRate: 10 },
  { id: 'dripper', name: 'Porcelain pour-over dripper', cents: 2900, taxRate: 20 },
  { id: 'kettle', name: 'Gooseneck kettle', cents: 6490, taxRate: 20 },
  { id: 'grinder', name: 'Hand grinder', cents: 8900, taxRate: 20 },
  { id: 'cups', name: 'Espresso cups, set of 2', cents: 2490, taxRate: 20 },
  { id: 'tote', name: 'Canvas tote', cents: 999, taxRate: 20 },
];

/** Shoppers per local hour of the day (relative): quiet nights, a lunch bump, busy evenings. */
const HOUR_WEIGHTS = [0.18, 0.1, 0.06, 0.05, 0.05, 0.08, 0.2, 0.42, 0.68, 0.85, 0.95, 1.0, 1.15, 1.08, 0.95, 0.9, 0.95, 1.1, 1.35, 1.6, 1.78, 1.62, 1.12, 0.52];
const HOUR_WEIGHT_SUM = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
/** Per local weekday, Sunday first: weekends are busier. */
const WEEKDAY_FACTORS = [1.35, 0.9, 0.85, 0.9, 0.95, 1.05, 1.3];

export type HistoryStep =
  | { kind: 'checkout.started' }
  | { kind: 'storage.initialized' }
  | { kind: 'storage.read' }
  | { kind: 'checkout.step' }
  | { kind: 'payment.initiated' }
  | { kind: 'storage.consumed' }
  | { kind: 'payment.init_failed' }
  /** A confirmation as the gateway posts it; `amount` overrides the amount (altered), `forged` signs with a wrong secret. */
  | { kind: 'confirmation'; state: ConfirmedState; amount?: string; forged?: boolean }
  | { kind: 'consumer.returned'; outcome: ReturnOutcome };

export interface TimedStep {
  /** Epoch milliseconds. */
  at: number;
  step: HistoryStep;
}

export interface HistoryShopper {
  /** Position in the plan (start order). */
  index: number;
  shopId: string;
  scenario: HistoryScenario;
  paymentType: string;
  orderIdent: string;
  /** A 32-hex data storage id for the storage-backed payment types. */
  storageId: string | null;
  paymentId: string;
  /** The gateway's order number (assigned at frontend init). */
  orderNumber: string;
  /** Gross total, e.g. `37.40` (EUR). */
  amount: string;
  basket: { productId: string; quantity: number }[];
  consumer: { firstname: string; lastname: string; email: string; zipCode: string; city: string; country: string; address1: string };
  userAgent: string;
  ipAddress: string;
  /** Demo card number (CCARD) or IBAN (SEPA-DD) the consumer stored at the gateway. */
  paymentData: { pan?: string; expiry?: string; iban?: string; bic?: string };
  /** EPS / SOFORT bank the consumer picked. */
  financialInstitution?: string;
  /** Where a forged or probing request came from (TEST-NET-3). */
  attackerAddress?: string;
  steps: TimedStep[];
}

export interface HistoryPlanOptions {
  shopIds: readonly string[];
  /** IANA zone of each shop (for the daily rhythm). */
  timeZones: Readonly<Record<string, string>>;
  /** History covers [end − days, end). */
  end: Date;
  days: number;
  seed: string;
  /** Checkouts per ordinary day over all shops (before the weekly rhythm and noise); default {@link DEFAULT_DAILY_CHECKOUTS}. */
  dailyCheckouts?: number;
}

export interface HistoryPlan {
  start: Date;
  end: Date;
  shoppers: HistoryShopper[];
  /** The anomalies placed in this history, for the log line and tests; `incidents`: forged confirmations and probes. */
  anomalies: { badHour: Date; confirmationOutage: { from: Date; to: Date }; incidents: Date[] };
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SECOND = 1000;

const FIRST_NAMES = ['Anna', 'Lukas', 'Sophie', 'Maximilian', 'Lena', 'Felix', 'Marie', 'Jonas', 'Laura', 'David', 'Sarah', 'Tobias', 'Julia', 'Florian', 'Hannah', 'Elias'];
const LAST_NAMES = ['Gruber', 'Huber', 'Wagner', 'Müller', 'Pichler', 'Steiner', 'Moser', 'Mayer', 'Hofer', 'Leitner', 'Berger', 'Fuchs', 'Bauer', 'Winkler'];
const PLACES: Array<[string, string, string]> = [
  ['1010', 'Wien', 'AT'],
  ['1070', 'Wien', 'AT'],
  ['8010', 'Graz', 'AT'],
  ['5020', 'Salzburg', 'AT'],
  ['6020', 'Innsbruck', 'AT'],
  ['4020', 'Linz', 'AT'],
  ['80331', 'München', 'DE'],
  ['10115', 'Berlin', 'DE'],
  ['8001', 'Zürich', 'CH'],
];
const STREETS = ['Hauptstraße', 'Bahnhofstraße', 'Schulgasse', 'Lindenweg', 'Kirchplatz', 'Gartengasse'];
const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
];
/** Demo cards (PROTOCOL.md §10), the first one most often, as in the shopper traffic. */
const DEMO_PANS = ['9500000000000001', '9500000000000001', '9500000000000001', '9500000000000002', '9400000000000004', '9600000000000005'];
const EPS_BANKS = ['BA-CA', 'ERSTE', 'RZB', 'HYPOTIROL', 'BAWAG'];

/** Offset of `timeZone` from UTC at `at`, in ms. */
function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(at / 1000) * 1000;
}

function formatCents(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** 10–500 cents less than the real amount (at least 0.01), as the demo shop's altered-amount scenario. */
function alteredAmount(cents: number, r: Random): string {
  return formatCents(Math.max(1, cents - r.int(10, 500)));
}

/**
 * Draws the whole history: per UTC hour and shop a Poisson number of shoppers around the local rhythm (hour of
 * day, weekday, a slow growth, day-to-day noise), each with a scenario, payment type, basket and timed steps;
 * plus one bad evening hour (many declines and some refused inits), a two-hour confirmation outage (confirmations
 * 20–70 minutes late), two forged-confirmation incidents, three confirmations for unknown payments and a few
 * probes. Steps at or after `end` are left out (a PENDING then stays open).
 */
export function planHistory(options: HistoryPlanOptions): HistoryPlan {
  const r = seededRandom(`history:${options.seed}`);
  const end = options.end.getTime();
  const start = end - options.days * 24 * HOUR;
  const perShop = (options.dailyCheckouts ?? DEFAULT_DAILY_CHECKOUTS) / Math.max(1, options.shopIds.length);
  const days = options.days;

  // Anomalies, placed relative to the range so that a short history has them too.
  const primaryZone = options.timeZones[options.shopIds[0] ?? ''] ?? 'UTC';
  const localHourStart = (daysBack: number, localHour: number): number => {
    const dayAt = end - daysBack * 24 * HOUR;
    const offset = zoneOffsetMs(dayAt, primaryZone);
    const localMidnight = Math.floor((dayAt + offset) / (24 * HOUR)) * 24 * HOUR;
    return localMidnight + localHour * HOUR - offset;
  };
  const badHour = localHourStart(Math.max(1, Math.round(days * 0.22)), 20);
  const outageFrom = localHourStart(Math.max(1, Math.round(days * 0.1)), 14);
  const outageTo = outageFrom + 2 * HOUR;

  const shoppers: HistoryShopper[] = [];
  let orderNumber = 10_000_000 + r.int(0, 50_000_000);
  const dayNoise = new Map<number, number>();
  const noiseOf = (day: number): number => {
    let n = dayNoise.get(day);
    if (n === undefined) {
      n = 0.85 + r.next() * 0.3;
      dayNoise.set(day, n);
    }
    return n;
  };

  const add = (shopId: string, t0: number, scenario: HistoryScenario, overrides: Partial<HistoryShopper> = {}): HistoryShopper => {
    const paymentType = overrides.paymentType ?? r.weighted(HISTORY_PAYMENT_TYPES);
    const storageBacked = isStorageBacked(paymentType);
    const lines = r.int(1, 3);
    const basket: { productId: string; quantity: number }[] = [];
    let cents = 0;
    for (let i = 0; i < lines; i++) {
      const product = r.pick(HISTORY_PRODUCTS);
      if (basket.some((b) => b.productId === product.id)) continue;
      const quantity = r.pick([1, 1, 1, 2, 3]);
      basket.push({ productId: product.id, quantity });
      cents += product.cents * quantity;
    }
    const firstname = r.pick(FIRST_NAMES);
    const lastname = r.pick(LAST_NAMES);
    const [zipCode, city, country] = r.pick(PLACES);
    const shopper: HistoryShopper = {
      index: 0,
      shopId,
      scenario,
      paymentType,
      orderIdent: `shop-${r.hex(8)}`,
      storageId: storageBacked ? r.hex(16) : null,
      paymentId: r.uuid(),
      orderNumber: String(orderNumber++),
      amount: formatCents(cents),
      basket,
      consumer: {
        firstname,
        lastname,
        email: `${firstname}.${lastname}${r.int(1, 99)}@example.com`.toLowerCase().replace('ü', 'ue'),
        zipCode,
        city,
        country,
        address1: `${r.pick(STREETS)} ${r.int(1, 120)}`,
      },
      userAgent: r.pick(USER_AGENTS),
      ipAddress: `198.51.100.${r.int(1, 254)}`,
      paymentData:
        paymentType === 'CCARD'
          ? { pan: r.pick(DEMO_PANS), expiry: `${String(r.int(1, 12)).padStart(2, '0')}/${new Date(t0).getUTCFullYear() + r.int(1, 5)}` }
          : paymentType === 'SEPA-DD'
            ? { iban: `AT${r.int(10, 99)}${String(r.int(10000, 99999))}${String(r.int(0, 99999999999)).padStart(11, '0')}`, bic: r.pick(['BKAUATWW', 'GIBAATWW', 'RZBAATWW']) }
            : {},
      ...(paymentType === 'EPS' ? { financialInstitution: r.pick(EPS_BANKS) } : {}),
      steps: [],
      ...overrides,
    };
    shopper.steps = scriptOf(shopper, t0, cents, r, { outage: t0 >= outageFrom && t0 < outageTo });
    shoppers.push(shopper);
    return shopper;
  };

  for (const shopId of options.shopIds) {
    const zone = options.timeZones[shopId] ?? 'UTC';
    for (let hour = Math.floor(start / HOUR) * HOUR; hour < end; hour += HOUR) {
      const local = new Date(hour + zoneOffsetMs(hour, zone));
      const dayIndex = Math.floor((hour - start) / (24 * HOUR));
      const growth = 0.92 + 0.16 * ((hour - start) / (end - start));
      const expected = (perShop * WEEKDAY_FACTORS[local.getUTCDay()]! * growth * noiseOf(dayIndex) * HOUR_WEIGHTS[local.getUTCHours()]!) / HOUR_WEIGHT_SUM;
      const bad = hour === badHour && shopId === options.shopIds[0];
      const arrivals = r.poisson(expected);
      for (let i = 0; i < arrivals; i++) {
        const t0 = hour + Math.floor(r.next() * HOUR);
        if (t0 < start || t0 >= end) continue;
        const mix: Partial<Record<HistoryScenario, number>> = bad ? { ...HISTORY_MIX, failure: 45, 'init-failed': 12, success: 30 } : HISTORY_MIX;
        let scenario = r.weighted(mix);
        const paymentType = r.weighted(HISTORY_PAYMENT_TYPES);
        if (!isStorageBacked(paymentType) && (scenario === 'abandon-after-storage' || scenario === 'storage-expiry')) {
          // No data storage for these types: such a shopper leaves on the gateway's page (or cancels there).
          scenario = r.chance(0.4) ? 'abandon-at-gateway' : 'cancel';
        }
        add(shopId, t0, scenario, { paymentType });
      }
    }
  }

  // Incidents on the first shop.
  const first = options.shopIds[0];
  const incidents: number[] = [];
  if (first !== undefined) {
    const at = (fraction: number): number => start + Math.floor((end - start) * fraction) + r.int(0, HOUR);
    for (const fraction of [0.35, 0.9]) {
      const t0 = at(fraction);
      incidents.push(t0);
      add(first, t0, 'forged-confirmation', { paymentType: 'SOFORTUEBERWEISUNG', attackerAddress: `203.0.113.${r.int(1, 254)}` });
    }
    for (const fraction of [0.2, 0.55, 0.8]) add(first, at(fraction), 'unknown-payment', { paymentType: 'CCARD', storageId: null });
    for (const fraction of [0.15, 0.5, 0.7]) {
      const t0 = at(fraction);
      incidents.push(t0);
      add(first, t0, 'probe', { attackerAddress: `203.0.113.${r.int(1, 254)}` });
    }
  }

  shoppers.sort((a, b) => (a.steps[0]?.at ?? 0) - (b.steps[0]?.at ?? 0) || a.paymentId.localeCompare(b.paymentId));
  shoppers.forEach((s, i) => {
    s.index = i;
    s.steps = s.steps.filter((x) => x.at < end || x.step.kind === 'storage.consumed' || x.step.kind === 'payment.init_failed');
    // The outcome of an init belongs to it (the same gateway call): keep it only with its init.
    if (!s.steps.some((x) => x.step.kind === 'payment.initiated')) s.steps = s.steps.filter((x) => x.step.kind !== 'storage.consumed' && x.step.kind !== 'payment.init_failed');
  });
  return {
    start: new Date(start),
    end: new Date(end),
    shoppers: shoppers.filter((s) => s.steps.length > 0),
    anomalies: {
      badHour: new Date(badHour),
      confirmationOutage: { from: new Date(outageFrom), to: new Date(outageTo) },
      incidents: incidents.filter((t) => t < end).sort((a, b) => a - b).map((t) => new Date(t)),
    },
  };
}

/** The shopper's steps from `t0` (checkout started) on, as a person, the shop, the gateway and a browser take them. */
function scriptOf(s: HistoryShopper, t0: number, cents: number, r: Random, context: { outage: boolean }): TimedStep[] {
  const steps: TimedStep[] = [];
  let t = t0;
  const at = (step: HistoryStep, time = t): void => {
    steps.push({ at: Math.round(time), step });
  };
  const think = (mean: number, min = 3 * SECOND): number => (t += min + r.exponential(mean));
  const storageBacked = s.storageId !== null;

  switch (s.scenario) {
    case 'unknown-payment':
      // A confirmation, authentic, for a payment we never initiated (e.g. the shop's old integration on the same account).
      at({ kind: 'confirmation', state: 'SUCCESS' });
      return steps;
    case 'probe':
      at({ kind: 'confirmation', state: 'SUCCESS', forged: true });
      think(20 * SECOND, 1 * SECOND);
      at({ kind: 'confirmation', state: 'SUCCESS', forged: true });
      return steps;
    default:
      break;
  }

  at({ kind: 'checkout.started' });
  if (s.scenario === 'abandon-before-storage') return steps;

  if (storageBacked) {
    think(40 * SECOND, 10 * SECOND); // details typed
    at({ kind: 'storage.initialized' });
    if (s.scenario === 'abandon-after-storage') return steps; // the storage expires 30 minutes later
    think(45 * SECOND, 15 * SECOND); // card entered at the gateway
    at({ kind: 'storage.read' });
    if (r.chance(0.15)) {
      think(30 * SECOND); // back and forth on the review page: one more read
      at({ kind: 'storage.read' });
    }
  } else {
    think(50 * SECOND, 15 * SECOND);
  }
  at({ kind: 'checkout.step' }, t + 300);
  if (s.scenario === 'storage-expiry') return steps;

  think(25 * SECOND, 5 * SECOND); // pay
  at({ kind: 'payment.initiated' });
  const initDone = t + r.int(150, 900);
  if (s.scenario === 'init-failed') {
    at({ kind: 'payment.init_failed' }, initDone);
    return steps;
  }
  if (storageBacked) at({ kind: 'storage.consumed' }, initDone);
  t = initDone;
  if (s.scenario === 'abandon-at-gateway') return steps;
  if (s.scenario === 'forged-confirmation') {
    // The consumer leaves the payment page and posts a confirmation of their own, signed with a guessed secret.
    for (let i = 0, n = r.int(2, 4); i < n; i++) {
      think(90 * SECOND, 20 * SECOND);
      at({ kind: 'confirmation', state: 'SUCCESS', forged: true });
    }
    return steps;
  }

  think(40 * SECOND, 8 * SECOND); // on the gateway's page
  const delivery = (): number => (context.outage ? t + r.int(20, 70) * MINUTE : t + r.int(150, 1500));
  const back = (outcome: ReturnOutcome, after: number): void => {
    // Some consumers close the browser instead of coming back.
    if (r.chance(0.04)) return;
    at({ kind: 'consumer.returned', outcome }, after + r.int(400, 3000));
  };
  const payBy = t;

  switch (s.scenario) {
    case 'success':
    case 'duplicate-confirmation': {
      const c = delivery();
      at({ kind: 'confirmation', state: 'SUCCESS' }, c);
      if (s.scenario === 'duplicate-confirmation') at({ kind: 'confirmation', state: 'SUCCESS' }, c + r.int(2, 600) * SECOND);
      back('success', Math.min(c, payBy + 2500));
      break;
    }
    case 'cancel': {
      const c = delivery();
      at({ kind: 'confirmation', state: 'CANCEL' }, c);
      back('cancel', Math.min(c, payBy + 2500));
      break;
    }
    case 'failure':
    case 'return-contradiction': {
      const c = delivery();
      at({ kind: 'confirmation', state: 'FAILURE' }, c);
      back(s.scenario === 'failure' ? 'failure' : 'success', Math.min(c, payBy + 2500));
      break;
    }
    case 'pending-success':
    case 'pending-failure':
    case 'pending-stuck': {
      const c = delivery();
      at({ kind: 'confirmation', state: 'PENDING' }, c);
      back('pending', Math.min(c, payBy + 2500));
      if (s.scenario !== 'pending-stuck') {
        // Cards and PayPal decide in minutes; bank transfers and direct debits may take hours.
        const slow = s.paymentType === 'SOFORTUEBERWEISUNG' || s.paymentType === 'EPS' || s.paymentType === 'SEPA-DD';
        const decided = c + Math.min(20 * HOUR, Math.max(20 * SECOND, slow ? r.logNormal(40 * MINUTE, 1.4) : r.logNormal(3 * MINUTE, 1.2)));
        at({ kind: 'confirmation', state: s.scenario === 'pending-success' ? 'SUCCESS' : 'FAILURE' }, decided);
      }
      break;
    }
    case 'missing-confirmation':
      back('success', payBy + 2500);
      break;
    case 'altered-amount': {
      const c = delivery();
      at({ kind: 'confirmation', state: 'SUCCESS', amount: alteredAmount(cents, r) }, c);
      back('success', Math.min(c, payBy + 2500));
      break;
    }
    case 'conflicting-final': {
      const c = delivery();
      at({ kind: 'confirmation', state: 'SUCCESS' }, c);
      back('success', Math.min(c, payBy + 2500));
      at({ kind: 'confirmation', state: 'FAILURE' }, c + r.int(5, 90) * MINUTE);
      break;
    }
    default:
      break;
  }
  return steps.sort((a, b) => a.at - b.at);
}
