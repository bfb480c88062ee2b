import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationBody, get, receivedCounts, seedPayments, sleep, startIngester, startLoad, startOwnPostgres, type IngesterProcess, type OwnPostgres } from './harness';

// PostgreSQL stopped (fast shutdown) under load, then started again: while it is down every confirmation gets a
// 503 within 5 s (never an OK for something not stored, never a hang), readiness says unavailable while liveness
// stays up, and once the database is back the same ingester process stores confirmations again.

describe('PostgreSQL stopped under load', () => {
  let pg: OwnPostgres;
  let ingester: IngesterProcess | undefined;

  beforeAll(async () => {
    pg = await startOwnPostgres({ durable: true });
  });
  afterAll(async () => {
    await ingester?.kill('SIGKILL');
    await pg?.destroy();
  });

  it('answers 503 within 5 s while it is down, no OK for anything unstored, and recovers without a restart', async () => {
    const payments = await seedPayments(pg.url, 3_000);
    const bodies = payments.map(confirmationBody);
    ingester = await startIngester('pg-stop', { DATABASE_URL: pg.url });
    const pid = ingester.pid;

    let restartedAt = Infinity;
    let okAfterRestart = false;
    const load = startLoad({
      baseUrl: ingester.baseUrl,
      bodies,
      concurrency: 16,
      maxAttempts: 200,
      backoffMs: 100,
      timeoutMs: 15_000,
      deadlineMs: 120_000,
      stopWhen: () => okAfterRestart,
    });
    await sleep(1_500);
    expect(load.acknowledged.size).toBeGreaterThan(0);

    await pg.stop();
    const stoppedAt = Date.now();
    // Probes while the database is down.
    const probes: { live: number; ready: number; readyMs: number }[] = [];
    while (Date.now() - stoppedAt < 6_000) {
      const [live, ready] = await Promise.all([get(ingester.baseUrl, '/health/live'), get(ingester.baseUrl, '/health/ready', 5_000)]);
      probes.push({ live: live.status, ready: ready.status, readyMs: ready.ms });
      await sleep(500);
    }
    const restartRequestedAt = Date.now();
    await pg.start();
    restartedAt = Date.now();
    for (const started = Date.now(); !okAfterRestart && Date.now() - started < 30_000; ) {
      okAfterRestart = load.attempts.some((a) => a.ok && a.startedAt >= restartedAt);
      await sleep(50);
    }
    load.stop();
    await load.done;

    expect(okAfterRestart).toBe(true); // back without restarting the ingester
    expect(ingester.alive()).toBe(true);
    expect(ingester.pid).toBe(pid);

    // Requests that began after the stop and ended before the restart began: all 503, each within 5 s.
    const duringOutage = load.attempts.filter((a) => a.startedAt >= stoppedAt && a.startedAt + a.ms < restartRequestedAt);
    expect(duringOutage.length).toBeGreaterThan(10);
    expect(duringOutage.filter((a) => a.status !== 503)).toEqual([]);
    expect(duringOutage.filter((a) => a.ms > 5_000)).toEqual([]);
    // Nothing hung or failed otherwise, before, during or after.
    expect(load.attempts.filter((a) => a.status === 0 || (a.status >= 500 && a.status !== 503))).toEqual([]);
    expect(load.attempts.filter((a) => a.ms > 5_000)).toEqual([]);

    expect(probes.length).toBeGreaterThan(3);
    expect(probes.every((p) => p.live === 200)).toBe(true);
    expect(probes.every((p) => p.ready === 503 && p.readyMs < 3_000)).toBe(true);
    expect((await get(ingester.baseUrl, '/health/ready')).status).toBe(200);

    // Every OK is stored, once.
    const counts = await receivedCounts(pg.url);
    expect([...load.acknowledged].filter((i) => counts.get(payments[i].id) !== 1)).toEqual([]);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    await ingester.stop();
  });
});
