import { Global, Module } from '@nestjs/common';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { ShopsService } from './shops.service';
import { ShopApiKeyGuard } from './shop-api-key.guard';

@Global()
@Module({
  providers: [
    { provide: ShopsService, inject: [INGESTER_CONFIG], useFactory: (config: IngesterConfig) => new ShopsService(config.shops) },
    ShopApiKeyGuard,
  ],
  exports: [ShopsService, ShopApiKeyGuard],
})
export class ShopsModule {}
