import type { DataSource, QueryRunner } from 'typeorm';

/** pg_try_advisory_xact_lock keys of the gateway jobs (the storage sweeper uses 7_405_338_201). */
export const GATEWAY_RECONCILIATION_LOCK_KEY = 7_405_338_301;
export const PENDING_JANITOR_LOCK_KEY = 7_405_338_302;

export interface TickLock {
  /** Throws when the connection holding the lock is gone (then the lock is gone too: stop the tick). */
  confirm(): Promise<void>;
}

export type LockedTick<T> = { locked: false } | { locked: true; result: T };

/**
 * A tick holds one pooled connection for the lock and needs another for its work; with fewer than this many in the
 * pool (DB_POOL_SIZE) a tick could wait for itself, so the jobs are not scheduled.
 */
export const MIN_POOL_FOR_JOBS = 3;

/**
 * One tick of a scheduled job under `pg_try_advisory_xact_lock` (ARCHITECTURE §5): a dedicated connection opens
 * a transaction, tries the lock and keeps the transaction open while `work` runs, then commits, which releases
 * the lock (so does the connection ending, if the process dies). Another replica's tick finds the lock taken and
 * does nothing. The work itself runs in its own short transactions on other connections: the gateway calls
 * between them are slow, and no row lock or snapshot is held across them (the lock transaction only ran one
 * statement at READ COMMITTED, so it pins nothing).
 */
export async function withTickLock<T>(dataSource: DataSource, key: number, work: (lock: TickLock) => Promise<T>): Promise<LockedTick<T>> {
  const runner: QueryRunner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const [row] = (await runner.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [key])) as { locked: boolean }[];
    if (!row?.locked) {
      await runner.rollbackTransaction();
      return { locked: false };
    }
    try {
      const result = await work({ confirm: async () => void (await runner.query('SELECT 1')) });
      await runner.commitTransaction();
      return { locked: true, result };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  } finally {
    await runner.release();
  }
}
