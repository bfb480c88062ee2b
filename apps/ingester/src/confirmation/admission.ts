/**
 * A bound on the confirmations in flight (read, verified, waiting for or holding a database connection). When
 * the database slows down, requests would otherwise pile up in front of the connection pool without limit —
 * memory grows, and every one of them ends in a 503 after the answer deadline anyway. Beyond the limit a
 * confirmation is refused at once with 503: the gateway retries it later.
 */
export class AdmissionLimit {
  private inFlight = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`admission limit must be a positive integer (got ${limit})`);
  }

  /** Takes a slot; false when all are taken (the caller refuses the request and must not call leave). */
  tryEnter(): boolean {
    if (this.inFlight >= this.limit) return false;
    this.inFlight++;
    return true;
  }

  /** Gives back a slot taken by tryEnter. */
  leave(): void {
    if (this.inFlight > 0) this.inFlight--;
  }

  get current(): number {
    return this.inFlight;
  }
}

/** In-flight confirmations allowed per database connection of the pool (DB_POOL_SIZE): 250 at the default 10. */
export const IN_FLIGHT_PER_CONNECTION = 25;

/** Injection token of the confirmation path's AdmissionLimit. */
export const CONFIRMATION_ADMISSION = Symbol('CONFIRMATION_ADMISSION');
