import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationBody, receivedCounts, seedPayments, sleep, sql, startIngester, startLoad, startOwnPostgres, type IngesterProcess, type OwnPostgres } from './harness';

// The ingester killed with SIGKILL under load, then started again on the same port: the gateway's retries
// (modelled by the load driver: a body not answered OK is sent again) then reach the new process. Every
// confirmation answered OK must be stored, and none twice — also those whose first attempt committed just
// before the kill and whose retry is therefore a duplicate.

describe('ingester killed with SIGKILL under load', () => {
  let pg: OwnPostgres;
  const ingesters: IngesterProcess[] = [];

  beforeAll(async () => {
    pg = await startOwnPostgres();
  });
  afterAll(async () => {
    for (const i of ingesters) await i.kill('SIGKILL');
    await pg?.destroy();
  });

  it('every confirmation answered OK is stored, none twice, and the restarted process takes over', async () => {
    const payments = await seedPayments(pg.url, 2_000);
    const bodies = payments.map(confirmationBody);
    const first = await startIngester('sigkill-first', { DATABASE_URL: pg.url });
    ingesters.push(first);
    let baseUrl = first.baseUrl;

    const load = startLoad({ baseUrl: () => baseUrl, bodies, concurrency: 32, maxAttempts: 50, backoffMs: 50, timeoutMs: 10_000, deadlineMs: 90_000 });
    for (const started = Date.now(); load.acknowledged.size < 300 && Date.now() - started < 30_000; ) await sleep(10);
    expect(load.acknowledged.size).toBeGreaterThanOrEqual(300);

    await first.kill('SIGKILL'); // mid-flight: 32 requests are being handled
    const killedAt = Date.now();
    await sleep(300);
    const second = await startIngester('sigkill-second', { DATABASE_URL: pg.url }, first.port);
    ingesters.push(second);
    baseUrl = second.baseUrl;
    await load.done;

    // The kill hit requests in flight (connection reset / refused), and every body was acknowledged in the end.
    expect(load.attempts.filter((a) => a.status === 0 && a.startedAt <= killedAt).length).toBeGreaterThan(0);
    expect(load.acknowledged.size).toBe(bodies.length);
    expect(load.attempts.some((a) => a.status >= 500)).toBe(false);

    const counts = await receivedCounts(pg.url);
    const missing = [...load.acknowledged].filter((i) => counts.get(payments[i].id) !== 1);
    expect(missing).toEqual([]);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(bodies.length);

    // The projections agree: each payment confirmed once; redeliveries counted as duplicates, not confirmations.
    const [row] = await sql<{ once: string; other: string; funnel: string }>(
      pg.url,
      `SELECT (SELECT count(*) FROM payments WHERE confirmation_count = 1 AND state = 'SUCCESS') AS once,
              (SELECT count(*) FROM payments WHERE confirmation_count <> 1) AS other,
              (SELECT coalesce(sum(confirmations), 0) FROM funnel_hourly) AS funnel`,
    );
    expect(Number(row.once)).toBe(bodies.length);
    expect(Number(row.other)).toBe(0);
    expect(Number(row.funnel)).toBe(bodies.length);
    await second.stop();
  });
});
