import { Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { ReturnService } from './return.service';

@Injectable()
export class ReturnWatchJob {
  private readonly logger = new Logger(ReturnWatchJob.name);

  constructor(
    private readonly returns: ReturnService,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {}

  @Interval(60_000)
  async tick(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    try {
      const flagged = await this.returns.flagReturnsWithoutConfirmation();
      if (flagged) this.logger.warn(`${flagged} return(s) without confirmation flagged`);
    } catch (error) {
      this.logger.error(`return watch failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
