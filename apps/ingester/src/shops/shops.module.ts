import { Global, Module } from '@nestjs/common';
import { loadShops } from './shops.config';
import { ShopsService } from './shops.service';
import { ShopApiKeyGuard } from './shop-api-key.guard';

@Global()
@Module({
  providers: [{ provide: ShopsService, useFactory: () => new ShopsService(loadShops()) }, ShopApiKeyGuard],
  exports: [ShopsService, ShopApiKeyGuard],
})
export class ShopsModule {}
