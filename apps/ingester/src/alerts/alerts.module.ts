import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { AlertNotifier } from './alert-notifier';
import { AlertRunner } from './alert-runner';

/**
 * Scheduled anomaly checks (alert-rules.ts) and the alert lifecycle: the runner (one per tick across replicas)
 * and the notifier, which sends alert notifications through the outbox worker of NotificationsModule. The
 * operator API over the alerts is in src/ops/alerts. Needs ScheduleModule.forRoot() (AppModule imports it).
 */
@Module({
  imports: [NotificationsModule],
  providers: [AlertRunner, AlertNotifier],
  exports: [AlertRunner, AlertNotifier],
})
export class AlertsModule {}
