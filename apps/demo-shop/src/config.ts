import type { DemoShopOptions } from './shop';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_PORT = 3200;
export const DEFAULT_INGESTER_URL = 'http://127.0.0.1:3000';
/** The ingester's default demo shop key (apps/ingester/src/shops/shops.config.ts). */
export const DEFAULT_API_KEY = 'demo-shop-api-key';

function httpUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The one place that reads the environment. Settings: PORT (3200), HOST (127.0.0.1), INGESTER_URL
 * (http://127.0.0.1:3000), SHOP_API_KEY (demo-shop-api-key), DEMO_SHOP_PUBLIC_URL (http://127.0.0.1:<PORT>),
 * SHOP_INGESTER_TIMEOUT_MS (20000), SHOP_RESULT_POLL_SECONDS (60), SHOP_LOG_REQUESTS (`false` to silence).
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv): DemoShopOptions {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return Number(raw);
  };
  const url = (name: string): string | undefined => {
    const raw = read(name);
    if (raw !== undefined && !httpUrl(raw)) {
      problems.push(`${name} must be an http(s) URL, got "${raw}"`);
      return undefined;
    }
    return raw;
  };

  const port = integer('PORT', DEFAULT_PORT, 0, 65535);
  const options: DemoShopOptions = {
    port,
    host: read('HOST') ?? '127.0.0.1',
    ingesterUrl: url('INGESTER_URL') ?? DEFAULT_INGESTER_URL,
    apiKey: read('SHOP_API_KEY') ?? DEFAULT_API_KEY,
    ingesterTimeoutMs: integer('SHOP_INGESTER_TIMEOUT_MS', 20_000, 100, 300_000),
    resultPollSeconds: integer('SHOP_RESULT_POLL_SECONDS', 60, 1, 3600),
  };
  const publicUrl = url('DEMO_SHOP_PUBLIC_URL');
  if (publicUrl) options.publicUrl = publicUrl;
  const logRequests = read('SHOP_LOG_REQUESTS') ?? 'true';
  if (logRequests !== 'true' && logRequests !== 'false') problems.push(`SHOP_LOG_REQUESTS must be true or false, got "${logRequests}"`);
  options.logRequests = logRequests === 'true';
  if (problems.length) throw new ConfigError(problems);
  return options;
}
