/** Knobs of the outbox worker. Defaults suit production; tests pass shorter timeouts. */
export interface NotificationOptions {
  /** Rows claimed per batch (each batch is sent in parallel). */
  batchSize: number;
  /** Batches one processDue call works through at most, so a tick ends even under a flood. */
  maxBatchesPerRun: number;
  /** Tick of the background job. */
  intervalMs: number;
  /** Whole HTTP exchange with the shop; longer counts as a failed attempt. */
  timeoutMs: number;
  /**
   * A claimed row is hidden from other workers this long (its next_attempt_at moves there before sending). Must
   * exceed timeoutMs by a margin; a worker that dies mid-send leaves the row to be retried after the lease.
   */
  leaseMs: number;
  /** Attempts before a notification is given up (status failed, visible to operators). */
  maxAttempts: number;
  /** Delay after the n-th failed attempt is backoffMs[n-1] (the last entry repeats). */
  backoffMs: readonly number[];
  /** Each delay is scaled by a random factor in [1 - jitter, 1 + jitter], so retries of many rows spread out. */
  jitter: number;
  /** Source of randomness for the jitter, in [0, 1). */
  random: () => number;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const DEFAULT_NOTIFICATION_OPTIONS: NotificationOptions = {
  batchSize: 10,
  maxBatchesPerRun: 10,
  intervalMs: SECOND,
  timeoutMs: 5 * SECOND,
  leaseMs: MINUTE,
  maxAttempts: 10,
  // 10 s, 30 s, 2 min, 10 min, 1 h, 6 h, 12 h, 24 h, 24 h: the 10th attempt comes about 2.8 days after the first.
  backoffMs: [10 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR],
  jitter: 0.2,
  random: Math.random,
};

/** Injection token of the NotificationOptions. */
export const NOTIFICATION_OPTIONS = Symbol('NOTIFICATION_OPTIONS');

/** Delay before the next attempt after `failedAttempts` attempts failed (1-based), jitter applied. */
export function backoffDelayMs(options: Pick<NotificationOptions, 'backoffMs' | 'jitter' | 'random'>, failedAttempts: number): number {
  const schedule = options.backoffMs;
  const base = schedule[Math.min(Math.max(failedAttempts, 1), schedule.length) - 1];
  const factor = 1 + options.jitter * (2 * options.random() - 1);
  return Math.max(0, Math.round(base * factor));
}
