/**
 * Settings of gateway reconciliation and the pending janitor, read by loadConfig (src/config/config.ts, the only
 * reader of process.env) through its `read`, with every problem added to its list.
 *
 * | Variable                          | Default     | Meaning                                                               |
 * | --------------------------------- | ----------- | --------------------------------------------------------------------- |
 * | RECONCILIATION_INTERVAL_MINUTES   | 10          | how often gateway reconciliation runs (when JOBS=on)                  |
 * | RECONCILIATION_WINDOW_HOURS       | 48          | payments first confirmed within this window are checked              |
 * | RECONCILIATION_SETTLE_SECONDS     | 120         | … once their state is this old (a confirmation in flight is no news)  |
 * | RECONCILIATION_MAX_PER_TICK       | 500         | gateway calls per reconciliation tick at most                         |
 * | RECONCILIATION_CALLS_PER_SECOND   | 5           | back-end calls per second per process (reconciliation and janitor)    |
 * | QENTA_TIME_ZONE                   | Europe/Vienna | zone of the gateway's `DD.MM.YYYY HH:MM:SS` timestamps (§9.4)       |
 * | JANITOR_INTERVAL_SECONDS          | 60          | how often the pending janitor runs (when JOBS=on)                     |
 * | JANITOR_INITIATED_MINUTES         | 45          | an INITIATED payment this old is checked                              |
 * | JANITOR_PENDING_MINUTES           | 60          | a PENDING payment this long PENDING is checked                        |
 * | JANITOR_BACKOFF                   | 5m,1h,1d    | waits between checks of one payment; the last one repeats             |
 * | JANITOR_MAX_PER_TICK              | 200         | payments per janitor tick at most                                     |
 */

export interface ReconciliationConfig {
  intervalSeconds: number;
  windowSeconds: number;
  settleSeconds: number;
  maxPerTick: number;
  /** Gateway back-end calls per second (a process-wide limiter shared by reconciliation and the janitor). */
  callsPerSecond: number;
  /** IANA zone the gateway's back-end timestamps are in. */
  gatewayTimeZone: string;
}

export interface JanitorConfig {
  intervalSeconds: number;
  initiatedAfterSeconds: number;
  pendingAfterSeconds: number;
  /** Seconds to wait after the 1st, 2nd, … check of a payment; the last value repeats. */
  backoffSeconds: number[];
  maxPerTick: number;
}

type Read = (name: string) => string | undefined;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `5m,1h,1d` → [300, 3600, 86400]; undefined when malformed. */
export function parseBackoff(raw: string): number[] | undefined {
  const parts = raw.split(',').map((p) => p.trim());
  const out: number[] = [];
  for (const part of parts) {
    const m = /^(\d{1,6})([smhd])$/.exec(part);
    if (!m) return undefined;
    const seconds = Number(m[1]) * (UNIT_SECONDS[m[2] as string] as number);
    if (seconds < 1 || seconds > 30 * 86_400) return undefined;
    out.push(seconds);
  }
  return out.length > 0 && out.length <= 20 ? out : undefined;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export function loadReconciliationSettings(read: Read, problems: string[]): { reconciliation: ReconciliationConfig; janitor: JanitorConfig } {
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

  const gatewayTimeZone = read('QENTA_TIME_ZONE') ?? 'Europe/Vienna';
  if (!isTimeZone(gatewayTimeZone)) problems.push(`QENTA_TIME_ZONE "${gatewayTimeZone}" is not an IANA time zone`);
  const backoffRaw = read('JANITOR_BACKOFF') ?? '5m,1h,1d';
  const backoffSeconds = parseBackoff(backoffRaw);
  if (!backoffSeconds) problems.push(`JANITOR_BACKOFF must be a comma list of durations like 5m,1h,1d (units s, m, h, d; each 1s to 30d) (got "${backoffRaw}")`);

  return {
    reconciliation: {
      intervalSeconds: integer('RECONCILIATION_INTERVAL_MINUTES', 10, 1, 24 * 60) * 60,
      windowSeconds: integer('RECONCILIATION_WINDOW_HOURS', 48, 1, 90 * 24) * 3600,
      settleSeconds: integer('RECONCILIATION_SETTLE_SECONDS', 120, 0, 86_400),
      maxPerTick: integer('RECONCILIATION_MAX_PER_TICK', 500, 1, 100_000),
      callsPerSecond: integer('RECONCILIATION_CALLS_PER_SECOND', 5, 1, 1000),
      gatewayTimeZone,
    },
    janitor: {
      intervalSeconds: integer('JANITOR_INTERVAL_SECONDS', 60, 5, 86_400),
      initiatedAfterSeconds: integer('JANITOR_INITIATED_MINUTES', 45, 1, 7 * 24 * 60) * 60,
      pendingAfterSeconds: integer('JANITOR_PENDING_MINUTES', 60, 1, 30 * 24 * 60) * 60,
      backoffSeconds: backoffSeconds ?? [300, 3600, 86_400],
      maxPerTick: integer('JANITOR_MAX_PER_TICK', 200, 1, 100_000),
    },
  };
}
