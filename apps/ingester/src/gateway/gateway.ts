import { Inject, Injectable } from '@nestjs/common';
import {
  QentaClient,
  type DataStorageInitParams,
  type DataStorageInitResponse,
  type DataStorageReadResponse,
  type FrontendInitParams,
  type FrontendInitResponse,
  type GatewayResult,
} from '@seamless-ops/qenta';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { Metrics } from '../observability/metrics';
import type { Shop } from '../shops/shop';

/** Label values of `seamless_gateway_calls_total{operation}` and `seamless_gateway_call_seconds{operation}`. */
export type GatewayOperation = 'dataStorage.init' | 'dataStorage.read' | 'frontend.init' | (string & {});

/** `result` label: the three outcomes of a {@link GatewayResult}. */
export function resultLabel(result: GatewayResult<unknown>): 'ok' | 'declined' | 'unknown' {
  return result.outcome === 'success' ? 'ok' : result.outcome;
}

/**
 * The gateway as the ingester sees it: one {@link QentaClient} per configured shop (the client signs with the
 * shop's credentials, so it cannot be shared), all on `config.gateway` (base URL, per-call timeout), and every
 * call counted and timed per operation and result. Never throws for gateway trouble (see GatewayResult).
 */
@Injectable()
export class Gateway {
  private readonly clients = new Map<string, QentaClient>();

  constructor(
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
    private readonly metrics: Metrics,
  ) {}

  /** The shop's client (created once); for operations without a shortcut here, wrap calls in {@link measure}. */
  client(shop: Shop): QentaClient {
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
        },
      });
      this.clients.set(shop.id, client);
    }
    return client;
  }

  dataStorageInit(shop: Shop, params: DataStorageInitParams): Promise<GatewayResult<DataStorageInitResponse>> {
    return this.measure('dataStorage.init', () => this.client(shop).dataStorageInit(params));
  }

  dataStorageRead(shop: Shop, storageId: string): Promise<GatewayResult<DataStorageReadResponse>> {
    return this.measure('dataStorage.read', () => this.client(shop).dataStorageRead(storageId));
  }

  frontendInit(shop: Shop, params: FrontendInitParams): Promise<GatewayResult<FrontendInitResponse>> {
    return this.measure('frontend.init', () => this.client(shop).frontendInit(params));
  }

  /** Runs one gateway call and records `gatewayCalls{operation,result}` and `gatewaySeconds{operation}`. */
  async measure<T>(operation: GatewayOperation, call: () => Promise<GatewayResult<T>>): Promise<GatewayResult<T>> {
    const stop = this.metrics.gatewaySeconds.startTimer({ operation });
    const result = await call();
    stop();
    this.metrics.gatewayCalls.inc({ operation, result: resultLabel(result) });
    return result;
  }
}
