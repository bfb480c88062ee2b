import { AccountConfigError, accountsFromSetting } from './accounts';
import { KnobError, parseKnobs } from './knobs';
import { DEFAULT_PORT, DEFAULT_RETRY_SCHEDULE_MS, type SimulatorOptions } from './simulator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** `250ms`, `1s`, `5m`, `1h`, or a plain number of milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  const value = Math.round(Number(m[1]) * factor);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * The one place that reads the environment. Settings:
 * PORT (3100), HOST (127.0.0.1), SIMULATOR_PUBLIC_URL, SIMULATOR_ACCOUNTS (JSON or file path),
 * SIMULATOR_RETRY_SCHEDULE (e.g. `1s,5s,30s`; empty = no retries), SIMULATOR_CONFIRMATION_TIMEOUT (10s),
 * SIMULATOR_PENDING_DELAY (2s), SIMULATOR_STORAGE_LIFETIME (30m), SIMULATOR_TIME_ZONE (Europe/Vienna),
 * SIMULATOR_KNOBS (JSON, initial global knobs), SIMULATOR_LOG_REQUESTS (`false` to silence request lines).
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv): SimulatorOptions {
  const problems: string[] = [];
  const options: SimulatorOptions = {};

  const port = env['PORT'];
  if (port !== undefined && port !== '') {
    if (!/^[0-9]+$/.test(port) || Number(port) > 65535) problems.push(`PORT must be 0..65535, got "${port}"`);
    else options.port = Number(port);
  } else {
    options.port = DEFAULT_PORT;
  }
  if (env['HOST']) options.host = env['HOST'];

  const publicUrl = env['SIMULATOR_PUBLIC_URL'];
  if (publicUrl) {
    try {
      const u = new URL(publicUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      options.publicUrl = publicUrl;
    } catch {
      problems.push(`SIMULATOR_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
    }
  }

  try {
    options.accounts = accountsFromSetting(env['SIMULATOR_ACCOUNTS']);
  } catch (e) {
    if (e instanceof AccountConfigError) problems.push(e.message);
    else throw e;
  }

  const schedule = env['SIMULATOR_RETRY_SCHEDULE'];
  if (schedule !== undefined) {
    const parts = schedule.trim() === '' ? [] : schedule.split(',');
    const delays = parts.map(parseDuration);
    if (delays.some((d) => d === undefined)) problems.push(`SIMULATOR_RETRY_SCHEDULE must be a comma list of durations such as 1s,5s,30s; got "${schedule}"`);
    else options.retryScheduleMs = delays as number[];
  } else {
    options.retryScheduleMs = DEFAULT_RETRY_SCHEDULE_MS;
  }

  const duration = (name: string, apply: (ms: number) => void): void => {
    const raw = env[name];
    if (raw === undefined || raw === '') return;
    const ms = parseDuration(raw);
    if (ms === undefined) problems.push(`${name} must be a duration such as 500ms, 10s or 30m; got "${raw}"`);
    else apply(ms);
  };
  duration('SIMULATOR_CONFIRMATION_TIMEOUT', (ms) => (options.confirmationTimeoutMs = ms));
  duration('SIMULATOR_STORAGE_LIFETIME', (ms) => (options.storageLifetimeMs = ms));

  let knobs = {};
  const rawKnobs = env['SIMULATOR_KNOBS'];
  if (rawKnobs) {
    try {
      knobs = parseKnobs(JSON.parse(rawKnobs));
    } catch (e) {
      problems.push(`SIMULATOR_KNOBS: ${e instanceof KnobError ? e.message : 'invalid JSON'}`);
    }
  }
  duration('SIMULATOR_PENDING_DELAY', (ms) => (knobs = { pendingDelayMs: ms, ...knobs }));
  if (Object.keys(knobs).length > 0) options.knobs = knobs;

  const timeZone = env['SIMULATOR_TIME_ZONE'];
  if (timeZone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
      options.timeZone = timeZone;
    } catch {
      problems.push(`SIMULATOR_TIME_ZONE is not a known time zone: "${timeZone}"`);
    }
  }
  options.logRequests = env['SIMULATOR_LOG_REQUESTS'] !== 'false';

  if (problems.length > 0) throw new ConfigError(problems);
  return options;
}
