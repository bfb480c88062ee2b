import { Module } from '@nestjs/common';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsService } from './alerts/alerts.service';
import { FunnelController } from './funnel/funnel.controller';
import { FunnelService } from './funnel/funnel.service';
import { MismatchesController } from './mismatches/mismatches.controller';
import { MismatchesService } from './mismatches/mismatches.service';
import { PaymentsController } from './payments/payments.controller';
import { PaymentsService } from './payments/payments.service';
import { PendingController } from './pending/pending.controller';
import { PendingService } from './pending/pending.service';
import { SecurityEventsController } from './security/security-events.controller';
import { SecurityEventsService } from './security/security-events.service';
import { ExpiredStoragesController } from './storages/expired-storages.controller';
import { ExpiredStoragesService } from './storages/expired-storages.service';

/**
 * The operator API (ARCHITECTURE §4, §6): read-only views over the projections and the funnel rollup, under
 * the global operator guard (src/auth), every query limited to the operator's shops.
 */
@Module({
  controllers: [
    FunnelController,
    PaymentsController,
    PendingController,
    ExpiredStoragesController,
    MismatchesController,
    SecurityEventsController,
    AlertsController,
  ],
  providers: [FunnelService, PaymentsService, PendingService, ExpiredStoragesService, MismatchesService, SecurityEventsService, AlertsService],
})
export class OpsModule {}
