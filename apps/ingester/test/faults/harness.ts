import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeForm } from '@seamless-ops/qenta';
import { findRepoRoot } from '../../src/config/repo-root';
import { createDataSource } from '../../src/database/data-source';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { signedConfirmation } from '../confirmation-fixtures';
import { freePort, withClient } from '../postgres-server';

// The fault suite's building blocks: a PostgreSQL server each test owns (embedded, in a child process — never
// the machine's shared server), the built ingester bundle as a separate process, and a load driver that keeps
// a record of every request and its answer. Only loopback addresses; every loop is bounded in count and time.

export const REPO_ROOT = findRepoRoot();
export const BUNDLE = join(REPO_ROOT, 'dist/apps/ingester/main.js');
const LOG_DIR = join(REPO_ROOT, 'tmp/faults');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL

export interface OwnPostgres {
  /** URL of the database `seamless_ops` (migrated). */
  url: string;
  port: number;
  stop(): Promise<void>;
  /** Starts the server again on the same port and data directory (after stop). */
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  destroy(): Promise<void>;
}

/**
 * An embedded PostgreSQL for one test file, with the schema migrated. `durable` keeps PostgreSQL's default
 * crash safety (fsync, synchronous_commit) and lets the server be stopped and started again on its data.
 */
export async function startOwnPostgres({ durable = false }: { durable?: boolean } = {}): Promise<OwnPostgres> {
  const root = mkdtempSync(join(tmpdir(), 'seamless-ops-faults-pg-'));
  chmodSync(root, 0o755); // as root the server runs as OS user postgres, which must enter this directory
  const port = await freePort();
  const options = { dataDir: join(root, 'data'), port, database: 'seamless_ops', throwaway: !durable };
  let server: EmbeddedPostgres | undefined = await startEmbeddedPostgres(options);
  const url = server.url;
  const dataSource = createDataSource({ url, poolSize: 1 });
  await dataSource.initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  return {
    url,
    port,
    stop: async () => {
      await server?.stop();
      server = undefined;
    },
    start: async () => {
      if (!durable) throw new Error('only a durable server can be started again');
      server ??= await startEmbeddedPostgres(options);
    },
    destroy: async () => {
      await server?.stop().catch(() => undefined);
      server = undefined;
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  return withClient(url, async (c) => (await c.query(text, params)).rows as T[]);
}

export interface Payment {
  id: string;
  amount: string;
}

/** `count` payments in INITIATED for the demo shop, as the checkout API leaves them (row + payment.initiated). */
export async function seedPayments(url: string, count: number): Promise<Payment[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ id: string; amount: string }>(
      `INSERT INTO payments (id, shop_id, order_ident, payment_type, amount, currency, state, initiated_at)
       SELECT gen_random_uuid(), 'demo', 'f' || g || '-' || $2::text, 'CCARD', '10.00', 'EUR', 'INITIATED', now()
       FROM generate_series(1, $1::int) g
       RETURNING id, amount::text AS amount`,
      [count, randomUUID().slice(0, 8)],
    );
    const ids = rows.map((r) => r.id);
    await c.query(
      `INSERT INTO checkout_events (occurred_at, kind, source, shop_id, payment_id, order_ident, payment_state, amount, currency, payment_type)
       SELECT now(), 'payment.initiated', 'shop', shop_id, id, order_ident, 'INITIATED', amount, currency, payment_type
       FROM payments WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows;
  });
}

/** A SUCCESS confirmation for the payment, signed with the demo secret, form-encoded. */
export function confirmationBody(payment: Payment): string {
  return encodeForm(signedConfirmation(payment.id, 'SUCCESS', { amount: payment.amount }));
}

/** confirmation.received events per payment id (a payment stored twice would show 2). */
export async function receivedCounts(url: string): Promise<Map<string, number>> {
  const rows = await sql<{ payment_id: string; n: string }>(
    url,
    `SELECT payment_id, count(*) AS n FROM checkout_events WHERE kind = 'confirmation.received' GROUP BY payment_id`,
  );
  return new Map(rows.map((r) => [r.payment_id, Number(r.n)]));
}

// ---------------------------------------------------------------------------------------------------------------
// The ingester, built (see global-setup.ts), as its own process

export interface IngesterProcess {
  name: string;
  pid: number;
  port: number;
  baseUrl: string;
  child: ChildProcess;
  /** Its stdout and stderr (JSON log lines), in a file under tmp/faults. */
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  kill(signal: NodeJS.Signals): Promise<void>;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
  logLines(): string[];
}

export async function startIngester(name: string, env: Record<string, string>, port?: number): Promise<IngesterProcess> {
  mkdirSync(LOG_DIR, { recursive: true });
  const usePort = port ?? (await freePort());
  const logFile = join(LOG_DIR, `${name}-${usePort}-${Date.now()}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [BUNDLE], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/root',
      PORT: String(usePort),
      HOST: '127.0.0.1',
      JOBS: 'off',
      LOG_LEVEL: 'warn',
      DB_POOL_SIZE: '10',
      ...env,
    },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const baseUrl = `http://127.0.0.1:${usePort}`;
  const alive = () => child.exitCode === null && child.signalCode === null;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (!alive()) throw new Error(`${name} exited before it was ready:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within 60 s:\n${tail(logFile)}`);
    }
    await sleep(100);
  }
  const kill = async (signal: NodeJS.Signals) => {
    if (!alive()) return;
    child.kill(signal);
    await exited;
  };
  return {
    name,
    pid: child.pid ?? 0,
    port: usePort,
    baseUrl,
    child,
    logFile,
    exited,
    alive,
    kill,
    stop: async () => {
      if (!alive()) return;
      child.kill('SIGTERM');
      const timedOut = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
      if (timedOut) await kill('SIGKILL');
    },
    logLines: () => readLines(logFile),
  };
}

function readLines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

function tail(file: string): string {
  return readLines(file).slice(-20).join('\n');
}

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

// ---------------------------------------------------------------------------------------------------------------
// Load with a record of every answer

export interface Attempt {
  /** Index of the body in the load's list. */
  index: number;
  /** HTTP status, or 0 when the request failed (connection refused or reset, timeout). */
  status: number;
  /** Answered 200 with the OK confirmation response. */
  ok: boolean;
  startedAt: number;
  ms: number;
}

export interface LoadOptions {
  baseUrl: string | (() => string);
  bodies: readonly string[];
  concurrency: number;
  /** Give up a request after this long (status 0). */
  timeoutMs?: number;
  /** Send a body again after an answer other than OK, as the gateway retries (at most this many attempts per body). */
  maxAttempts?: number;
  /** Pause between attempts of one worker after a failure, so a refused connection does not spin. */
  backoffMs?: number;
  /** Stop starting requests after this (bounded in time whatever happens). */
  deadlineMs: number;
  /** Stop starting requests once this returns true. */
  stopWhen?: () => boolean;
  contentType?: string;
  /** Workers start spread over this long instead of all at once (opening hundreds of connections in one tick). */
  rampMs?: number;
}

export interface LoadRun {
  attempts: Attempt[];
  /** Body indices answered OK at least once. */
  acknowledged: Set<number>;
  /** Resolves when every worker has finished. */
  done: Promise<void>;
  stop(): void;
}

/** Workers take bodies in order; a body not answered OK goes back to the queue until maxAttempts. */
export function startLoad(options: LoadOptions): LoadRun {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const attempts: Attempt[] = [];
  const acknowledged = new Set<number>();
  const queue: number[] = options.bodies.map((_, i) => i);
  const tries = new Map<number, number>();
  const maxAttempts = options.maxAttempts ?? 1;
  const started = Date.now();
  let stopped = false;
  let inFlight = 0;
  const shouldStop = () => stopped || Date.now() - started > options.deadlineMs || (options.stopWhen?.() ?? false);

  const worker = async (_: unknown, k: number) => {
    if (options.rampMs) await sleep((k * options.rampMs) / options.concurrency);
    while (!shouldStop()) {
      const index = queue.shift();
      if (index === undefined) {
        if (inFlight === 0) return; // nothing left, and nothing in flight that could come back for a retry
        await sleep(20);
        continue;
      }
      tries.set(index, (tries.get(index) ?? 0) + 1);
      inFlight++;
      const base = typeof options.baseUrl === 'function' ? options.baseUrl() : options.baseUrl;
      const attempt = await post(agent, base, options.bodies[index], options.timeoutMs ?? 10_000, options.contentType, `load-${index}-${tries.get(index)}`);
      inFlight--;
      attempts.push({ index, ...attempt });
      if (attempt.ok) acknowledged.add(index);
      else if ((tries.get(index) ?? 0) < maxAttempts) {
        queue.push(index);
        if (options.backoffMs) await sleep(options.backoffMs);
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.concurrency }, worker)).then(() => agent.destroy());
  return {
    attempts,
    acknowledged,
    done,
    stop: () => {
      stopped = true;
    },
  };
}

const OK_RESPONSE = '<QPAY-CONFIRMATION-RESPONSE result="OK" />';

/** One POST /qenta/confirm; never throws. */
export function post(
  agent: Agent,
  baseUrl: string,
  body: string | Buffer,
  timeoutMs: number,
  contentType = 'application/x-www-form-urlencoded',
  /** Sent as X-Request-Id, which the ingester's request log carries: a request can be found in its log. */
  requestId?: string,
): Promise<{ status: number; ok: boolean; startedAt: number; ms: number; text: string }> {
  const url = new URL(baseUrl);
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (status: number, text: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, ok: status === 200 && text.trim() === OK_RESPONSE, startedAt, ms: Date.now() - startedAt, text });
    };
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/qenta/confirm',
        headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...(requestId ? { 'x-request-id': requestId } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => finish(res.statusCode ?? 0, text));
        res.on('error', () => finish(0, ''));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish(0, '');
    }, timeoutMs);
    req.on('error', () => finish(0, ''));
    req.end(body);
  });
}

/** GET a path; status 0 when it fails or takes longer than timeoutMs. */
export async function get(baseUrl: string, path: string, timeoutMs = 2_000): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  try {
    const res = await fetch(baseUrl + path, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return { status: res.status, ms: Date.now() - started };
  } catch {
    return { status: 0, ms: Date.now() - started };
  }
}
