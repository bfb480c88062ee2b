import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { EventStore } from '../events/event-store';
import { expireDueStorages } from './storage-lifecycle';

/** pg_try_advisory_xact_lock key of the sweeper: one replica sweeps at a time. */
export const STORAGE_SWEEP_LOCK_KEY = 7_405_338_201;
export const STORAGE_SWEEP_INTERVAL_MS = 30_000;
/** Storages expired per transaction. */
export const STORAGE_SWEEP_BATCH = 500;
/** Upper bound of batches per tick, so one tick ends even if storages expire faster than it sweeps. */
const MAX_BATCHES_PER_TICK = 40;

export interface SweepResult {
  /** False when another sweeper held the lock: this tick did nothing. */
  locked: boolean;
  expired: number;
}

/**
 * Marks storages expired 30 minutes after their last access (ARCHITECTURE §1 step 7): every 30 s when jobs are
 * enabled; tests call {@link sweep} with the time they want. Each batch is one transaction under
 * `pg_try_advisory_xact_lock`, so any number of replicas can run it; a tick that does not get the lock is skipped.
 */
@Injectable()
export class StorageSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  static readonly JOB = 'storage-sweeper';
  private readonly logger = new Logger('StorageSweeper');
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly events: EventStore,
    private readonly scheduler: SchedulerRegistry,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) return;
    this.scheduler.addInterval(StorageSweeper.JOB, setInterval(() => this.tick(), STORAGE_SWEEP_INTERVAL_MS));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.scheduler.doesExist('interval', StorageSweeper.JOB)) this.scheduler.deleteInterval(StorageSweeper.JOB);
    await this.running;
  }

  /** One scheduled tick; skipped while the previous one still runs. Never throws. */
  private tick(): void {
    if (this.running) return;
    this.running = this.sweep()
      .then((r) => {
        if (r.expired) this.logger.log(`${r.expired} storage(s) expired`);
      })
      .catch((error: unknown) => this.logger.error(`storage sweep failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.running = undefined));
  }

  /** Expires every storage whose lifetime ended before `now`, batch by batch, while this caller holds the lock. */
  async sweep(now: Date = new Date()): Promise<SweepResult> {
    let expired = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_TICK; batch++) {
      const result = await this.events.transaction(async (tx) => {
        const [lock] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [STORAGE_SWEEP_LOCK_KEY]);
        if (!lock?.locked) return undefined;
        return expireDueStorages(tx, { now, limit: STORAGE_SWEEP_BATCH });
      });
      if (result === undefined) return { locked: batch > 0, expired };
      expired += result;
      if (result < STORAGE_SWEEP_BATCH) break;
    }
    return { locked: true, expired };
  }
}
