import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { changedChecks } from '../../test/schema-drift';
import { createDataSource } from './data-source';

const HOW_TO_FIX =
  'The entities and the migrations disagree. Generate a migration: ' +
  'SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register apps/ingester/scripts/generate-migration.ts <Name>';

// The database here was built by the checked-in migrations only (a copy of the run's template).
describe('schema drift', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await createDataSource({ url: database.url, poolSize: 2 }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('the migrations build the tables, columns, indexes and constraints the entities describe', async () => {
    const { upQueries } = await dataSource.driver.createSchemaBuilder().log();
    expect(upQueries.map((q) => q.query), HOW_TO_FIX).toEqual([]);
  });

  it('every CHECK constraint has the expression its entity declares', async () => {
    expect(await changedChecks(dataSource), HOW_TO_FIX).toEqual([]);
  });
});
