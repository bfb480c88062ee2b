import { createHash, timingSafeEqual } from 'node:crypto';
import type { Shop } from './shop';

/** The configured shops; a lookup by API key compares digests in constant time. */
export class ShopsService {
  private readonly byId = new Map<string, Shop>();
  private readonly keyDigests: { digest: Buffer; shop: Shop }[];

  constructor(readonly shops: readonly Shop[]) {
    for (const s of shops) this.byId.set(s.id, s);
    this.keyDigests = shops.map((shop) => ({ digest: digest(shop.apiKey), shop }));
  }

  get(id: string): Shop | undefined {
    return this.byId.get(id);
  }

  byApiKey(key: string): Shop | undefined {
    const d = digest(key);
    let found: Shop | undefined;
    for (const k of this.keyDigests) if (timingSafeEqual(k.digest, d)) found = k.shop;
    return found;
  }

  /** The only shop when exactly one is configured (used to send an unidentifiable browser somewhere sensible). */
  soleShop(): Shop | undefined {
    return this.shops.length === 1 ? this.shops[0] : undefined;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
