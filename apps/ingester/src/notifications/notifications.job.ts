import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { NOTIFICATION_OPTIONS, type NotificationOptions } from './notification-options';
import { NotificationsService } from './notifications.service';

const INTERVAL_NAME = 'notifications.outbox';

/**
 * Runs the outbox worker every `intervalMs` when background jobs are on (JOBS=on). No advisory lock: claiming
 * with FOR UPDATE SKIP LOCKED lets every replica work on different rows at once. Runs never overlap in one
 * process; shutdown waits for the run in progress (at most one HTTP timeout plus the recording).
 */
@Injectable()
export class NotificationsJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private running: Promise<void> | undefined;
  private stopping = false;
  private failing = false;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
    @Inject(NOTIFICATION_OPTIONS) private readonly options: NotificationOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) return;
    this.scheduler.addInterval(INTERVAL_NAME, setInterval(() => this.tick(), this.options.intervalMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', INTERVAL_NAME)) this.scheduler.deleteInterval(INTERVAL_NAME);
    await this.running;
  }

  private tick(): void {
    if (this.running || this.stopping) return;
    this.running = this.notifications
      .processDue()
      .then(
        () => {
          if (this.failing) this.logger.log('Outbox worker recovered');
          this.failing = false;
        },
        (error: unknown) => {
          // Logged once per streak: a database outage would otherwise log every second.
          if (!this.failing) this.logger.error(`Outbox worker failed (retrying every tick): ${error instanceof Error ? error.message : String(error)}`);
          this.failing = true;
        },
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
