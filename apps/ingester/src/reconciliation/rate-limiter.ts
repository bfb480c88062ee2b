/**
 * Spaces calls evenly: at most `callsPerSecond`, each call starting at least 1/rate seconds after the previous one
 * (no bursts, so the gateway never sees more than the rate in any window). Reservations are taken synchronously,
 * so concurrent callers queue up in order. The clock is injectable: tests pass one whose sleep only moves
 * virtual time, and read the grant times back.
 */
export interface LimiterClock {
  /** Milliseconds, monotonic enough for spacing calls. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_LIMITER_CLOCK: LimiterClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RateLimiter {
  private nextAt = Number.NEGATIVE_INFINITY;
  readonly intervalMs: number;

  constructor(
    readonly callsPerSecond: number,
    private readonly clock: LimiterClock = SYSTEM_LIMITER_CLOCK,
  ) {
    if (!(callsPerSecond > 0)) throw new RangeError('callsPerSecond must be positive');
    this.intervalMs = 1000 / callsPerSecond;
  }

  /** Resolves when the caller may make its call; returns the (clock) time the call was granted. */
  async acquire(): Promise<number> {
    const now = this.clock.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.intervalMs;
    if (at > now) await this.clock.sleep(at - now);
    return at;
  }
}
