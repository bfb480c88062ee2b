import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apportion, type Mix, type ScenarioName } from '../src/traffic/scenarios';
import { formatReport, runTraffic, type TrafficReport } from '../src/traffic/traffic';
import { startShopHarness, type ShopHarness } from './harness';

/** 30 shoppers, every scenario at least twice. */
const MIX: Mix = {
  'abandon-before-storage': 2,
  'abandon-after-storage': 2,
  'storage-expiry': 2,
  success: 6,
  cancel: 2,
  failure: 2,
  'pending-success': 2,
  'pending-failure': 2,
  'missing-confirmation': 2,
  'return-contradiction': 2,
  'altered-amount': 2,
  'duplicate-confirmation': 4,
};

describe('traffic: seeded shoppers through shop → ingester → simulator', () => {
  let h: ShopHarness;
  let report: TrafficReport;
  const n = (s: ScenarioName) => MIX[s] as number;

  beforeAll(async () => {
    h = await startShopHarness();
    report = await runTraffic({
      shopUrl: h.shop.url,
      simulatorUrl: h.sim.url,
      ingesterUrl: h.ingesterUrl,
      shoppers: 30,
      ratePerSecond: 0,
      concurrency: 10,
      seed: 'demo-shop-test',
      mix: MIX,
      thinkTimeMs: 0,
      resultWaitMs: 3000,
    });
    await h.sim.idle();
  }, 120_000);
  afterAll(() => h?.close());

  it('plays exactly the mix, without HTTP errors, each shopper ending as its scenario says', () => {
    expect(report.httpErrors, formatReport(report)).toBe(0);
    expect(apportion(30, MIX)).toEqual(MIX);
    for (const s of report.scenarios) expect(s.shoppers).toBe(n(s.scenario));
    expect(report.shoppers.filter((r) => !r.asExpected).map((r) => `${r.index} ${r.scenario}: ${r.resultState}`)).toEqual([]);
    const table = formatReport(report);
    expect(table).toMatch(/^scenario\s+shoppers/);
    expect(table).toContain('seed demo-shop-test');
  });

  it('leaves the expected payments in the ingester: states, holds, returns and duplicates', async () => {
    const rows = await h.sql<{ state: string; held: boolean; n: string }>(
      `SELECT state, hold_reason IS NOT NULL AS held, count(*)::text AS n FROM payments GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    const count = (state: string, held = false) => Number(rows.find((r) => r.state === state && r.held === held)?.n ?? 0);
    expect(count('SUCCESS')).toBe(n('success') + n('pending-success') + n('duplicate-confirmation'));
    expect(count('FAILURE')).toBe(n('failure') + n('pending-failure') + n('return-contradiction'));
    expect(count('CANCEL')).toBe(n('cancel'));
    expect(count('INITIATED')).toBe(n('missing-confirmation'));
    expect(count('INITIATED', true)).toBe(n('altered-amount'));
    expect(rows.reduce((s, r) => s + Number(r.n), 0)).toBe(30 - n('abandon-before-storage') - n('abandon-after-storage') - n('storage-expiry'));

    const [returns] = await h.sql<{ pending: string; returned: string }>(
      `SELECT count(*) FILTER (WHERE return_outcome = 'pending')::text AS pending, count(*) FILTER (WHERE returned_at IS NOT NULL)::text AS returned FROM payments`,
    );
    expect(Number(returns?.pending)).toBe(n('pending-success') + n('pending-failure'));
    expect(Number(returns?.returned)).toBe(30 - n('abandon-before-storage') - n('abandon-after-storage') - n('storage-expiry'));
    const [dup] = await h.sql<{ n: string }>(`SELECT count(*)::text AS n FROM payments WHERE duplicate_count > 0`);
    expect(Number(dup?.n)).toBe(n('duplicate-confirmation'));

    // Each shopper's payment is the one the shop showed.
    for (const r of report.shoppers.filter((s) => s.paymentId)) {
      const [p] = await h.sql<{ order_ident: string }>('SELECT order_ident FROM payments WHERE id = $1', [r.paymentId]);
      expect(p?.order_ident).toBe(r.orderIdent);
    }
  });

  it('raises the mismatches the faults stand for', async () => {
    const flagged = await h.returns.flagReturnsWithoutConfirmation(600, new Date(Date.now() + 15 * 60_000));
    expect(flagged).toBe(n('missing-confirmation'));
    const kinds = await h.sql<{ kind: string; n: string }>(`SELECT kind, count(*)::text AS n FROM mismatches GROUP BY 1 ORDER BY 1`);
    expect(Object.fromEntries(kinds.map((k) => [k.kind, Number(k.n)]))).toEqual({
      amount_mismatch: n('altered-amount'),
      return_contradicts_confirmation: n('return-contradiction'),
      return_without_confirmation: n('missing-confirmation'),
    });
  });

  it('shows the funnel drop-offs: started, storages, payment data, review steps, and the storages left to expire', async () => {
    const events = await h.sql<{ kind: string; n: string }>(
      `SELECT kind || coalesce(' ' || (payload->>'name'), '') AS kind, count(*)::text AS n FROM checkout_events WHERE kind IN ('checkout.started', 'checkout.step', 'storage.initialized') GROUP BY 1`,
    );
    const paying = 30 - n('abandon-before-storage') - n('abandon-after-storage') - n('storage-expiry');
    expect(Object.fromEntries(events.map((e) => [e.kind, Number(e.n)]))).toEqual({
      'checkout.started': 30,
      'storage.initialized': 30 - n('abandon-before-storage'),
      'checkout.step order-review': paying + n('storage-expiry'),
    });
    const storages = await h.sql<{ status: string; stored: boolean; n: string }>(
      `SELECT status, payment_data_stored_at IS NOT NULL AS stored, count(*)::text AS n FROM storages GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(storages.map((s) => `${s.status}${s.stored ? ' with payment data' : ''}: ${s.n}`)).toEqual([
      `active: ${n('abandon-after-storage')}`,
      `active with payment data: ${n('storage-expiry')}`,
      `consumed with payment data: ${paying}`,
    ]);
    // Half an hour later the sweeper expires every abandoned storage.
    const swept = await h.sweeper.sweep(new Date(Date.now() + 31 * 60_000));
    expect(swept.expired).toBe(n('abandon-after-storage') + n('storage-expiry'));
  });

  it('is reproducible: the same seed plays the same scenarios in the same order', async () => {
    const play = () =>
      runTraffic({
        shopUrl: h.shop.url,
        simulatorUrl: h.sim.url,
        shoppers: 8,
        ratePerSecond: 0,
        seed: 'demo-shop-test',
        mix: { 'abandon-before-storage': 1, 'abandon-after-storage': 1, success: 2 },
        thinkTimeMs: 0,
      });
    const [a, b] = [await play(), await play()];
    expect(a.shoppers.map((r) => r.scenario)).toEqual(b.shoppers.map((r) => r.scenario));
    expect(a.shoppers.map((r) => r.scenario).filter((s) => s === 'success')).toHaveLength(4);
    expect(a.httpErrors + b.httpErrors).toBe(0);
  });
});
