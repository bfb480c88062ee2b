import type { FingerprintAlgorithm } from '@seamless-ops/qenta';
import type { ReturnOutcome } from '@seamless-ops/contracts';

/** One merchant shop at the gateway, as configured. Secrets live only here, never in the database or logs. */
export interface Shop {
  /** Our key for the shop (`shop_id` in every table). */
  id: string;
  name: string;
  customerId: string;
  /** The gateway's shopId; empty when the account has none. */
  gatewayShopId: string;
  secret: string;
  backendPassword: string;
  fingerprintAlgorithm: FingerprintAlgorithm;
  /** Bearer key the shop's server uses for the checkout API. */
  apiKey: string;
  /** Where the consumer lands after paying, per outcome. */
  returnUrls: Record<ReturnOutcome, string>;
  /** Contact page shown by the gateway. */
  serviceUrl: string;
  /** CORS fallback page for the data-storage JavaScript (PROTOCOL.md §5.4). */
  storageReturnUrl: string;
  notificationUrl: string | null;
  notificationSecret: string | null;
  /** IANA zone for day boundaries in reports. */
  timeZone: string;
  language: string;
}

/** What may be shown or logged about a shop. */
export function publicShop(shop: Shop): Pick<Shop, 'id' | 'name' | 'customerId' | 'gatewayShopId' | 'timeZone'> {
  return { id: shop.id, name: shop.name, customerId: shop.customerId, gatewayShopId: shop.gatewayShopId, timeZone: shop.timeZone };
}
