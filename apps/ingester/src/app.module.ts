import { DynamicModule, Module } from '@nestjs/common';
import type { IngesterConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';
import { ShopsModule } from './shops/shops.module';
import { EventsModule } from './events/events.module';
import { ScheduleModule } from '@nestjs/schedule';
import { ConfirmationModule } from './confirmation/confirmation.module';
import { ReturnsModule } from './returns/returns.module';
import { NotificationsModule } from './notifications/notifications.module';
import { GatewayModule } from './gateway/gateway.module';
import { CheckoutModule } from './checkout/checkout.module';
import { StoragesModule } from './storages/storages.module';
import { AuthModule } from './auth/auth.module';
import { OpsModule } from './ops/ops.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { AlertsModule } from './alerts/alerts.module';

@Module({})
export class AppModule {
  static forRoot(config: IngesterConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot({ url: databaseUrl, poolSize: config.database.poolSize }),
        HealthModule,
        ObservabilityModule,
        ShopsModule,
        EventsModule,
        ScheduleModule.forRoot(),
        ConfirmationModule,
        ReturnsModule,
        NotificationsModule,
        GatewayModule,
        CheckoutModule,
        StoragesModule,
        AuthModule,
        OpsModule,
        ReconciliationModule,
        AlertsModule,
      ],
    };
  }
}
