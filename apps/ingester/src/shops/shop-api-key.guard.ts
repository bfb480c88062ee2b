import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { ShopsService } from './shops.service';
import type { Shop } from './shop';

export interface ShopRequest extends Request {
  shop: Shop;
}

/** Checkout API: `Authorization: Bearer <shop API key>` identifies the shop. */
@Injectable()
export class ShopApiKeyGuard implements CanActivate {
  constructor(private readonly shops: ShopsService) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<ShopRequest>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const shop = match ? this.shops.byApiKey(match[1]) : undefined;
    if (!shop) throw new UnauthorizedException('a valid shop API key is required (Authorization: Bearer <key>)');
    req.shop = shop;
    return true;
  }
}
