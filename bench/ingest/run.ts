import { fork, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { confirmationBodies, DEMO_SECRET, seedPayments, type SeededPayment } from '../lib/confirmations';
import { BodyFeed, closedLoop, type LoadResult } from '../lib/load';
import { createDatabase, dropDatabase, freePort, REPO_ROOT, startBenchServer, withClient } from '../lib/postgres';
import { backendCpuDelta, backendCpuSeconds, machineCpuTicks, processCpuSeconds, startServer, type ServerProcess } from '../lib/processes';

// `npm run bench:ingest`: the ingester's POST /qenta/confirm against a bare node:http baseline on the same
// PostgreSQL, with distinct, correctly signed confirmations of pre-seeded payments. See docs/benchmarks.md.
//
// Options (flag or environment variable):
//   --duration S        BENCH_DURATION      measured closed-loop seconds per server (15)
//   --warmup S          BENCH_WARMUP        closed-loop warm-up seconds per server, not measured (3)
//   --connections N     BENCH_CONNECTIONS   closed-loop connections (64)
//   --open-duration S   BENCH_OPEN_DURATION open-loop seconds per server at half the baseline's rate (15)
//   --payments N        BENCH_PAYMENTS      payments seeded, one confirmation each (250000)
//   --only ingester|baseline                 run one side (no ratio)
//   --cpu-prof                               write a V8 CPU profile of the ingester to tmp/bench/profiles
//   --no-build                               use dist/apps/ingester/main.js as it is
//   --bundle FILE                            run this ingester bundle instead (e.g. a copy of an older build, for A/B)
// DATABASE_URL: a PostgreSQL server to use (a database bench_<random> is created there and dropped at the end);
// unset: an embedded PostgreSQL in a child process with default settings.

interface Options {
  duration: number;
  warmup: number;
  connections: number;
  openDuration: number;
  payments: number;
  only: 'ingester' | 'baseline' | undefined;
  cpuProf: boolean;
  build: boolean;
  /** The ingester bundle to run (dist/apps/ingester/main.js). */
  bundle: string;
}

function options(argv: string[]): Options {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string, env: string, fallback: number): number => {
    const i = argv.indexOf(`--${name}`);
    const raw = i >= 0 ? argv[i + 1] : process.env[env];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} / ${env} must be a positive number (got "${raw}")`);
    return n;
  };
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? argv[onlyIndex + 1] : undefined;
  if (only !== undefined && only !== 'ingester' && only !== 'baseline') throw new Error('--only takes ingester or baseline');
  return {
    duration: value('duration', 'BENCH_DURATION', 15),
    warmup: value('warmup', 'BENCH_WARMUP', 3),
    connections: Math.round(value('connections', 'BENCH_CONNECTIONS', 64)),
    openDuration: value('open-duration', 'BENCH_OPEN_DURATION', 15),
    payments: Math.round(value('payments', 'BENCH_PAYMENTS', 250_000)),
    only,
    cpuProf: flag('cpu-prof'),
    build: !flag('no-build') && !argv.includes('--bundle'),
    bundle: argv.includes('--bundle') ? resolve(argv[argv.indexOf('--bundle') + 1] ?? '') : join(REPO_ROOT, 'dist/apps/ingester/main.js'),
  };
}

const POOL_SIZE = 10;
const BASELINE_TABLE = 'bench_baseline_events';

interface SideReport {
  name: 'baseline' | 'ingester';
  warmup: LoadResult;
  closed: LoadResult;
  open?: LoadResult;
  /** Ingester only: the open loop again at half its own closed-loop rate (its latency below saturation). */
  openOwn?: LoadResult;
  /** Whole machine busy share and the server process's CPU during the measured closed-loop run. */
  machineBusy: number;
  serverCpu: number;
  /** CPU milliseconds per OK request in the measured closed-loop run: the server process, and the PostgreSQL backends. */
  cpuMsPerRequest: { server: number; postgres: number };
  check: { acknowledged: number; stored: number; storedNotAcknowledged: number; unanswered: number; ackedMissing: number; storedNeverSent: number; ok: boolean };
}

const log = (line = '') => process.stdout.write(line + '\n');
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  log('== machine');
  log(`cpu: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}; memory ${Math.round(totalmem() / 2 ** 30)} GiB; node ${process.version}`);
  const load = loadavg();
  log(`load average: ${load.map((l) => l.toFixed(2)).join(' ')}`);
  if (load[0] > cpus().length / 4) log('WARNING: the machine is busy with other work; figures will be lower and noisier than on an idle machine');

  if (opts.build) {
    log('== build (npx nx build ingester)');
    const build = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/nx/dist/bin/nx.js'), 'build', 'ingester', '--output-style=static'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (build.status !== 0) throw new Error('build of the ingester failed; run `npx nx build ingester` to see why');
  }

  const server = await startBenchServer();
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  let created = false;
  const processes: ServerProcess[] = [];
  try {
    const url = await createDatabase(server.url, dbName);
    created = true;
    log(`== database (${server.kind === 'external' ? 'DATABASE_URL server' : 'embedded PostgreSQL in a child process'}, database ${dbName})`);
    const migrate = spawnSync(process.execPath, [opts.bundle, 'migrate'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);

    const settings = await withClient(url, async (c) => {
      const names = ['server_version', 'synchronous_commit', 'fsync', 'wal_sync_method', 'shared_buffers', 'max_connections', 'max_wal_size'];
      const out: Record<string, string> = {};
      for (const n of names) out[n] = (await c.query<Record<string, string>>(`SHOW ${n}`)).rows[0][n];
      return out;
    });
    log(`postgresql ${settings['server_version']}: ${Object.entries(settings).filter(([k]) => k !== 'server_version').map(([k, v]) => `${k}=${v}`).join(', ')}`);
    if (settings['synchronous_commit'] !== 'on') log(`WARNING: synchronous_commit is ${settings['synchronous_commit']}; the targets assume on`);
    log(`settings: ${opts.connections} connections, warm-up ${opts.warmup} s, measured ${opts.duration} s, open loop ${opts.openDuration} s at half the baseline's rate; pool ${POOL_SIZE} on both sides`);

    log(`== seeding ${opts.payments} payments (INITIATED, with their payment.initiated events)`);
    let t = performance.now();
    const payments = await withClient(url, async (c) => {
      const seeded = await seedPayments(c, opts.payments);
      // The baseline's table: same columns, constraints and indexes, holding as many rows.
      await c.query(`CREATE TABLE ${BASELINE_TABLE} (LIKE checkout_events INCLUDING ALL)`);
      await c.query(
        `INSERT INTO ${BASELINE_TABLE} (occurred_at, kind, source, shop_id, payment_id, order_ident, payment_state, amount, currency, payment_type, payload)
         SELECT occurred_at, kind, source, shop_id, payment_id, order_ident, payment_state, amount, currency, payment_type, payload FROM checkout_events`,
      );
      await c.query('VACUUM ANALYZE');
      return seeded;
    });
    log(`seeded in ${fmt((performance.now() - t) / 1000)} s`);
    t = performance.now();
    const bodies = confirmationBodies(payments);
    log(`signed ${bodies.length} confirmations (HMAC-SHA512) in ${fmt((performance.now() - t) / 1000)} s; mean body ${Math.round(bodies.reduce((a, b) => a + b.length, 0) / bodies.length)} bytes`);

    const reports: SideReport[] = [];
    let openRate: number | undefined;

    if (opts.only !== 'ingester') {
      const port = await freePort();
      const baseline = await startServer(
        'baseline',
        process.execPath,
        ['-r', '@swc-node/register', join(REPO_ROOT, 'bench/ingest/baseline-server.ts')],
        { ...process.env, SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json'), PORT: String(port), DATABASE_URL: url, DB_POOL_SIZE: String(POOL_SIZE), BASELINE_TABLE, SECRET: DEMO_SECRET },
        `http://127.0.0.1:${port}`,
        '/health',
      );
      processes.push(baseline);
      const feed = new BodyFeed(bodies);
      const report = await measure('baseline', baseline, feed, url, opts);
      openRate = report.closed.rps / 2;
      report.open = await openPhase(baseline, feed, opts, openRate);
      await baseline.stop(); // in-flight work done: the counts below do not move
      report.check = await check(url, 'baseline', payments, [report.warmup, report.closed, report.open]);
      reports.push(report);
    }

    if (opts.only !== 'baseline') {
      const port = await freePort();
      const profileDir = join(REPO_ROOT, 'tmp/bench/profiles');
      if (opts.cpuProf) mkdirSync(profileDir, { recursive: true });
      const ingester = await startServer(
        'ingester',
        process.execPath,
        [...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), opts.bundle],
        { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url, DB_POOL_SIZE: String(POOL_SIZE), JOBS: 'off', LOG_LEVEL: 'warn' },
        `http://127.0.0.1:${port}`,
        '/health/ready',
      );
      processes.push(ingester);
      const feed = new BodyFeed(bodies);
      const report = await measure('ingester', ingester, feed, url, opts);
      openRate ??= report.closed.rps / 2; // --only ingester: half its own rate
      report.open = await openPhase(ingester, feed, opts, openRate);
      if (opts.only !== 'ingester') report.openOwn = await openPhase(ingester, feed, opts, report.closed.rps / 2, 'half its own closed-loop rate');
      await ingester.stop(); // graceful: in-flight confirmations finish, so the counts below do not move
      report.check = await check(url, 'ingester', payments, [report.warmup, report.closed, report.open, report.openOwn]);
      reports.push(report);
      if (opts.cpuProf) log(`CPU profile of the ingester written to ${profileDir}`);
    }

    summary(reports, settings, opts);
    const outDir = join(REPO_ROOT, 'tmp/bench');
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `ingest-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
          postgres: { kind: server.kind, ...settings },
          options: opts,
          results: reports.map((r) => ({
            name: r.name,
            machineBusy: r.machineBusy,
            serverCpu: r.serverCpu,
            cpuMsPerRequest: r.cpuMsPerRequest,
            check: r.check,
            ...Object.fromEntries((['warmup', 'closed', 'open', 'openOwn'] as const).map((k) => [k, r[k] && strip(r[k])])),
          })),
        },
        null,
        2,
      ),
    );
    log(`results written to ${file}`);
    if (reports.some((r) => !r.check.ok)) process.exitCode = 1;
  } finally {
    for (const p of processes) await p.stop().catch(() => undefined);
    if (created) await dropDatabase(server.url, dbName).catch((e: unknown) => log(`could not drop ${dbName}: ${String(e)}`));
    await server.stop();
  }
}

async function measure(name: 'baseline' | 'ingester', proc: ServerProcess, feed: BodyFeed, url: string, opts: Options): Promise<SideReport> {
  const database = new URL(url).pathname.slice(1);
  log(`== ${name}: warm-up ${opts.warmup} s`);
  const warmup = await closedLoop(proc.baseUrl, feed, opts.connections, opts.warmup);
  log(`   ${fmt(warmup.rps, 0)} OK/s`);
  await withClient(url, (c) => c.query('CHECKPOINT')); // no checkpoint debt carried into the measured run
  log(`== ${name}: closed loop, ${opts.connections} connections, ${opts.duration} s`);
  const cpu0 = machineCpuTicks();
  const proc0 = processCpuSeconds(proc.child.pid);
  const pg0 = backendCpuSeconds(database);
  const closed = await closedLoop(proc.baseUrl, feed, opts.connections, opts.duration);
  const cpu1 = machineCpuTicks();
  const proc1 = processCpuSeconds(proc.child.pid);
  const pg1 = backendCpuSeconds(database);
  const cpuMsPerRequest = { server: ((proc1 - proc0) * 1000) / closed.ok, postgres: (backendCpuDelta(pg0, pg1) * 1000) / closed.ok };
  const machineBusy = (cpu1.busy - cpu0.busy) / (cpu1.total - cpu0.total);
  const serverCpu = (proc1 - proc0) / closed.seconds;
  log(`   ${line(closed)}`);
  log(
    `   machine ${fmt(machineBusy * 100, 0)}% busy; ${name} process ${fmt(serverCpu * 100, 0)}% of a core; ` +
      `CPU per request: ${name} ${fmt(cpuMsPerRequest.server, 2)} ms, PostgreSQL backends ${fmt(cpuMsPerRequest.postgres, 2)} ms`,
  );
  if (closed.exhausted) log(`   WARNING: ran out of bodies; raise --payments`);
  return {
    name,
    warmup,
    closed,
    machineBusy,
    serverCpu,
    cpuMsPerRequest,
    check: { acknowledged: 0, stored: 0, storedNotAcknowledged: 0, unanswered: 0, ackedMissing: 0, storedNeverSent: 0, ok: false },
  };
}

async function openPhase(proc: ServerProcess, feed: BodyFeed, opts: Options, rate: number, what = "half the baseline's closed-loop rate"): Promise<LoadResult> {
  log(`== ${proc.name}: open loop at ${fmt(rate, 0)} requests/s (${what}), ${opts.openDuration} s`);
  const open = await openLoopInChild(proc.baseUrl, feed, rate, opts.openDuration);
  log(`   ${line(open)}`);
  if (open.exhausted) log(`   WARNING: ran out of bodies; raise --payments`);
  return open;
}

/** Runs the open loop in a child process with just the bodies it needs; indices come back relative to the feed. */
async function openLoopInChild(baseUrl: string, feed: BodyFeed, rate: number, seconds: number): Promise<LoadResult> {
  const offset = feed.cursor;
  const bodies = feed.bodies.slice(offset, offset + Math.ceil(rate * seconds));
  const child = fork(join(REPO_ROOT, 'bench/lib/open-loop-child.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = await new Promise<LoadResult>((resolve, reject) => {
    child.once('message', (r: LoadResult) => resolve(r));
    child.once('exit', (code) => reject(new Error(`open-loop generator exited with ${code}`)));
    child.send({ baseUrl, bodies, rate, seconds });
  });
  feed.cursor = offset + result.sent;
  return {
    ...result,
    okIndices: result.okIndices.map((i) => i + offset),
    sentIndices: result.sentIndices.map((i) => i + offset),
    // JSON has no Infinity: latencies of requests never answered come back as null.
    p50: result.p50 ?? Infinity,
    p90: result.p90 ?? Infinity,
    p99: result.p99 ?? Infinity,
    max: result.max ?? Infinity,
  };
}

async function check(url: string, name: 'baseline' | 'ingester', payments: SeededPayment[], runs: (LoadResult | undefined)[]): Promise<SideReport['check']> {
  const acked = new Set<string>();
  const sent = new Set<string>();
  let unanswered = 0;
  for (const r of runs) {
    if (!r) continue;
    for (const i of r.okIndices) acked.add(payments[i].id);
    for (const i of r.sentIndices) sent.add(payments[i].id);
    unanswered += r.unanswered;
  }
  const table = name === 'baseline' ? BASELINE_TABLE : 'checkout_events';
  const stored = await withClient(url, async (c: Client) => {
    const { rows } = await c.query<{ payment_id: string; n: string }>(
      `SELECT payment_id, count(*) AS n FROM ${table} WHERE kind = 'confirmation.received' GROUP BY payment_id`,
    );
    return rows;
  });
  const storedIds = new Set(stored.map((r) => r.payment_id));
  const twice = stored.filter((r) => Number(r.n) > 1).length;
  const ackedMissing = [...acked].filter((id) => !storedIds.has(id)).length;
  const storedNeverSent = [...storedIds].filter((id) => !sent.has(id)).length;
  const storedNotAcknowledged = [...storedIds].filter((id) => !acked.has(id)).length;
  let projectionsOk = true;
  if (name === 'ingester') {
    const [row] = await withClient(url, async (c) =>
      (await c.query<{ confirmed: string; other: string }>(
        `SELECT (SELECT count(*) FROM payments WHERE confirmation_count > 0) AS confirmed,
                (SELECT count(*) FROM checkout_events WHERE kind IN ('confirmation.duplicate', 'confirmation.rejected')) AS other`,
      )).rows,
    );
    projectionsOk = Number(row.confirmed) === storedIds.size && Number(row.other) === 0;
    if (!projectionsOk) log(`   projections: ${row.confirmed} payments confirmed, ${row.other} duplicate/rejected events (expected ${storedIds.size} and 0)`);
  }
  // Every OK is stored, nothing is stored twice or without having been sent; stored but not acknowledged can only be
  // requests still in flight when the load generator hung up.
  const ok = ackedMissing === 0 && twice === 0 && storedNeverSent === 0 && storedNotAcknowledged <= unanswered && projectionsOk;
  log(
    `== ${name}: check — ${acked.size} acknowledged, ${storedIds.size} stored` +
      (storedNotAcknowledged ? ` (${storedNotAcknowledged} of them answered after the load generator hung up; ${unanswered} were in flight then)` : '') +
      `; acknowledged but not stored: ${ackedMissing}; stored twice: ${twice} → ${ok ? 'OK' : 'FAILED'}`,
  );
  return { acknowledged: acked.size, stored: storedIds.size, storedNotAcknowledged, unanswered, ackedMissing, storedNeverSent, ok };
}

function line(r: LoadResult): string {
  const bad = Object.entries(r.notOk).map(([s, n]) => `${n}× ${s}`);
  if (r.errors) bad.push(`${r.errors} errors`);
  return `${fmt(r.rps, 0)} OK/s, p50 ${fmt(r.p50)} ms, p90 ${fmt(r.p90)} ms, p99 ${fmt(r.p99)} ms, max ${fmt(r.max)} ms (${r.ok} OK${bad.length ? `, ${bad.join(', ')}` : ''})`;
}

function strip(r: LoadResult): Omit<LoadResult, 'okIndices' | 'sentIndices'> {
  const { okIndices: _o, sentIndices: _s, ...rest } = r;
  return rest;
}

function summary(reports: SideReport[], settings: Record<string, string>, opts: Options): void {
  log('');
  log(`== summary (PostgreSQL ${settings['server_version']}, synchronous_commit=${settings['synchronous_commit']}, ${cpus().length} cores, node ${process.version})`);
  log(`${'server'.padEnd(10)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} │ ${'open-loop rate'.padStart(14)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} │ stored = acknowledged`);
  for (const r of reports) {
    log(
      `${r.name.padEnd(10)} ${fmt(r.closed.rps, 0).padStart(8)} ${fmt(r.closed.p50).padStart(8)} ${fmt(r.closed.p99).padStart(8)} │ ${fmt(r.open?.targetRate ?? NaN, 0).padStart(14)} ${fmt(r.open?.p50 ?? NaN).padStart(8)} ${fmt(r.open?.p99 ?? NaN).padStart(8)} │ ${r.check.ok ? 'yes' : 'NO'}`,
    );
  }
  const base = reports.find((r) => r.name === 'baseline');
  const ing = reports.find((r) => r.name === 'ingester');
  if (base && ing) {
    const ratio = ing.closed.rps / base.closed.rps;
    log(`ratio ingester/baseline: ${fmt(ratio, 2)} (target ≥ 0.5, stretch 0.7: ${ratio >= 0.7 ? 'stretch met' : ratio >= 0.5 ? 'met' : 'MISSED'})`);
  }
  if (ing?.open) {
    const openOk = ing.open.p99 <= 50 && ing.open.ok === ing.open.sent;
    log(`ingester p99 at half the baseline's rate: ${fmt(ing.open.p99)} ms (target ≤ 50 ms: ${openOk ? 'met' : 'MISSED'})`);
  }
  if (ing?.openOwn) {
    log(`ingester at half its own rate (${fmt(ing.openOwn.targetRate ?? NaN, 0)}/s): p50 ${fmt(ing.openOwn.p50)} ms, p99 ${fmt(ing.openOwn.p99)} ms`);
  }
  void opts;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:ingest failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
