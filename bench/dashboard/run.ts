import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { createDatabase, databaseUrl, dropDatabase, freePort, REPO_ROOT, startBenchServer, withClient } from '../lib/postgres';
import { startServer, type ServerProcess } from '../lib/processes';

// `npm run bench:dashboard`: seeds about 10 million checkout events (2.4 million payments over 90 days, four shops,
// a realistic mix of types and outcomes) through set-based SQL, derives the funnel rollup and a few mismatches
// from them, then times every operator endpoint over repeated calls (p50, p95). See docs/benchmarks.md.
//
// Options: --payments N (2400000), --days N (90), --calls N per endpoint (30), --no-build. DATABASE_URL as for
// bench:ingest (a database bench_<random> is created there and dropped); unset: embedded PostgreSQL.
// With DATABASE_URL only: --keep leaves the seeded database in place (its name is printed; drop it by hand), and
// --database NAME times an existing, already seeded bench_* database again (migrated first, not seeded, kept).

const argv = process.argv.slice(2);
const num = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return Math.round(n);
};
const PAYMENTS = num('payments', 2_400_000);
const DAYS = num('days', 90);
const CALLS = num('calls', 30);
const CHUNK = 200_000;
const KEEP = argv.includes('--keep');
const REUSE = (() => {
  const i = argv.indexOf('--database');
  if (i < 0) return undefined;
  const name = argv[i + 1] ?? '';
  if (!/^bench_[a-z0-9_]+$/.test(name)) throw new Error('--database takes the name of a kept bench_* database');
  return name;
})();

const log = (line = '') => process.stdout.write(line + '\n');
const secondsSince = (t: number) => ((performance.now() - t) / 1000).toFixed(1);

/** Payments g in [lo, hi] and their events; every value derived from g, so a run is reproducible. */
async function seedChunk(c: Client, lo: number, hi: number): Promise<void> {
  await c.query(
    `INSERT INTO payments (id, shop_id, order_ident, order_number, payment_type, amount, currency, state, confirmed_amount, confirmed_currency,
                           gateway_reference_number, masked_pan, financial_institution, initiated_at, first_confirmation_at, final_at,
                           returned_at, return_outcome, confirmation_count, created_at, updated_at)
     SELECT md5('p' || g)::uuid, shop, 'oi' || g, CASE WHEN confirmed THEN (10000000 + g)::text END, pt, amt, 'EUR', st,
            CASE WHEN confirmed THEN amt END, CASE WHEN confirmed THEN 'EUR' END,
            CASE WHEN st = 'SUCCESS' THEN 'DGW_' || g || '_RN' END, CASE WHEN pt = 'CCARD' AND confirmed THEN '940000******' || lpad((g % 10000)::text, 4, '0') END,
            CASE WHEN confirmed THEN CASE pt WHEN 'CCARD' THEN 'Visa' ELSE pt END END,
            ts, CASE WHEN confirmed THEN ts + interval '5 seconds' END, CASE WHEN st IN ('SUCCESS', 'FAILURE', 'CANCEL') THEN ts + interval '5 seconds' END,
            CASE WHEN returned THEN ts + interval '10 seconds' END, CASE WHEN returned THEN lower(CASE WHEN st IN ('SUCCESS', 'PENDING', 'CANCEL', 'FAILURE') THEN st ELSE 'SUCCESS' END) END,
            CASE WHEN confirmed THEN 1 ELSE 0 END, ts, ts
     FROM (SELECT g, (ARRAY['demo','demo','alpine','harbor','orbit'])[1 + g % 5] AS shop,
                  (ARRAY['CCARD','CCARD','CCARD','CCARD','CCARD','CCARD','PAYPAL','PAYPAL','SOFORTUEBERWEISUNG','EPS'])[1 + (g / 7) % 10] AS pt,
                  round(5 + (g::bigint * 7919 % 49500) / 100.0, 2) AS amt,
                  CASE WHEN g % 100 < 80 THEN 'SUCCESS' WHEN g % 100 < 86 THEN 'FAILURE' WHEN g % 100 < 91 THEN 'CANCEL'
                       WHEN g % 100 < 94 THEN 'PENDING' WHEN g % 100 < 98 THEN 'INITIATED' ELSE 'UNKNOWN' END AS st,
                  g % 100 < 94 AS confirmed, g % 10 < 8 AS returned,
                  now() - make_interval(secs => ((g::bigint * 104729) % ($3::int * 86400))::int) AS ts
           FROM generate_series($1::int, $2::int) g) s`,
    [lo, hi, DAYS],
  );
  // checkout.started, storage.initialized (card), payment.initiated, confirmation.received, consumer.returned.
  await c.query(
    `INSERT INTO checkout_events (occurred_at, kind, source, shop_id, payment_id, order_ident, order_number, payment_state, amount, currency, payment_type, payload, dedup_key)
     SELECT e.at, e.kind, e.source, p.shop_id, CASE WHEN e.kind <> 'checkout.started' THEN p.id END, p.order_ident, e.order_number, e.state, p.amount, p.currency,
            p.payment_type, e.payload, e.dedup
     FROM generate_series($1::int, $2::int) g
     JOIN payments p ON p.id = md5('p' || g)::uuid
     CROSS JOIN LATERAL (VALUES
       (p.initiated_at - interval '60 seconds', 'checkout.started', 'shop', NULL::text, NULL::text, '{}'::jsonb, NULL::text, true),
       (p.initiated_at - interval '30 seconds', 'storage.initialized', 'shop', NULL, NULL, '{}'::jsonb, NULL, p.payment_type = 'CCARD'),
       (p.initiated_at, 'payment.initiated', 'shop', 'INITIATED', NULL, '{}'::jsonb, NULL, true),
       (p.first_confirmation_at, 'confirmation.received', 'gateway', p.state, p.order_number,
        jsonb_build_object('signed', true, 'fields', jsonb_build_object('paymentState', p.state, 'orderNumber', p.order_number, 'amount', p.amount::text)),
        'confirmation:' || p.shop_id || ':' || md5(p.id::text), p.first_confirmation_at IS NOT NULL),
       (p.returned_at, 'consumer.returned', 'consumer', NULL, NULL, jsonb_build_object('outcome', p.return_outcome), NULL, p.returned_at IS NOT NULL)
     ) AS e(at, kind, source, state, order_number, payload, dedup, present)
     WHERE e.present`,
    [lo, hi],
  );
}

/** Card storages of the chunk's payments (consumed), and one abandoned, expired storage per 20 checkouts. */
async function seedStorages(c: Client, lo: number, hi: number): Promise<void> {
  await c.query(
    `INSERT INTO storages (storage_id, shop_id, order_ident, status, payment_type, initialized_at, last_access_at, expires_at,
                           payment_data_stored_at, consumed_at, expired_at, payment_id)
     SELECT 'st' || g, p.shop_id, p.order_ident, 'consumed', 'CCARD', p.initiated_at - interval '30 seconds', p.initiated_at,
            p.initiated_at + interval '30 minutes', p.initiated_at - interval '10 seconds', p.initiated_at, NULL, p.id
     FROM generate_series($1::int, $2::int) g JOIN payments p ON p.id = md5('p' || g)::uuid
     WHERE p.payment_type = 'CCARD'
     UNION ALL
     SELECT 'ab' || g, p.shop_id, 'ab' || g, 'expired', CASE WHEN g % 3 = 0 THEN 'CCARD' END, p.initiated_at - interval '40 minutes',
            p.initiated_at - interval '38 minutes', p.initiated_at - interval '8 minutes', NULL, NULL, p.initiated_at - interval '8 minutes', NULL
     FROM generate_series($1::int, $2::int) g JOIN payments p ON p.id = md5('p' || g)::uuid
     WHERE g % 20 = 0`,
    [lo, hi],
  );
  await c.query(
    `INSERT INTO checkout_events (occurred_at, kind, source, shop_id, storage_id, order_ident, payment_type, payload, dedup_key)
     SELECT s.expired_at, 'storage.expired', 'system', s.shop_id, s.storage_id, s.order_ident, s.payment_type,
            jsonb_build_object('livedSeconds', 1920), 'storage.expired:' || s.storage_id
     FROM generate_series($1::int, $2::int) g JOIN storages s ON s.storage_id = 'ab' || g
     WHERE g % 20 = 0`,
    [lo, hi],
  );
}

async function seed(url: string): Promise<void> {
  await withClient(url, async (c) => {
    const started = performance.now();
    for (let lo = 1; lo <= PAYMENTS; lo += CHUNK) {
      const hi = Math.min(PAYMENTS, lo + CHUNK - 1);
      await seedChunk(c, lo, hi);
      await seedStorages(c, lo, hi);
      log(`   payments ${hi.toLocaleString('en')} / ${PAYMENTS.toLocaleString('en')} (${secondsSince(started)} s)`);
    }
    // The hourly funnel rollup, as the ingester keeps it, derived from the events.
    await c.query(
      `INSERT INTO funnel_hourly (bucket, shop_id, payment_type, shard, checkouts_started, storages_initialized, storages_expired, payments_initiated,
                                  confirmations, successes, cancels, failures, pendings, returns)
       SELECT date_trunc('hour', occurred_at), shop_id, coalesce(payment_type, 'UNSPECIFIED'), 0,
              count(*) FILTER (WHERE kind = 'checkout.started'), count(*) FILTER (WHERE kind = 'storage.initialized'),
              count(*) FILTER (WHERE kind = 'storage.expired'),
              count(*) FILTER (WHERE kind = 'payment.initiated'), count(*) FILTER (WHERE kind = 'confirmation.received'),
              count(*) FILTER (WHERE kind = 'confirmation.received' AND payment_state = 'SUCCESS'),
              count(*) FILTER (WHERE kind = 'confirmation.received' AND payment_state = 'CANCEL'),
              count(*) FILTER (WHERE kind = 'confirmation.received' AND payment_state = 'FAILURE'),
              count(*) FILTER (WHERE kind = 'confirmation.received' AND payment_state = 'PENDING'),
              count(*) FILTER (WHERE kind = 'consumer.returned')
       FROM checkout_events GROUP BY 1, 2, 3`,
    );
    // Half a percent of the payments carry an open amount mismatch.
    await c.query(
      `WITH m AS (SELECT id, shop_id FROM payments WHERE state = 'SUCCESS' AND hashtext(id::text) % 200 = 0)
       INSERT INTO mismatches (payment_id, shop_id, kind, reason, detail) SELECT id, shop_id, 'amount_mismatch', 'confirmed amount differs', '{}' FROM m`,
    );
    await c.query(`UPDATE payments SET has_mismatch = true WHERE id IN (SELECT payment_id FROM mismatches)`);
    await c.query('VACUUM ANALYZE');
    const [{ events }] = (await c.query<{ events: string }>('SELECT count(*) AS events FROM checkout_events')).rows;
    log(`seeded ${PAYMENTS.toLocaleString('en')} payments and ${Number(events).toLocaleString('en')} events in ${secondsSince(started)} s`);
  });
}

interface Timing {
  endpoint: string;
  group: 'list' | 'funnel/KPI' | 'timeline';
  target: number;
  p50: number;
  p95: number;
  errors: number;
}

async function time(base: string, cookie: string, paths: string[]): Promise<{ p50: number; p95: number; errors: number }> {
  const ms: number[] = [];
  let errors = 0;
  for (let i = 0; i < CALLS + 3; i++) {
    const path = paths[i % paths.length];
    const t = performance.now();
    const res = await fetch(base + path, { headers: { cookie } });
    await res.arrayBuffer();
    if (i >= 3) ms.push(performance.now() - t);
    if (!res.ok) errors++;
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)], p95: ms[Math.min(ms.length - 1, Math.floor(ms.length * 0.95))], errors };
}

async function main(): Promise<void> {
  log('== machine');
  log(`cpu: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}; memory ${Math.round(totalmem() / 2 ** 30)} GiB; node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (!argv.includes('--no-build')) {
    const build = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/nx/dist/bin/nx.js'), 'build', 'ingester', '--output-style=static'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (build.status !== 0) throw new Error('build of the ingester failed');
  }
  const server = await startBenchServer();
  if ((KEEP || REUSE) && server.kind !== 'external') throw new Error('--keep and --database need DATABASE_URL (an embedded server is removed at the end)');
  const dbName = REUSE ?? `bench_${randomBytes(4).toString('hex')}`;
  let ingester: ServerProcess | undefined;
  let created = false;
  try {
    const url = REUSE ? databaseUrl(server.url, REUSE) : await createDatabase(server.url, dbName);
    created = !REUSE;
    const bundle = join(REPO_ROOT, 'dist/apps/ingester/main.js');
    const migrate = spawnSync(process.execPath, [bundle, 'migrate'], { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, encoding: 'utf8' });
    if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
    const version = await withClient(url, async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version);
    log(`== database: PostgreSQL ${version} (${server.kind}), database ${dbName}`);
    if (REUSE) {
      const [{ n }] = await withClient(url, async (c) => (await c.query<{ n: string }>('SELECT count(*) AS n FROM payments')).rows);
      log(`== reusing ${dbName}: ${Number(n).toLocaleString('en')} payments, not seeded again (--payments and --days are ignored)`);
    } else {
      log(`== seeding ${PAYMENTS.toLocaleString('en')} payments over ${DAYS} days`);
      await seed(url);
    }

    const email = `bench-${randomBytes(3).toString('hex')}@example.com`;
    const add = spawnSync(process.execPath, ['-r', '@swc-node/register', join(REPO_ROOT, 'apps/ingester/scripts/ops.ts'), 'operator', 'add', '--email', email, '--role', 'admin', '--generate-password'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: url, SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json') },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const password = /Password \(shown only now\): (\S+)/.exec(add.stdout)?.[1];
    if (!password) throw new Error(`could not create an operator:\n${add.stdout}\n${add.stderr}`);

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    ingester = await startServer('ingester', process.execPath, [bundle], { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url, JOBS: 'off', LOG_LEVEL: 'warn' }, base, '/health/ready');
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ email, password }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    if (!login.ok || !cookie) throw new Error(`login failed: ${login.status} ${await login.text()}`);

    const ids = await withClient(url, async (c) => (await c.query<{ id: string }>(`SELECT id FROM payments TABLESAMPLE SYSTEM (1) LIMIT 200`)).rows.map((r) => r.id));
    const from90 = new Date(Date.now() - DAYS * 86_400_000).toISOString().slice(0, 10);
    const from7 = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const cases: [string, Timing['group'], number, string[]][] = [
      ['GET /api/ops/payments', 'list', 20, ['/api/ops/payments']],
      ['GET /api/ops/payments?state=SUCCESS&shopId=demo', 'list', 20, ['/api/ops/payments?state=SUCCESS&shopId=demo']],
      ['GET /api/ops/payments?paymentType=PAYPAL (last 7 days)', 'list', 20, [`/api/ops/payments?paymentType=PAYPAL&from=${from7}`]],
      ['GET /api/ops/pending', 'list', 20, ['/api/ops/pending']],
      ['GET /api/ops/mismatches', 'list', 20, ['/api/ops/mismatches']],
      ['GET /api/ops/storages/expired', 'list', 20, ['/api/ops/storages/expired']],
      ['GET /api/ops/security-events', 'list', 20, ['/api/ops/security-events']],
      ['GET /api/ops/alerts', 'list', 20, ['/api/ops/alerts']],
      ['GET /api/ops/overview (24 h)', 'funnel/KPI', 50, ['/api/ops/overview']],
      [`GET /api/ops/overview (${DAYS} days)`, 'funnel/KPI', 50, [`/api/ops/overview?from=${from90}`]],
      ['GET /api/ops/funnel (24 h, hourly)', 'funnel/KPI', 50, ['/api/ops/funnel']],
      [`GET /api/ops/funnel (${DAYS} days, daily)`, 'funnel/KPI', 50, [`/api/ops/funnel?from=${from90}&granularity=day`]],
      ['GET /api/ops/payments/:id (timeline)', 'timeline', 10, ids.map((id) => `/api/ops/payments/${id}`)],
    ];
    const timings: Timing[] = [];
    log(`== timing (${CALLS} calls each after 3 warm-up calls, one at a time)`);
    for (const [endpoint, group, target, paths] of cases) {
      const t = await time(base, cookie, paths);
      timings.push({ endpoint, group, target, ...t });
      log(
        `${endpoint.padEnd(58)} p50 ${t.p50.toFixed(1).padStart(7)} ms  p95 ${t.p95.toFixed(1).padStart(7)} ms  (target p50 ≤ ${target} ms: ${t.p50 <= target ? 'met' : 'MISSED'})${t.errors ? `  ${t.errors} errors` : ''}`,
      );
    }
    mkdirSync(join(REPO_ROOT, 'tmp/bench'), { recursive: true });
    const file = join(REPO_ROOT, 'tmp/bench', `dashboard-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), payments: PAYMENTS, days: DAYS, calls: CALLS, postgres: version, timings }, null, 2));
    log(`results written to ${file}`);
    if (timings.some((t) => t.errors)) process.exitCode = 1;
  } finally {
    await ingester?.stop();
    if (created && KEEP) log(`kept database ${dbName} (drop it by hand: DROP DATABASE ${dbName})`);
    else if (created) await dropDatabase(server.url, dbName).catch(() => undefined);
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:dashboard failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
