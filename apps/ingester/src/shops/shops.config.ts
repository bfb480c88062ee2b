import { readFileSync } from 'node:fs';
import { RETURN_OUTCOMES } from '@seamless-ops/contracts';
import type { Shop } from './shop';

/**
 * Shops come from `SHOPS_FILE` (a JSON file) or `SHOPS` (JSON in the environment): an array of shop objects
 * (see {@link Shop}; `returnUrls` may be given as successUrl/cancelUrl/failureUrl/pendingUrl). Without either,
 * the public QENTA demo account is used, pointed at the demo shop on `DEMO_SHOP_URL`.
 */
export class ShopConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

const DEMO_SECRET = 'B8AKTPWBRMNBV455FG6M2DANE99WU2';

export function demoShop(env: Env): Shop {
  const shopUrl = (env['DEMO_SHOP_URL'] ?? 'http://127.0.0.1:3200').replace(/\/$/, '');
  return {
    id: 'demo',
    name: 'Demo shop',
    customerId: 'D200001',
    gatewayShopId: 'seamless',
    secret: DEMO_SECRET,
    backendPassword: 'jcv45z',
    fingerprintAlgorithm: 'hmac-sha512',
    apiKey: env['DEMO_SHOP_API_KEY'] ?? 'demo-shop-api-key',
    returnUrls: {
      success: `${shopUrl}/checkout/result?outcome=success`,
      cancel: `${shopUrl}/checkout/result?outcome=cancel`,
      failure: `${shopUrl}/checkout/result?outcome=failure`,
      pending: `${shopUrl}/checkout/result?outcome=pending`,
    },
    serviceUrl: `${shopUrl}/service`,
    storageReturnUrl: `${shopUrl}/checkout/storage-fallback`,
    notificationUrl: env['DEMO_SHOP_NOTIFICATION_URL'] ?? null,
    notificationSecret: env['DEMO_SHOP_NOTIFICATION_SECRET'] ?? (env['DEMO_SHOP_NOTIFICATION_URL'] ? 'demo-notification-secret' : null),
    timeZone: 'Europe/Vienna',
    language: 'en',
  };
}

function isUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Validates one raw shop object; collects every problem so the operator can fix them in one go. */
export function parseShop(raw: unknown, index: number): Shop {
  const where = `shop #${index + 1}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ShopConfigError(`${where}: must be an object`);
  const o = raw as Record<string, unknown>;
  const problems: string[] = [];
  const str = (key: string, opts: { optional?: boolean; pattern?: RegExp; hint?: string } = {}): string => {
    const v = o[key];
    if (v === undefined || v === null || v === '') {
      if (!opts.optional) problems.push(`${key} is required`);
      return '';
    }
    if (typeof v !== 'string') {
      problems.push(`${key} must be a string`);
      return '';
    }
    if (opts.pattern && !opts.pattern.test(v)) problems.push(`${key} ${opts.hint ?? 'is invalid'}`);
    return v;
  };
  const id = str('id', { pattern: /^[a-z0-9][a-z0-9_-]{0,39}$/, hint: 'must be 1-40 lowercase letters, digits, - or _' });
  const customerId = str('customerId', { pattern: /^[A-Za-z0-9]{7}$/, hint: 'must be 7 alphanumeric characters' });
  const gatewayShopId = str('shopId', { optional: true, pattern: /^[A-Za-z0-9]{1,16}$/, hint: 'must be at most 16 alphanumeric characters' });
  const secret = str('secret', { pattern: /^.{8,}$/, hint: 'must be at least 8 characters' });
  const backendPassword = str('backendPassword', { optional: true });
  const apiKey = str('apiKey', { pattern: /^.{16,}$/, hint: 'must be at least 16 characters' });
  const algorithm = str('fingerprintAlgorithm', { optional: true }) || 'hmac-sha512';
  if (algorithm !== 'hmac-sha512' && algorithm !== 'sha512') problems.push('fingerprintAlgorithm must be hmac-sha512 or sha512');
  const urls = (o['returnUrls'] ?? {}) as Record<string, unknown>;
  const returnUrls = {} as Shop['returnUrls'];
  for (const outcome of RETURN_OUTCOMES) {
    const v = urls[outcome] ?? o[`${outcome}Url`];
    if (!isUrl(v)) problems.push(`${outcome}Url must be an http(s) URL`);
    else returnUrls[outcome] = v;
  }
  const serviceUrl = o['serviceUrl'];
  if (!isUrl(serviceUrl)) problems.push('serviceUrl must be an http(s) URL');
  const storageReturnUrl = o['storageReturnUrl'] ?? returnUrls.success;
  if (!isUrl(storageReturnUrl)) problems.push('storageReturnUrl must be an http(s) URL');
  const notificationUrl = o['notificationUrl'] ?? null;
  if (notificationUrl !== null && !isUrl(notificationUrl)) problems.push('notificationUrl must be an http(s) URL');
  const notificationSecret = str('notificationSecret', { optional: true }) || null;
  if (notificationUrl && !notificationSecret) problems.push('notificationSecret is required with notificationUrl');
  const timeZone = str('timeZone', { optional: true }) || 'UTC';
  if (!isTimeZone(timeZone)) problems.push(`timeZone "${timeZone}" is not an IANA time zone`);
  const language = str('language', { optional: true, pattern: /^[a-z]{2}$/, hint: 'must be two lowercase letters' }) || 'en';
  if (problems.length) throw new ShopConfigError(`${where}${id ? ` (${id})` : ''}: ${problems.join('; ')}`);
  return {
    id,
    name: typeof o['name'] === 'string' ? o['name'] : id,
    customerId,
    gatewayShopId,
    secret,
    backendPassword,
    fingerprintAlgorithm: algorithm as Shop['fingerprintAlgorithm'],
    apiKey,
    returnUrls,
    serviceUrl: serviceUrl as string,
    storageReturnUrl: storageReturnUrl as string,
    notificationUrl: notificationUrl as string | null,
    notificationSecret,
    timeZone,
    language,
  };
}

export function loadShops(env: Env): Shop[] {
  let raw: unknown;
  if (env['SHOPS_FILE']) {
    try {
      raw = JSON.parse(readFileSync(env['SHOPS_FILE'], 'utf8'));
    } catch (e) {
      throw new ShopConfigError(`SHOPS_FILE ${env['SHOPS_FILE']}: ${(e as Error).message}`);
    }
  } else if (env['SHOPS']) {
    try {
      raw = JSON.parse(env['SHOPS']);
    } catch (e) {
      throw new ShopConfigError(`SHOPS is not valid JSON: ${(e as Error).message}`);
    }
  } else {
    return [demoShop(env)];
  }
  if (!Array.isArray(raw) || raw.length === 0) throw new ShopConfigError('shops configuration must be a non-empty JSON array');
  const shops = raw.map(parseShop);
  const seen = new Set<string>();
  for (const s of shops) {
    if (seen.has(s.id)) throw new ShopConfigError(`shop id "${s.id}" appears twice`);
    seen.add(s.id);
  }
  const keys = new Set(shops.map((s) => s.apiKey));
  if (keys.size !== shops.length) throw new ShopConfigError('every shop needs its own apiKey');
  return shops;
}
