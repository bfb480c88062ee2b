import { Module } from '@nestjs/common';
import { CheckoutEventsController, PaymentsController, StoragesController } from './checkout.controllers';
import { CheckoutEventsService } from './checkout-events.service';
import { PaymentInitService } from './payment-init.service';
import { StorageCheckoutService } from './storage-checkout.service';

/** The shop-facing checkout API: data storages, payments, funnel steps (uses the global GatewayModule). */
@Module({
  controllers: [StoragesController, PaymentsController, CheckoutEventsController],
  providers: [StorageCheckoutService, PaymentInitService, CheckoutEventsService],
})
export class CheckoutModule {}
