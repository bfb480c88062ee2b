/**
 * When the janitor looks at a payment again: after its n-th check (n ≥ 1), wait `schedule[n - 1]` seconds; past
 * the end of the schedule the last step repeats (5m, 1h, 1d, 1d, … as Kill Bill's janitor does).
 */
export function nextCheckAt(now: Date, checksSoFar: number, scheduleSeconds: readonly number[]): Date {
  if (scheduleSeconds.length === 0) throw new RangeError('empty backoff schedule');
  const step = scheduleSeconds[Math.min(Math.max(checksSoFar, 1), scheduleSeconds.length) - 1] as number;
  return new Date(now.getTime() + step * 1000);
}
