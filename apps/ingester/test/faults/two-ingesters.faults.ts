import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationBody, post, receivedCounts, seedPayments, sleep, sql, startIngester, startOwnPostgres, type IngesterProcess, type OwnPostgres } from './harness';

// Two ingester processes with their background jobs on, on one database. The storage sweeper (every 30 s) and the
// return watch (every 60 s) take pg_try_advisory_xact_lock per tick, the outbox worker claims with SKIP LOCKED:
// each job's work is done once per tick (one process's log reports it, with the whole count), every
// notification reaches the shop once, and both processes ingest confirmations — including the same
// confirmation delivered to both at once — correctly.

const STORAGES = 40;
const RETURNS = 30;
const CONFIRMATIONS = 200;

interface LogLine {
  msg?: string;
}

describe('two ingester processes on one database', () => {
  let pg: OwnPostgres;
  let receiver: Server;
  const received: string[] = [];
  const ingesters: IngesterProcess[] = [];

  beforeAll(async () => {
    pg = await startOwnPostgres();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        try {
          received.push(String((JSON.parse(body) as { paymentId?: string }).paymentId));
        } catch {
          received.push('unparsable');
        }
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const i of ingesters) await i.kill('SIGKILL');
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
    await pg?.destroy();
  });

  it('runs each scheduled job once per tick and both ingest correctly', async () => {
    // Work for the jobs: storages past their lifetime, and payments whose shopper came back without a confirmation.
    await sql(
      pg.url,
      `INSERT INTO storages (storage_id, shop_id, order_ident, status, initialized_at, last_access_at, expires_at)
       SELECT 'st-fault-' || g, 'demo', 'oi-st-' || g, 'active', now() - interval '2 hours', now() - interval '2 hours', now() - interval '90 minutes'
       FROM generate_series(1, $1::int) g`,
      [STORAGES],
    );
    const returned = await seedPayments(pg.url, RETURNS);
    await sql(pg.url, `UPDATE payments SET returned_at = now() - interval '1 hour', return_outcome = 'success' WHERE id = ANY($1::uuid[])`, [
      returned.map((p) => p.id),
    ]);
    const payments = await seedPayments(pg.url, CONFIRMATIONS);

    const port = (receiver.address() as AddressInfo).port;
    const env = {
      DATABASE_URL: pg.url,
      JOBS: 'on',
      LOG_LEVEL: 'log',
      RETURN_GRACE_SECONDS: '0',
      DEMO_SHOP_NOTIFICATION_URL: `http://127.0.0.1:${port}/notify`,
    };
    const [a, b] = await Promise.all([startIngester('twin-a', env), startIngester('twin-b', env)]);
    ingesters.push(a, b);
    const bootedAt = Date.now();

    // Both ingest: each confirmation goes to one of them, and every fifth to both at the same moment.
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const results = await Promise.all(
      payments.map(async (p, i) => {
        const body = confirmationBody(p);
        const first = i % 2 === 0 ? a : b;
        const other = first === a ? b : a;
        const answers = await Promise.all([post(agent, first.baseUrl, body, 10_000), ...(i % 5 === 0 ? [post(agent, other.baseUrl, body, 10_000)] : [])]);
        return answers.every((x) => x.ok);
      }),
    );
    agent.destroy();
    expect(results.every(Boolean)).toBe(true);

    // Wait for the outbox, the sweeper's first tick (30 s) and the return watch's first tick (60 s).
    const done = async () => {
      const [row] = await sql<{ expired: string; flagged: string; pending: string }>(
        pg.url,
        `SELECT (SELECT count(*) FROM storages WHERE status = 'expired') AS expired,
                (SELECT count(*) FROM mismatches WHERE kind = 'return_without_confirmation') AS flagged,
                (SELECT count(*) FROM outbox WHERE status <> 'sent') AS pending`,
      );
      return Number(row.expired) === STORAGES && Number(row.flagged) === RETURNS && Number(row.pending) === 0 && received.length >= CONFIRMATIONS;
    };
    while (!(await done()) && Date.now() - bootedAt < 80_000) await sleep(500);
    await sleep(1_000);
    expect(await done()).toBe(true);
    await Promise.all([a.stop(), b.stop()]);

    // Each confirmation stored once; the copies delivered to the other process were recognised as duplicates.
    const counts = await receivedCounts(pg.url);
    expect(payments.filter((p) => counts.get(p.id) !== 1)).toEqual([]);
    const [dups] = await sql<{ n: string }>(pg.url, `SELECT count(*) AS n FROM checkout_events WHERE kind = 'confirmation.duplicate'`);
    expect(Number(dups.n)).toBe(CONFIRMATIONS / 5);
    // Every notification reached the shop exactly once.
    expect(received.length).toBe(CONFIRMATIONS);
    expect(new Set(received).size).toBe(CONFIRMATIONS);
    expect(new Set(received)).toEqual(new Set(payments.map((p) => p.id)));

    // The jobs: each storage expired once (one event each), each return flagged once …
    const [events] = await sql<{ expired: string; distinct_storages: string }>(
      pg.url,
      `SELECT count(*) AS expired, count(DISTINCT storage_id) AS distinct_storages FROM checkout_events WHERE kind = 'storage.expired'`,
    );
    expect(Number(events.expired)).toBe(STORAGES);
    expect(Number(events.distinct_storages)).toBe(STORAGES);
    // … and in each tick one process did the whole job: one log line in all, carrying the whole count.
    const lines = [...a.logLines(), ...b.logLines()].map((l) => {
      try {
        return JSON.parse(l) as LogLine;
      } catch {
        return {} as LogLine;
      }
    });
    const sweeps = lines.map((l) => /^(\d+) storage\(s\) expired$/.exec(l.msg ?? '')).filter((m) => m !== null);
    const watches = lines.map((l) => /^(\d+) return\(s\) without confirmation flagged$/.exec(l.msg ?? '')).filter((m) => m !== null);
    expect(sweeps.map((m) => Number(m[1]))).toEqual([STORAGES]);
    expect(watches.map((m) => Number(m[1]))).toEqual([RETURNS]);
  });
});
