import { join, resolve } from 'node:path';
import { findRepoRoot } from './repo-root';
import { loadShops, ShopConfigError } from '../shops/shops.config';
import type { Shop } from '../shops/shop';
import { loadAlertsConfig, type AlertsConfig } from '../alerts/alerts.config';
import { loadReconciliationSettings, type JanitorConfig, type ReconciliationConfig } from '../reconciliation/reconciliation.config';

// The only module that reads process.env. Everything else receives an IngesterConfig.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface DatabaseConfig {
  /** A PostgreSQL server to use; when unset the ingester runs its own embedded server. */
  url: string | undefined;
  poolSize: number;
  embedded: {
    /** PostgreSQL data directory of the embedded server. */
    dataDir: string;
    port: number;
  };
}

export interface IngesterConfig {
  http: {
    port: number;
    host: string;
    /** Base of the URLs the gateway and browsers call back (confirmUrl, return URLs); no trailing slash. */
    publicBaseUrl: string;
    /**
     * Express's `trust proxy`: how many reverse proxies in front of us may set X-Forwarded-For (0 = none; the
     * socket's peer is the client). Client addresses feed login throttling and security events.
     */
    trustProxyHops: number;
  };
  database: DatabaseConfig;
  logLevel: LogLevel;
  gateway: {
    /** e.g. https://papi.hobex.at/seamless, or the simulator's http://127.0.0.1:3100/seamless */
    baseUrl: string;
    /** Per call; a call that takes longer has an unknown outcome (never retried blindly). */
    timeoutMs: number;
  };
  /** From SHOPS_FILE / SHOPS, else the public demo account (see shops/shops.config.ts). */
  shops: Shop[];
  /** How long after a browser return a missing confirmation becomes a mismatch. */
  returnGraceSeconds: number;
  /** The built dashboard served at `/` (DASHBOARD_DIR, default dist/apps/dashboard); not served when absent. */
  dashboardDir: string;
  /** Background jobs (sweepers, outbox); tests switch them off to drive them by hand. */
  jobs: { enabled: boolean };
  /** Gateway reconciliation (src/reconciliation; RECONCILIATION_*, QENTA_TIME_ZONE — see reconciliation.config.ts). */
  reconciliation: ReconciliationConfig;
  /** The pending janitor (src/janitor; JANITOR_*). */
  janitor: JanitorConfig;
  /** Scheduled anomaly checks and alert notifications (src/alerts; ALERTS_*, ALERT_* — see alerts.config.ts). */
  alerts: AlertsConfig;
  /** Operator sessions (src/auth). */
  auth: AuthConfig;
  /** DEMO_MODE=on (`npm start`): on an empty operators table an admin with a random password is created and printed once. */
  demoMode: boolean;
  /**
   * DEMO_HISTORY_DAYS (30; 0 = off): in demo mode, an ingester that starts on a database without payments first
   * seeds this many days of shopper history through the domain code (src/demo/history-seeder.ts).
   */
  demoHistoryDays: number;
}

export interface AuthConfig {
  /** SESSION_IDLE_MINUTES (30): a session ends after this long without a request. */
  sessionIdleSeconds: number;
  /** SESSION_ABSOLUTE_HOURS (12): and this long after login, whatever happens. */
  sessionAbsoluteSeconds: number;
  /** SECURE_COOKIES=auto|on|off (auto): `Secure` on the session cookie; auto = when PUBLIC_BASE_URL is https. */
  secureCookies: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Validates the whole environment at once; throws a ConfigError listing every bad setting. */
export function loadConfig(env: Env = process.env): IngesterConfig {
  const problems: string[] = [];
  // An empty value (`PORT=` in a compose file) means "not set".
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = read(name);
    if (raw === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      problems.push(`${name} must be a URL (got "${redactUrl(raw)}")`);
      return undefined;
    }
    if (!protocols.includes(parsed.protocol)) {
      problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got "${redactUrl(raw)}")`);
      return undefined;
    }
    return raw;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const host = read('HOST') ?? '127.0.0.1';
  const publicBaseUrl = (url('PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://127.0.0.1:${port}`).replace(/\/+$/, '');
  const trustProxyHops = integer('TRUST_PROXY_HOPS', 0, 0, 10);
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const poolSize = integer('DB_POOL_SIZE', 10, 1, 200);
  const dataDirRaw = read('DATA_DIR');
  // A relative DATA_DIR is taken from the working directory, like any path given on a command line.
  const dataDir = dataDirRaw ? resolve(dataDirRaw) : join(findRepoRoot(), '.data', 'ingester-pg');
  const embeddedPort = integer('EMBEDDED_PG_PORT', 54329, 1, 65535);

  const gatewayBaseUrl = (url('QENTA_BASE_URL', ['http:', 'https:']) ?? 'http://127.0.0.1:3100/seamless').replace(/\/+$/, '');
  const gatewayTimeoutMs = integer('QENTA_TIMEOUT_MS', 15_000, 100, 120_000);
  const dashboardDirRaw = read('DASHBOARD_DIR');
  const dashboardDir = dashboardDirRaw ? resolve(dashboardDirRaw) : join(findRepoRoot(), 'dist', 'apps', 'dashboard');
  const returnGraceSeconds = integer('RETURN_GRACE_SECONDS', 600, 0, 86_400);
  const jobsRaw = read('JOBS') ?? 'on';
  if (jobsRaw !== 'on' && jobsRaw !== 'off') problems.push(`JOBS must be on or off (got "${jobsRaw}")`);
  let shops: Shop[] = [];
  try {
    shops = loadShops(env);
  } catch (error) {
    if (!(error instanceof ShopConfigError)) throw error;
    problems.push(error.message);
  }

  const sessionIdleMinutes = integer('SESSION_IDLE_MINUTES', 30, 1, 24 * 60);
  const sessionAbsoluteHours = integer('SESSION_ABSOLUTE_HOURS', 12, 1, 30 * 24);
  if (sessionIdleMinutes > sessionAbsoluteHours * 60) {
    problems.push(`SESSION_IDLE_MINUTES (${sessionIdleMinutes}) must not exceed SESSION_ABSOLUTE_HOURS (${sessionAbsoluteHours}) in minutes`);
  }
  const secureCookiesRaw = read('SECURE_COOKIES') ?? 'auto';
  if (!['auto', 'on', 'off'].includes(secureCookiesRaw)) problems.push(`SECURE_COOKIES must be auto, on or off (got "${secureCookiesRaw}")`);
  const secureCookies = secureCookiesRaw === 'on' || (secureCookiesRaw === 'auto' && publicBaseUrl.startsWith('https:'));
  const demoModeRaw = read('DEMO_MODE') ?? 'off';
  if (demoModeRaw !== 'on' && demoModeRaw !== 'off') problems.push(`DEMO_MODE must be on or off (got "${demoModeRaw}")`);
  const demoHistoryDays = integer('DEMO_HISTORY_DAYS', 30, 0, 90);

  const logLevelRaw = read('LOG_LEVEL') ?? 'log';
  const logLevel = LOG_LEVELS.find((level) => level === logLevelRaw);
  if (!logLevel) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevelRaw}")`);

  const { reconciliation, janitor } = loadReconciliationSettings(read, problems);

  const alerts = loadAlertsConfig(env, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    http: { port, host, publicBaseUrl, trustProxyHops },
    database: { url: databaseUrl, poolSize, embedded: { dataDir, port: embeddedPort } },
    logLevel: logLevel ?? 'log',
    gateway: { baseUrl: gatewayBaseUrl, timeoutMs: gatewayTimeoutMs },
    shops,
    returnGraceSeconds,
    dashboardDir,
    jobs: { enabled: jobsRaw !== 'off' },
    reconciliation,
    janitor,
    alerts,
    auth: { sessionIdleSeconds: sessionIdleMinutes * 60, sessionAbsoluteSeconds: sessionAbsoluteHours * 3600, secureCookies },
    demoMode: demoModeRaw === 'on',
    demoHistoryDays,
  };
}

/** Hides the password of a URL (everything between `user:` and the last `@`) so errors never print a secret. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^:/@]*):.*@/, '//$1:***@');
}

/** Nest's logger takes the list of enabled levels; LOG_LEVEL names the most verbose one. */
export function enabledLogLevels(level: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
}
