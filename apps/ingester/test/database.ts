import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabase, dropDatabases } from './postgres-server';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file (or test): a copy of the run's migrated template by default, or an
 * empty one (`{ migrated: false }`) for tests that run migrations themselves. Global teardown drops any
 * copy left behind.
 */
export async function createTestDatabase({ migrated = true }: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = inject('databaseServerUrl');
  const template = inject('templateDatabase');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(serverUrl, name, migrated ? template : 'template0');
  return { name, url, drop: () => dropDatabases(serverUrl, [name]) };
}
