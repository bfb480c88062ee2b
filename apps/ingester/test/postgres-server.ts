import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';

// A PostgreSQL server for tests and the migration generator: DATABASE_URL's server when set (CI runs
// PostgreSQL 15 there), otherwise a throwaway embedded server in a child process (never imported here:
// embedded-postgres's exit hook would end the test runner with status 0).

export interface PostgresServer {
  /** Connection URL of a maintenance database on the server (for CREATE/DROP DATABASE). */
  url: string;
  stop(): Promise<void>;
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const external = process.env.DATABASE_URL?.trim();
  if (external) return { url: external, stop: async () => undefined };

  const root = mkdtempSync(join(tmpdir(), 'seamless-ops-pg-'));
  chmodSync(root, 0o755); // as root the server runs as OS user postgres, which must enter this directory
  try {
    const server = await startEmbeddedPostgres({ dataDir: join(root, 'data'), port: await freePort(), database: 'postgres', throwaway: true });
    return {
      url: server.url,
      stop: async () => {
        await server.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

/** The same server URL pointing at another database. */
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

export async function createDatabase(serverUrl: string, name: string, template = 'template0'): Promise<string> {
  await withClient(serverUrl, (client) =>
    client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`),
  );
  return databaseUrl(serverUrl, name);
}

/** Drops databases even while connections remain (PostgreSQL 13+). */
export async function dropDatabases(serverUrl: string, names: string[]): Promise<void> {
  await withClient(serverUrl, async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
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
