import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { createDataSource } from '../src/database/data-source';
import { runMigrations } from '../src/database/migrate';
import { createDatabase, dropDatabases, startPostgresServer, withClient } from './postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance URL of the test server (DATABASE_URL's server, or the throwaway embedded one). */
    databaseServerUrl: string;
    /** A database migrated once for this run; tests copy it (test/database.ts). */
    templateDatabase: string;
  }
}

/**
 * Once per run: a PostgreSQL server, a run-specific database `seamless_ops_test_<random>` with every
 * migration applied, used as the template of each test's database. Teardown drops the template and every
 * copy (their names start with the template's) and stops the embedded server if one was started.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgresServer();
  const template = `seamless_ops_test_${randomBytes(4).toString('hex')}`;
  try {
    const dataSource = createDataSource({ url: await createDatabase(server.url, template), poolSize: 1 });
    await dataSource.initialize();
    try {
      await runMigrations(dataSource);
    } finally {
      await dataSource.destroy(); // CREATE DATABASE … TEMPLATE needs the template without connections
    }
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('databaseServerUrl', server.url);
  project.provide('templateDatabase', template);
  return teardown;

  async function teardown(): Promise<void> {
    try {
      const { rows } = await withClient(server.url, (client) =>
        client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [template]),
      );
      await dropDatabases(server.url, rows.map((row) => row.datname));
    } finally {
      await server.stop();
    }
  }
}
