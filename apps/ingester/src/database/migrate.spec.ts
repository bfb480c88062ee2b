import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { createDataSource } from './data-source';
import { MIGRATIONS } from './migrations';
import { MIGRATION_LOCK_KEY, runMigrations } from './migrate';

describe('runMigrations', () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];

  const connect = async () => {
    const dataSource = createDataSource({ url: database.url, poolSize: 2 });
    dataSources.push(dataSource);
    return dataSource.initialize();
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await database?.drop();
  });

  it('lets concurrent runners migrate an empty database once, one after the other', async () => {
    const [a, b, c] = await Promise.all([connect(), connect(), connect()]);
    const results = await Promise.all([runMigrations(a), runMigrations(b), runMigrations(c)]);

    const names = MIGRATIONS.map((migration) => migration.name);
    expect(results.flat()).toEqual(names); // every migration applied exactly once, by one runner
    expect(results.filter((applied) => applied.length === 0)).toHaveLength(2);

    const rows: { name: string }[] = await a.query('SELECT name FROM typeorm_migrations ORDER BY id');
    expect(rows.map((row) => row.name)).toEqual(names);
  });

  it('is idempotent and releases the lock', async () => {
    const dataSource = await connect();
    expect(await runMigrations(dataSource)).toEqual([]);
    const locks: unknown[] = await dataSource.query(
      `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND ((classid::bigint << 32) | objid::bigint) = $1`,
      [MIGRATION_LOCK_KEY],
    );
    expect(locks).toEqual([]);
  });
});
