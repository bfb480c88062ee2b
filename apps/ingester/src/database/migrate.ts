import { MigrationExecutor, type DataSource } from 'typeorm';

/** Fixed pg_advisory_lock key taken by whoever runs migrations (any replica, `main.js migrate`, tests). */
export const MIGRATION_LOCK_KEY = 7_405_338_001;

/**
 * Runs pending migrations while holding a session-level advisory lock, so replicas starting together
 * migrate one after another: the first applies them, the others find nothing pending. Lock, migrations
 * and unlock share one connection; the lock also ends with that connection if the process dies.
 * Returns the names of the migrations applied.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'all';
      const applied = await executor.executePendingMigrations();
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
