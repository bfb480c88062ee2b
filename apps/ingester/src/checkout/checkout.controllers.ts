import { Controller, Get, Header, HttpCode, Param, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import type { InitPaymentResponse, InitStorageResponse, PaymentStatusResponse, StorageStatusResponse } from '@seamless-ops/contracts';
import { ShopApiKeyGuard, type ShopRequest } from '../shops/shop-api-key.guard';
import { CheckoutExceptionFilter } from './api-error';
import { CheckoutEventsService } from './checkout-events.service';
import { readJsonBody } from './json-body';
import { PaymentInitService } from './payment-init.service';
import { StorageCheckoutService } from './storage-checkout.service';

// The shop-facing checkout API (ARCHITECTURE §6): `Authorization: Bearer <shop API key>`, JSON, ApiError on failure.

@Controller('api/checkout/storages')
@UseGuards(ShopApiKeyGuard)
@UseFilters(CheckoutExceptionFilter)
export class StoragesController {
  constructor(private readonly storages: StorageCheckoutService) {}

  @Post()
  @HttpCode(201)
  init(@Req() req: ShopRequest): Promise<InitStorageResponse> {
    return this.storages.init(req.shop, readJsonBody(req));
  }

  @Get(':storageId')
  @Header('Cache-Control', 'no-store')
  status(@Req() req: ShopRequest, @Param('storageId') storageId: string): Promise<StorageStatusResponse> {
    return this.storages.status(req.shop, storageId);
  }
}

@Controller('api/checkout/payments')
@UseGuards(ShopApiKeyGuard)
@UseFilters(CheckoutExceptionFilter)
export class PaymentsController {
  constructor(private readonly payments: PaymentInitService) {}

  @Post()
  @HttpCode(201)
  init(@Req() req: ShopRequest): Promise<InitPaymentResponse> {
    return this.payments.init(req.shop, readJsonBody(req));
  }

  @Get(':paymentId')
  @Header('Cache-Control', 'no-store')
  status(@Req() req: ShopRequest, @Param('paymentId') paymentId: string): Promise<PaymentStatusResponse> {
    return this.payments.status(req.shop, paymentId);
  }
}

@Controller('api/checkout/events')
@UseGuards(ShopApiKeyGuard)
@UseFilters(CheckoutExceptionFilter)
export class CheckoutEventsController {
  constructor(private readonly events: CheckoutEventsService) {}

  @Post()
  @HttpCode(202)
  record(@Req() req: ShopRequest): Promise<void> {
    return this.events.record(req.shop, readJsonBody(req));
  }
}
