import { fork } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedPostgresScript, startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { freePort, withClient } from './postgres-server';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};
const postmasterPid = (dataDir: string) => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

// The ingester's own server when DATABASE_URL is unset: a persistent data directory, survives restarts.
describe('embedded PostgreSQL', () => {
  const root = mkdtempSync(join(tmpdir(), 'seamless-ops-embedded-'));
  chmodSync(root, 0o755);
  const dataDir = join(root, 'pg');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('initialises once, keeps data across restarts, and stops a server orphaned by a killed child', async () => {
    const port = await freePort();
    const options = { dataDir, port, database: 'seamless_ops' };

    // A child killed with SIGKILL cannot stop its server: the server keeps running on the data directory.
    const child = fork(embeddedPostgresScript(), [JSON.stringify(options)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message: { type: string; url?: string; message?: string }) =>
        message.url ? resolve(message.url) : reject(new Error(message.message)),
      );
    });
    await withClient(url, (client) => client.query(`CREATE TABLE kept AS SELECT 'before' AS value`));
    const orphan = postmasterPid(dataDir);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(alive(orphan)).toBe(true);

    // The next start finds the orphan through postmaster.pid, stops it, and reuses the data (no initdb).
    const server = await startEmbeddedPostgres(options);
    expect(alive(orphan)).toBe(false);
    const rows = await withClient(server.url, (client) => client.query<{ value: string }>('SELECT value FROM kept'));
    expect(rows.rows).toEqual([{ value: 'before' }]);

    const restarted = postmasterPid(dataDir);
    await server.stop();
    expect(alive(restarted)).toBe(false);
    expect(existsSync(join(dataDir, 'postmaster.pid'))).toBe(false);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    await server.stop(); // a second stop is harmless
  });

  it('refuses a data directory that a running server of another process uses, and leaves that server alone', async () => {
    const dir = join(root, 'shared');
    const first = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'postgres' });
    try {
      await expect(startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'postgres' })).rejects.toThrow(
        /is in use by another running process/,
      );
      await withClient(first.url, (client) => client.query('SELECT 1'));
    } finally {
      await first.stop();
    }
  });

  it('reports a port that is already taken', async () => {
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir: join(root, 'first'), port, database: 'postgres', throwaway: true });
    try {
      await expect(startEmbeddedPostgres({ dataDir: join(root, 'second'), port, database: 'postgres', throwaway: true })).rejects.toThrow(
        /did not start on 127\.0\.0\.1:\d+ \(set EMBEDDED_PG_PORT/,
      );
    } finally {
      await first.stop();
    }
  });
});
