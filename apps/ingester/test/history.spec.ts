import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunnelResponse, OverviewResponse, PaymentState } from '@seamless-ops/contracts';
import { encodeForm } from '@seamless-ops/qenta';
import { PaymentInitService } from '../src/checkout/payment-init.service';
import { ConfigError } from '../src/config/config';
import { ConfirmationService } from '../src/confirmation/confirmation.service';
import { applyConfirmation, isFinal } from '../src/confirmation/payment-state-machine';
import { HistoryNotEmptyError, HistorySeeder, seedDemoHistory, type HistorySeedResult } from '../src/demo/history-seeder';
import { FUNNEL_COUNTERS, type FunnelCounter } from '../src/events/event-store';
import { ReturnService } from '../src/returns/return.service';
import { startTestApp, testConfig, type TestApp } from './app';
import { loginAs } from './auth-helpers';
import { queryRows, seedPayment, signedConfirmation } from './confirmation-fixtures';
import { createTestDatabase, type TestDatabase } from './database';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface EventRow {
  id: string;
  occurred_at: Date;
  kind: string;
  shop_id: string | null;
  payment_id: string | null;
  storage_id: string | null;
  payment_state: PaymentState | null;
  amount: string | null;
  currency: string | null;
  payment_type: string | null;
  payload: Record<string, unknown>;
}

interface PaymentRow {
  id: string;
  state: PaymentState;
  payment_type: string;
  amount: string;
  currency: string;
  initiated_at: Date;
  created_at: Date;
  first_confirmation_at: Date | null;
  final_at: Date | null;
  returned_at: Date | null;
  return_outcome: string | null;
  confirmation_count: number;
  duplicate_count: number;
  hold_reason: string | null;
}

const STATE_COUNTER: Partial<Record<PaymentState, FunnelCounter>> = { SUCCESS: 'successes', CANCEL: 'cancels', FAILURE: 'failures', PENDING: 'pendings' };

/**
 * Every payment re-derived from its events alone (the pure state machine replayed in event order), and the funnel
 * counters per (hour, payment type) counted from the events — what the projections and the rollup must say.
 */
function deriveFromEvents(events: EventRow[]): { payments: Map<string, Omit<PaymentRow, 'id' | 'created_at'>>; funnel: Map<string, number> } {
  const funnel = new Map<string, number>();
  const bump = (at: Date, type: string | null, counter: FunnelCounter): void => {
    const key = `${new Date(Math.floor(at.getTime() / HOUR) * HOUR).toISOString()}|${type ?? 'UNSPECIFIED'}|${counter}`;
    funnel.set(key, (funnel.get(key) ?? 0) + 1);
  };
  const payments = new Map<string, Omit<PaymentRow, 'id' | 'created_at'> & { held: boolean }>();
  const dataSeen = new Set<string>();
  for (const e of events) {
    switch (e.kind) {
      case 'checkout.started':
        bump(e.occurred_at, e.payment_type, 'checkoutsStarted');
        break;
      case 'storage.initialized':
        bump(e.occurred_at, null, 'storagesInitialized');
        break;
      case 'storage.expired':
        bump(e.occurred_at, e.payment_type, 'storagesExpired');
        break;
      case 'storage.read':
        if (e.payment_type && !dataSeen.has(e.storage_id as string)) {
          dataSeen.add(e.storage_id as string);
          bump(e.occurred_at, e.payment_type, 'paymentDataStored');
        }
        break;
      case 'payment.initiated':
        payments.set(e.payment_id as string, {
          state: 'INITIATED',
          payment_type: e.payment_type as string,
          amount: e.amount as string,
          currency: e.currency as string,
          initiated_at: e.occurred_at,
          first_confirmation_at: null,
          final_at: null,
          returned_at: null,
          return_outcome: null,
          confirmation_count: 0,
          duplicate_count: 0,
          hold_reason: null,
          held: false,
        });
        bump(e.occurred_at, e.payment_type, 'paymentsInitiated');
        break;
      case 'payment.init_failed': {
        const p = payments.get(e.payment_id as string);
        if (p && p.state === 'INITIATED') p.state = 'INIT_FAILED';
        bump(e.occurred_at, e.payment_type, 'initFailures');
        break;
      }
      case 'confirmation.received': {
        const p = e.payment_id ? payments.get(e.payment_id) : undefined;
        if (!p) break;
        const t = applyConfirmation(
          { state: p.state, amount: p.amount, currency: p.currency, returnOutcome: p.return_outcome as never },
          { state: e.payment_state as never, amount: e.amount ?? undefined, currency: e.currency ?? undefined },
        );
        if (!p.first_confirmation_at) bump(e.occurred_at, p.payment_type, 'confirmations');
        p.first_confirmation_at ??= e.occurred_at;
        p.confirmation_count++;
        if (t.changed) {
          bump(e.occurred_at, p.payment_type, STATE_COUNTER[e.payment_state as PaymentState] as FunnelCounter);
          if (isFinal(t.state) && !p.final_at) p.final_at = e.occurred_at;
        }
        p.state = t.state;
        p.held ||= t.holdReason !== null;
        break;
      }
      case 'confirmation.duplicate': {
        const p = e.payment_id ? payments.get(e.payment_id) : undefined;
        if (p) p.duplicate_count++;
        break;
      }
      case 'consumer.returned': {
        const p = e.payment_id ? payments.get(e.payment_id) : undefined;
        if (!p) break;
        if (!p.returned_at) bump(e.occurred_at, p.payment_type, 'returns');
        p.returned_at ??= e.occurred_at;
        p.return_outcome ??= e.payload['outcome'] as string;
        break;
      }
      default:
        break;
    }
  }
  return { payments, funnel };
}

async function rollup(db: TestDatabase): Promise<Map<string, number>> {
  const columns = Object.entries(FUNNEL_COUNTERS);
  const rows = await queryRows<Record<string, string | Date>>(
    db.url,
    `SELECT bucket, payment_type, ${columns.map(([k, c]) => `sum(${c})::int AS "${k}"`).join(', ')} FROM funnel_hourly GROUP BY 1, 2`,
  );
  const out = new Map<string, number>();
  for (const r of rows) {
    for (const [k] of columns) {
      const n = Number(r[k]);
      if (n) out.set(`${(r['bucket'] as Date).toISOString()}|${r['payment_type'] as string}|${k}`, n);
    }
  }
  return out;
}

const events = (db: TestDatabase) =>
  queryRows<EventRow>(
    db.url,
    `SELECT id::text, occurred_at, kind, shop_id, payment_id, storage_id, payment_state, amount::text, currency, payment_type, payload
     FROM checkout_events ORDER BY occurred_at, id`,
  );
const payments = (db: TestDatabase) =>
  queryRows<PaymentRow>(
    db.url,
    `SELECT id, state, payment_type, amount::text, currency, initiated_at, created_at, first_confirmation_at, final_at, returned_at, return_outcome,
            confirmation_count, duplicate_count, hold_reason FROM payments`,
  );

describe('demo history seeding (src/demo)', () => {
  describe('three days into an empty database', () => {
    let db: TestDatabase;
    let ingester: TestApp;
    let result: HistorySeedResult;
    const end = new Date();

    beforeAll(async () => {
      db = await createTestDatabase();
      // The shop has a notification URL: the history must not notify it.
      const config = testConfig({ JOBS: 'off', DEMO_MODE: 'on', DEMO_SHOP_NOTIFICATION_URL: 'http://127.0.0.1:9/notify' });
      ingester = await startTestApp(db.url, config);
      const seeded = await HistorySeeder.fromApp(ingester.app, config).seed({ days: 3, end, seed: 'history-spec', dailyCheckouts: 150 });
      expect(seeded).not.toBeNull();
      result = seeded as HistorySeedResult;
    }, 180_000);
    afterAll(async () => {
      await ingester?.close();
      await db?.drop();
    });

    it('stores every step, with each outcome, mismatch kinds and security events of the live mix', async () => {
      expect(result.failedSteps).toBe(0);
      expect(result.shoppers).toBeGreaterThan(250);
      expect(result.payments).toBeGreaterThan(200);
      for (const state of ['SUCCESS', 'CANCEL', 'FAILURE', 'INITIATED']) expect(result.states[state], state).toBeGreaterThan(0);
      // The planted ones: the confirmation outage's late confirmations, confirmations for payments we never saw,
      // the seeded gateway's two disagreements among the recent approvals.
      for (const kind of ['return_without_confirmation', 'unknown_payment', 'gateway_disagrees']) expect(result.mismatches[kind], kind).toBeGreaterThan(0);
      expect(result.expiredStorages).toBeGreaterThan(0);
      expect(result.reconciled).toBeGreaterThan(0);
      const [rejected] = await queryRows<{ n: number; shops: number }>(db.url, `SELECT count(*)::int AS n FROM checkout_events WHERE kind = 'confirmation.rejected'`);
      expect(rejected.n).toBeGreaterThan(0);
      const summary = await queryRows<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM checkout_events`);
      expect(summary[0].n).toBe(result.events);
      // The anomaly checks ran at times of the history: the forged confirmations and probes opened a critical
      // alert that resolved an hour later.
      expect(result.alertTicks).toBeGreaterThan(24);
      const alerts = await queryRows<{ rule: string; status: string; opened_at: Date; resolved_at: Date | null }>(db.url, `SELECT rule, status, opened_at, resolved_at FROM alerts`);
      const rejections = alerts.filter((a) => a.rule === 'rejected_confirmation');
      expect(rejections.length).toBeGreaterThan(0);
      for (const a of rejections) {
        expect(a.opened_at.getTime()).toBeLessThan(end.getTime());
        expect(a.opened_at.getTime()).toBeGreaterThan(end.getTime() - 3 * DAY);
      }
      expect(rejections.some((a) => a.status === 'resolved' && (a.resolved_at as Date).getTime() - a.opened_at.getTime() <= 3 * HOUR)).toBe(true);
      // No shop notification and no alert notification was queued for made-up history.
      expect(await queryRows(db.url, `SELECT 1 FROM outbox`)).toEqual([]);
    });

    it('every payment re-derived from its events equals its projection', async () => {
      const derived = deriveFromEvents(await events(db));
      const stored = await payments(db);
      expect(stored.length).toBe(derived.payments.size);
      for (const p of stored) {
        const d = derived.payments.get(p.id);
        expect(d, p.id).toBeDefined();
        const { held, ...expected } = d as NonNullable<typeof d> & { held: boolean };
        expect({ ...p, hold_reason: p.hold_reason !== null, amount: Number(p.amount) }, p.id).toEqual({
          ...expected,
          id: p.id,
          created_at: expected.initiated_at,
          hold_reason: held,
          amount: Number(expected.amount),
        });
      }
    });

    it('the funnel rollup per hour and payment type equals the counts taken from the events', async () => {
      const derived = deriveFromEvents(await events(db));
      expect(Object.fromEntries(await rollup(db))).toEqual(Object.fromEntries(derived.funnel));
    });

    it('storages re-derived from their events equal the projection', async () => {
      const rows = await queryRows<{ storage_id: string; status: string; initialized_at: Date; expired_at: Date | null; consumed_at: Date | null; payment_data_stored_at: Date | null }>(
        db.url,
        `SELECT storage_id, status, initialized_at, expired_at, consumed_at, payment_data_stored_at FROM storages`,
      );
      const byStorage = new Map<string, EventRow[]>();
      for (const e of await events(db)) if (e.storage_id) byStorage.set(e.storage_id, [...(byStorage.get(e.storage_id) ?? []), e]);
      expect(rows.length).toBe([...byStorage.values()].filter((es) => es.some((e) => e.kind === 'storage.initialized')).length);
      for (const s of rows) {
        const es = byStorage.get(s.storage_id) ?? [];
        const at = (kind: string) => es.find((e) => e.kind === kind)?.occurred_at ?? null;
        expect(s, s.storage_id).toEqual({
          storage_id: s.storage_id,
          status: at('storage.consumed') ? 'consumed' : at('storage.expired') ? 'expired' : 'active',
          initialized_at: at('storage.initialized'),
          expired_at: at('storage.expired'),
          consumed_at: at('storage.consumed'),
          payment_data_stored_at: es.find((e) => e.kind === 'storage.read' && e.payment_type)?.occurred_at ?? null,
        });
      }
    });

    it('the timestamps spread over the days, with a daily rhythm, and none lies outside the history', async () => {
      const all = await events(db);
      const start = end.getTime() - 3 * DAY;
      const times = all.filter((e) => e.kind !== 'reconciliation.checked').map((e) => e.occurred_at.getTime());
      expect(Math.min(...times)).toBeGreaterThanOrEqual(start);
      // An init's answer may come a moment after the end (it belongs to its init).
      expect(Math.max(...times)).toBeLessThan(end.getTime() + 5_000);
      const days = new Set(times.map((t) => Math.floor((t - start) / DAY)));
      expect([...days].sort()).toEqual([0, 1, 2]);
      // Vienna's evenings (17–21 UTC, 18–22 local in winter) are busier than its nights (01–05 UTC).
      const starts = all.filter((e) => e.kind === 'checkout.started').map((e) => e.occurred_at.getUTCHours());
      const evening = starts.filter((h) => h >= 17 && h < 21).length;
      const night = starts.filter((h) => h >= 1 && h < 5).length;
      expect(evening).toBeGreaterThan(3 * night);
      // Recorded now, occurred then.
      const [lag] = await queryRows<{ old: number }>(db.url, `SELECT count(*) FILTER (WHERE recorded_at - occurred_at > interval '1 day')::int AS old FROM checkout_events`);
      expect(lag.old).toBeGreaterThan(all.length / 3);
    });

    it('the operator API shows the history: overview and funnel equal the events, and every list has rows', async () => {
      const admin = await loginAs(ingester, 'admin');
      const from = new Date(end.getTime() - 3 * DAY).toISOString();
      const to = new Date(end.getTime() + HOUR).toISOString();
      const all = await events(db);
      const derived = deriveFromEvents(all);
      const sum = (counter: FunnelCounter) => [...derived.funnel].filter(([k]) => k.endsWith(`|${counter}`)).reduce((n, [, v]) => n + v, 0);

      const overview = (await (await admin.fetch(`/api/ops/overview?from=${from}&to=${to}`)).json()) as OverviewResponse;
      expect(overview.paymentsInitiated).toBe(sum('paymentsInitiated'));
      expect(overview.successes).toBe(sum('successes'));
      expect(overview.pending).toBe([...derived.payments.values()].filter((p) => ['INITIATED', 'PENDING', 'UNKNOWN'].includes(p.state)).length);
      expect(overview.securityEvents).toBe(all.filter((e) => e.kind === 'confirmation.rejected').length);
      const [open] = await queryRows<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM mismatches WHERE status = 'open'`);
      expect(overview.openMismatches).toBe(open.n);
      expect(overview.successRate).toBeGreaterThan(0.6);
      expect(overview.successRate).toBeLessThan(0.95);

      const funnel = (await (await admin.fetch(`/api/ops/funnel?from=${from}&to=${to}&granularity=day`)).json()) as FunnelResponse;
      for (const counter of Object.keys(FUNNEL_COUNTERS) as FunnelCounter[]) expect(funnel.totals[counter], counter).toBe(sum(counter));
      expect(funnel.buckets.filter((b) => b.checkoutsStarted > 0).length).toBeGreaterThanOrEqual(3);

      for (const list of ['pending', 'mismatches', 'storages/expired', 'security-events', 'payments']) {
        const res = await admin.fetch(`/api/ops/${list}?from=${from}&to=${to}`);
        expect(res.status, list).toBe(200);
        expect(((await res.json()) as { items: unknown[] }).items.length, list).toBeGreaterThan(0);
      }
      const daily = await admin.fetch(`/api/ops/reconciliation/daily?from=${from.slice(0, 10)}&to=${to.slice(0, 10)}`);
      expect(daily.status).toBe(200);
      expect(((await daily.json()) as { rows: unknown[] }).rows.length).toBeGreaterThan(5);
    });

    it('refuses to seed a database that has payments or events', async () => {
      const seeder = HistorySeeder.fromApp(ingester.app, testConfig({ JOBS: 'off', DEMO_MODE: 'on' }));
      expect(await seeder.isEmpty()).toBe(false);
      await expect(seeder.seed({ days: 1, end })).rejects.toThrow(HistoryNotEmptyError);
      const [n] = await queryRows<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM payments`);
      expect(n.n).toBe(result.payments);
    });
  });

  it('is deterministic for a seed: the same seed gives the same history, another seed another', async () => {
    const end = new Date('2026-03-12T15:20:00.000Z');
    const snapshot = async (seed: string) => {
      const db = await createTestDatabase();
      const config = testConfig({ JOBS: 'off' });
      const ingester = await startTestApp(db.url, config);
      try {
        const r = await HistorySeeder.fromApp(ingester.app, config).seed({ days: 1, end, seed, dailyCheckouts: 150 });
        expect(r?.failedSteps).toBe(0);
        return {
          payments: await queryRows(db.url, `SELECT * FROM payments ORDER BY id`).then((rows) => rows.map(({ updated_at: _, ...p }) => p)),
          events: await queryRows(
            db.url,
            `SELECT occurred_at, kind, source, shop_id, payment_id, storage_id, order_ident, order_number, payment_state, amount, currency, payment_type,
                    payload, dedup_key, host(source_address) AS address
             FROM checkout_events ORDER BY occurred_at, kind, payment_id, storage_id, payload::text`,
          ),
          storages: await queryRows(db.url, `SELECT * FROM storages ORDER BY storage_id`),
          mismatches: await queryRows(db.url, `SELECT payment_id, shop_id, kind, reason, detail, status, detected_at, resolved_at FROM mismatches ORDER BY payment_id, kind, reason`),
          funnel: Object.fromEntries(await rollup(db)),
          alerts: await queryRows(db.url, `SELECT rule, scope, status, summary, opened_at, resolved_at FROM alerts ORDER BY rule, scope, opened_at`),
        };
      } finally {
        await ingester.close();
        await db.drop();
      }
    };
    const a = await snapshot('same');
    const b = await snapshot('same');
    expect(a.payments.length).toBeGreaterThan(50);
    expect(b).toEqual(a);
    const c = await snapshot('other');
    expect(c.payments.map((p) => p['id'])).not.toEqual(a.payments.map((p) => p['id']));
  }, 180_000);

  it('npm start (demo mode) seeds an empty database once and prints one line; DEMO_HISTORY_DAYS=0 or no demo mode seeds nothing', async () => {
    const db = await createTestDatabase();
    const lines: string[] = [];
    const out = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const demo = testConfig({ JOBS: 'off', DEMO_MODE: 'on', DEMO_HISTORY_DAYS: '1' });
    const ingester = await startTestApp(db.url, demo);
    try {
      expect(await seedDemoHistory(ingester.app, testConfig({ JOBS: 'off', DEMO_MODE: 'off', DEMO_HISTORY_DAYS: '1' }), out)).toBeNull();
      expect(await seedDemoHistory(ingester.app, testConfig({ JOBS: 'off', DEMO_MODE: 'on', DEMO_HISTORY_DAYS: '0' }), out)).toBeNull();
      expect(await queryRows(db.url, `SELECT 1 FROM checkout_events`)).toEqual([]);

      const r = await seedDemoHistory(ingester.app, demo, out);
      expect(r?.days).toBe(1);
      expect(r?.failedSteps).toBe(0);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^ {2}Demo history: 1 day \(.+\) seeded through the domain code in \d+\.\d s — \d+ shoppers, \d+ payments \(.*SUCCESS.*\), \d+ events, .*\n$/);
      // Not again: the database is no longer empty.
      expect(await seedDemoHistory(ingester.app, demo, out)).toBeNull();
      expect(lines).toHaveLength(1);
    } finally {
      await ingester.close();
      await db.drop();
    }
  }, 120_000);

  it('DEMO_HISTORY_DAYS: 30 by default, 0 switches it off, anything else outside 0–90 is refused', () => {
    expect(testConfig().demoHistoryDays).toBe(30);
    expect(testConfig({ DEMO_HISTORY_DAYS: '0' }).demoHistoryDays).toBe(0);
    expect(testConfig({ DEMO_HISTORY_DAYS: '7' }).demoHistoryDays).toBe(7);
    for (const bad of ['91', '-1', 'a week']) expect(() => testConfig({ DEMO_HISTORY_DAYS: bad }), bad).toThrow(ConfigError);
  });

  describe('an explicit time flows into the projections', () => {
    let db: TestDatabase;
    let ingester: TestApp;

    beforeAll(async () => {
      db = await createTestDatabase();
      ingester = await startTestApp(db.url, testConfig({ JOBS: 'off' }));
    });
    afterAll(async () => {
      await ingester?.close();
      await db?.drop();
    });

    const payment = (id: string) => queryRows<PaymentRow>(db.url, `SELECT * FROM payments WHERE id = $1`, [id]).then((r) => r[0] as PaymentRow);
    const eventsOf = (id: string) => queryRows<{ kind: string; occurred_at: Date }>(db.url, `SELECT kind, occurred_at FROM checkout_events WHERE payment_id = $1 ORDER BY id`, [id]);
    const funnelAt = (at: Date) =>
      queryRows<{ successes: number; confirmations: number; returns: number }>(
        db.url,
        `SELECT sum(successes)::int AS successes, sum(confirmations)::int AS confirmations, sum(returns)::int AS returns FROM funnel_hourly WHERE bucket = date_trunc('hour', $1::timestamptz)`,
        [at],
      ).then((r) => r[0]);

    it('a confirmation received at a given time: event, first confirmation, final state and funnel hour at that time', async () => {
      const p = await seedPayment(db.url);
      const at = new Date('2026-02-03T04:05:06.789Z');
      const outcome = await ingester.app.get(ConfirmationService).handle(encodeForm(signedConfirmation(p.id, 'SUCCESS')), '127.0.0.1', at);
      expect(outcome).toEqual({ result: 'accepted', paymentId: p.id });
      expect(await payment(p.id)).toMatchObject({ state: 'SUCCESS', first_confirmation_at: at, final_at: at });
      expect((await eventsOf(p.id)).find((e) => e.kind === 'confirmation.received')?.occurred_at).toEqual(at);
      expect(await funnelAt(at)).toEqual({ successes: 1, confirmations: 1, returns: 0 });

      // Another confirmation of the same outcome, later: counted, but the first confirmation and the final state stay.
      const later = new Date(at.getTime() + 90_000);
      const again = await ingester.app.get(ConfirmationService).handle(encodeForm(signedConfirmation(p.id, 'SUCCESS', { orderNumber: '55555555' })), '127.0.0.1', later);
      expect(again.result).toBe('accepted');
      expect(await payment(p.id)).toMatchObject({ first_confirmation_at: at, final_at: at, confirmation_count: 2 });
    });

    it('a browser return at a given time: event, returned_at, funnel hour and the contradiction it detects at that time', async () => {
      const p = await seedPayment(db.url);
      const confirmed = new Date('2026-02-03T10:00:00.000Z');
      await ingester.app.get(ConfirmationService).handle(encodeForm(signedConfirmation(p.id, 'FAILURE')), '127.0.0.1', confirmed);
      const at = new Date('2026-02-03T10:00:02.500Z');
      await ingester.app.get(ReturnService).record('success', { paymentId: p.id }, '198.51.100.7', at);
      expect(await payment(p.id)).toMatchObject({ state: 'FAILURE', returned_at: at, return_outcome: 'success', final_at: confirmed });
      expect((await eventsOf(p.id)).find((e) => e.kind === 'consumer.returned')?.occurred_at).toEqual(at);
      expect((await funnelAt(at)).returns).toBe(1);
      const [m] = await queryRows<{ kind: string; detected_at: Date }>(db.url, `SELECT kind, detected_at FROM mismatches WHERE payment_id = $1`, [p.id]);
      expect(m).toEqual({ kind: 'return_contradicts_confirmation', detected_at: at });
    });

    it('a return without confirmation flagged at a given time is detected then; the late confirmation resolves it at its time', async () => {
      const p = await seedPayment(db.url);
      const returned = new Date('2026-02-04T12:00:00.000Z');
      await ingester.app.get(ReturnService).record('success', { paymentId: p.id }, null, returned);
      const flaggedAt = new Date('2026-02-04T12:11:00.000Z');
      expect(await ingester.app.get(ReturnService).flagReturnsWithoutConfirmation(600, flaggedAt)).toBeGreaterThanOrEqual(1);
      const late = new Date('2026-02-04T12:40:00.000Z');
      await ingester.app.get(ConfirmationService).handle(encodeForm(signedConfirmation(p.id, 'SUCCESS')), '127.0.0.1', late);
      const [m] = await queryRows<{ status: string; detected_at: Date; resolved_at: Date; reason: string }>(
        db.url,
        `SELECT status, detected_at, resolved_at, reason FROM mismatches WHERE payment_id = $1 AND kind = 'return_without_confirmation'`,
        [p.id],
      );
      expect(m).toEqual({ status: 'resolved', detected_at: flaggedAt, resolved_at: late, reason: 'returned to success page 11 min ago, no confirmation received' });
    });

    it('without a time, confirmation and return happen now, as before', async () => {
      const p = await seedPayment(db.url);
      const before = Date.now();
      await ingester.app.get(ConfirmationService).handle(encodeForm(signedConfirmation(p.id, 'SUCCESS')), '127.0.0.1');
      await ingester.app.get(ReturnService).record('success', { paymentId: p.id }, null);
      const row = await payment(p.id);
      for (const t of [row.first_confirmation_at, row.final_at, row.returned_at]) {
        expect((t as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect((t as Date).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      }
    });

    it('a payment initiated at a given time: initiated_at, created_at (the lists order by it) and the event', async () => {
      const at = new Date('2026-02-05T08:30:00.000Z');
      const id = '6f0c1e2a-1b7c-4c55-9a53-1d2f3e4a5b6c';
      const request = { amount: '12.50', currency: 'EUR', paymentType: 'PAYPAL', orderDescription: 'test', consumerIpAddress: '198.51.100.1', consumerUserAgent: 'test', orderIdent: 'at-test-1' };
      const shop = testConfig().shops[0];
      await ingester.app.get(PaymentInitService).recordInitiated(shop as NonNullable<typeof shop>, request, id, null, at);
      expect(await payment(id)).toMatchObject({ state: 'INITIATED', initiated_at: at, created_at: at });
      expect(await eventsOf(id)).toEqual([{ kind: 'payment.initiated', occurred_at: at }]);
    });
  });
});
