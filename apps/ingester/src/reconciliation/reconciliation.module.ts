import { Module } from '@nestjs/common';
import { JanitorModule } from '../janitor/janitor.module';
import { DailyTotalsService } from './daily-totals.service';
import { GatewayCheckModule } from './gateway-check.module';
import { GatewayReconciliation } from './gateway-reconciliation';
import { ReconciliationController } from './reconciliation.controller';
import { ShopDirectory } from './shop-directory';

/**
 * Finance reconciliation (daily totals in JSON and CSV; the `reporting` views are in the migrations), gateway
 * reconciliation (scheduled getOrderDetails checks) and, through JanitorModule, the pending janitor.
 * See README.md in this folder.
 */
@Module({
  imports: [GatewayCheckModule, JanitorModule],
  controllers: [ReconciliationController],
  providers: [DailyTotalsService, ShopDirectory, GatewayReconciliation],
  exports: [GatewayReconciliation],
})
export class ReconciliationModule {}
