import { Module } from '@nestjs/common';
import { DEFAULT_NOTIFICATION_OPTIONS, NOTIFICATION_OPTIONS } from './notification-options';
import { NotificationsJob } from './notifications.job';
import { NotificationsService } from './notifications.service';

/**
 * Signed outbound notifications to shops, from the outbox (see notifications.service.ts and README.md). The
 * job needs the SchedulerRegistry of ScheduleModule.forRoot(), which AppModule imports.
 */
@Module({
  providers: [{ provide: NOTIFICATION_OPTIONS, useValue: DEFAULT_NOTIFICATION_OPTIONS }, NotificationsService, NotificationsJob],
  exports: [NotificationsService],
})
export class NotificationsModule {}
