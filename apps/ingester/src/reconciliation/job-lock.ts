import type { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';
import type { DataSource, QueryRunner } from 'typeorm';
import type { IngesterConfig } from '../config/config';

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

/**
 * The schedule of one gateway job (reconciliation, janitor): scheduled only with jobs on and a large enough pool,
 * one run at a time (a tick is skipped while the previous one still runs), never throwing, and stopped cleanly:
 * `stopping` tells a run in progress to end early, `stop()` waits for it.
 */
export class GatewayJobSchedule {
  private running: Promise<unknown> | undefined;
  stopping = false;

  constructor(
    /** The interval's name in the scheduler. */
    private readonly name: string,
    /** How log lines name the job, e.g. `pending janitor`. */
    private readonly label: string,
    private readonly scheduler: SchedulerRegistry,
    private readonly logger: Logger,
  ) {}

  /** False when not scheduled (jobs off, or a pool too small — said in the log). */
  start(config: IngesterConfig, intervalSeconds: number, run: () => Promise<{ checked: number; outcomes: Record<string, number> }>): boolean {
    if (!config.jobs.enabled) return false;
    if (config.database.poolSize < MIN_POOL_FOR_JOBS) {
      this.logger.error(`not scheduled: needs DB_POOL_SIZE of at least ${MIN_POOL_FOR_JOBS} (one connection holds the tick's lock)`);
      return false;
    }
    const tick = (): void => {
      if (this.running) return;
      this.running = run()
        .then((r) => {
          if (r.checked) this.logger.log(`${this.label}: ${r.checked} checked ${JSON.stringify(r.outcomes)}`);
        })
        .catch((error: unknown) => this.logger.error(`${this.label} failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (this.running = undefined));
    };
    this.scheduler.addInterval(this.name, setInterval(tick, intervalSeconds * 1000));
    return true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', this.name)) this.scheduler.deleteInterval(this.name);
    await this.running;
  }
}
