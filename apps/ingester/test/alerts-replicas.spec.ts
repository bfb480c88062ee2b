import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRunner, type TickResult } from '../src/alerts/alert-runner';
import { ALERT_RULES } from '../src/alerts/alert-rules';
import { startTestApp, testConfig, type TestApp } from './app';
import { minutesAfter } from './alerts-harness';
import { queryRows, seedPayment } from './confirmation-fixtures';
import { createTestDatabase, type TestDatabase } from './database';

// Two ingester instances (each its own Nest app and connection pool, as two processes have) on one database:
// however their ticks interleave, each tick evaluates each rule once and no alert is opened twice.

describe('alert runner across replicas', () => {
  let db: TestDatabase;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await db?.drop();
  });

  async function replica(env: Record<string, string> = {}): Promise<TestApp> {
    const app = await startTestApp(db.url, testConfig({ JOBS: 'off', LOG_LEVEL: 'fatal', ...env }));
    apps.push(app);
    return app;
  }

  it('runOnce at the same time on two instances (twice each): one run set per tick, one alert', async () => {
    const [a, b] = [await replica(), await replica()];
    await seedPayment(db.url); // shop demo, INITIATED now: stale from 45 min on
    const runners = [a.app.get(AlertRunner), b.app.get(AlertRunner), a.app.get(AlertRunner), b.app.get(AlertRunner)];
    const base = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const ticks: TickResult[][] = [];
    for (let k = 0; k < 5; k++) {
      const now = minutesAfter(base, 50 + k);
      ticks.push(await Promise.all(runners.map((r) => r.runOnce(now))));
    }
    for (const results of ticks) {
      expect(results.filter((r) => r.ran)).toHaveLength(1);
      expect(results.filter((r) => !r.ran).map((r) => r.skipped)).toEqual([expect.stringMatching(/^(locked|already-ran)$/), expect.anything(), expect.anything()]);
      expect(results.find((r) => r.ran)!.rules.map((r) => `${r.rule} ${r.result}`)).toEqual(ALERT_RULES.map((r) => `${r.id} ok`));
    }
    const perTick = await queryRows<{ tick_at: Date; runs: number; rules: number }>(
      db.url,
      `SELECT tick_at, count(*)::int AS runs, count(DISTINCT rule)::int AS rules FROM alert_rule_runs GROUP BY tick_at ORDER BY tick_at`,
    );
    expect(perTick.map((t) => [t.tick_at.getTime() - base.getTime(), t.runs, t.rules])).toEqual(
      [50, 51, 52, 53, 54].map((m) => [m * 60_000, ALERT_RULES.length, ALERT_RULES.length]),
    );
    const alerts = await queryRows<{ rule: string; scope: string; status: string }>(db.url, `SELECT rule, scope, status FROM alerts`);
    expect(alerts).toEqual([{ rule: 'stale_pending', scope: 'shop=demo', status: 'open' }]);
    expect(await queryRows(db.url, `SELECT kind FROM alert_events`)).toEqual([{ kind: 'opened' }]);
  });

  it('scheduled (JOBS=on, every 5 s) on two instances: each tick runs each rule once', async () => {
    const env = { JOBS: 'on', ALERTS_INTERVAL_SECONDS: '5', QENTA_BASE_URL: 'http://127.0.0.1:9/seamless', QENTA_TIMEOUT_MS: '500' };
    const started = new Date();
    await Promise.all([replica(env), replica(env)]);
    // The scheduled ticks (the first test's are 50 minutes ahead).
    const scheduledTicks = (): Promise<{ tick_at: Date; runs: number }[]> =>
      queryRows(db.url, `SELECT tick_at, count(*)::int AS runs FROM alert_rule_runs WHERE tick_at >= $1 AND tick_at < $2 GROUP BY tick_at ORDER BY tick_at`, [
        new Date(Math.floor(started.getTime() / 5000) * 5000),
        minutesAfter(started, 10),
      ]);
    let ticks = await scheduledTicks();
    for (let i = 0; i < 120 && ticks.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 250));
      ticks = await scheduledTicks();
    }
    await Promise.all(apps.splice(0).map((a) => a.close())); // stop the schedules before counting for good
    ticks = await scheduledTicks();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    for (const t of ticks) expect(t.runs, `tick ${t.tick_at.toISOString()}`).toBe(ALERT_RULES.length);
    // Ticks are 5 s slots: consecutive ones are whole multiples of 5 s apart.
    for (const t of ticks) expect(t.tick_at.getTime() % 5000).toBe(0);
  }, 60_000);
});
