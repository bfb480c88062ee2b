/**
 * The simulator's notion of "now" for everything that ages (storage lifetime, order timestamps). Tests inject a
 * clock and move it forward instead of sleeping; the running simulator uses wall-clock time plus an offset that
 * `POST /simulator/clock/advance` can push forward (for tests that drive a separately started simulator).
 *
 * Delays of deliveries (confirmation delay, retries, PENDING → final) use real timers, in milliseconds.
 */
export interface Clock {
  now(): number;
}

export class AdjustableClock implements Clock {
  private offsetMs = 0;

  constructor(private readonly base: () => number = Date.now) {}

  now(): number {
    return this.base() + this.offsetMs;
  }

  /** Moves time forward (or back, with a negative value). */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** A clock that only moves when told to; handy in unit tests. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.UTC(2025, 0, 15, 9, 30, 0)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }
}

export function canAdvance(clock: Clock): clock is Clock & { advance(ms: number): void } {
  return typeof (clock as { advance?: unknown }).advance === 'function';
}
