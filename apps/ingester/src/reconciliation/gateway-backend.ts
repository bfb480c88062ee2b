import { Inject, Injectable } from '@nestjs/common';
import { QentaClient, type GatewayResult, type GetOrderDetailsResponse } from '@seamless-ops/qenta';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { Gateway } from '../gateway/gateway';
import type { Shop } from '../shops/shop';
import { RateLimiter } from './rate-limiter';

/** `seamless_gateway_calls_total{operation}` label of the back-end order lookups. */
export const GET_ORDER_DETAILS_OPERATION = 'backend.getOrderDetails';

/**
 * The gateway's back-end operations (PROTOCOL.md §9) for the gateway checks. The shared {@link Gateway} signs
 * without the back-end password (the checkout never needs it), so this keeps one client per shop with it, on the
 * same base URL and timeout, and counts every call through Gateway.measure like every other gateway call.
 */
@Injectable()
export class GatewayBackend {
  private readonly clients = new Map<string, QentaClient>();

  constructor(
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
    private readonly gateway: Gateway,
  ) {}

  /** Whether the gateway can be asked about this shop's orders at all. */
  canAsk(shop: Shop): boolean {
    return shop.backendPassword !== '';
  }

  getOrderDetails(shop: Shop, orderNumber: string): Promise<GatewayResult<GetOrderDetailsResponse>> {
    return this.gateway.measure(GET_ORDER_DETAILS_OPERATION, () => this.client(shop).getOrderDetails(orderNumber, shop.language));
  }

  private client(shop: Shop): QentaClient {
    let client = this.clients.get(shop.id);
    if (!client) {
      client = new QentaClient({
        baseUrl: this.config.gateway.baseUrl,
        timeoutMs: this.config.gateway.timeoutMs,
        credentials: {
          customerId: shop.customerId,
          ...(shop.gatewayShopId ? { shopId: shop.gatewayShopId } : {}),
          secret: shop.secret,
          algorithm: shop.fingerprintAlgorithm,
          password: shop.backendPassword,
        },
      });
      this.clients.set(shop.id, client);
    }
    return client;
  }
}

/**
 * The process's limiter of back-end calls (RECONCILIATION_CALLS_PER_SECOND), shared by gateway reconciliation and
 * the janitor so that together they stay within the rate.
 */
@Injectable()
export class GatewayCallLimiter extends RateLimiter {
  constructor(@Inject(INGESTER_CONFIG) config: IngesterConfig) {
    super(config.reconciliation.callsPerSecond);
  }
}
