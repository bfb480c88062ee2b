/**
 * Keeps track of everything the simulator does later (delayed and retried confirmations, PENDING → final,
 * confirmations after the redirect), so tests can await `idle()` instead of sleeping and `close()` can stop it all.
 */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  /** Runs `task` after `ms` milliseconds (unless closed first). */
  after(ms: number, task: () => Promise<unknown> | unknown): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.run(task);
    }, ms);
    this.timers.add(timer);
  }

  /** Runs `task` now, tracked; its failure is swallowed (tasks record their own errors). */
  run(task: () => Promise<unknown> | unknown): void {
    if (this.closed) return;
    const p = Promise.resolve()
      .then(task)
      .catch(() => undefined)
      .finally(() => {
        this.running.delete(p);
        this.checkIdle();
      });
    this.running.add(p);
  }

  get busy(): boolean {
    return this.timers.size > 0 || this.running.size > 0;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves once nothing is scheduled or running. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels every timer; running tasks finish on their own (their callers abort I/O separately). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.checkIdle();
  }

  /** Forgets scheduled work without closing (used by reset). */
  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.checkIdle();
  }

  private checkIdle(): void {
    if (this.busy) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
