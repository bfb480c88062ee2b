// The arithmetic of the baseline rules, free of SQL and clocks: windows, baselines from the same window on the
// previous days, and the decisions (rate drop, silence, ratio spike, ratio above a threshold). The rules
// (alert-rules.ts) fetch the numbers and pass them here; baseline.spec.ts pins the arithmetic down.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** Slack of the ratio comparisons: a ratio exactly at a threshold counts as reaching it. */
const EPSILON = 1e-9;

/** Half-open [from, to). */
export interface Window {
  from: Date;
  to: Date;
}

/** The exact window of the last `minutes` before `now`: [now - minutes, now). */
export function lastMinutes(now: Date, minutes: number): Window {
  return { from: new Date(now.getTime() - minutes * MINUTE_MS), to: now };
}

/**
 * The whole UTC hours (the funnel rollup's resolution) that cover the last `minutes` before `now`:
 * [start of the hour of now - minutes, end of the hour of now). At 10:20 with 60 minutes: 09:00–11:00, whose
 * 10:00 bucket holds what happened until now.
 */
export function hourBuckets(now: Date, minutes: number): Window {
  const from = Math.floor((now.getTime() - minutes * MINUTE_MS) / HOUR_MS) * HOUR_MS;
  const to = Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS;
  return { from: new Date(from), to: new Date(Math.max(to, from + HOUR_MS)) };
}

/** The same window `day` days earlier (day 1 = 24 hours before). */
export function shiftDays(window: Window, day: number): Window {
  return { from: new Date(window.from.getTime() - day * DAY_MS), to: new Date(window.to.getTime() - day * DAY_MS) };
}

/** The same window on each of the previous `days` days, day 1 (yesterday) first. */
export function previousDays(window: Window, days: number): (Window & { day: number })[] {
  return Array.from({ length: days }, (_, i) => ({ day: i + 1, ...shiftDays(window, i + 1) }));
}

/** A ratio's parts in one window: successes of finals, expired of initialized, failures of inits. */
export interface RatioSample {
  numerator: number;
  denominator: number;
}

export interface RateBaseline {
  /** Pooled: sum of numerators / sum of denominators over the days with data. */
  rate: number;
  numerator: number;
  denominator: number;
  /** Days with data (denominator > 0) that went into it. */
  days: number;
}

/**
 * The usual ratio of a window: pooled over the previous days that have data (a day without any denominator
 * tells nothing about the ratio and is left out, so a shop that started three days ago has a three-day
 * baseline). Null when fewer than `minDays` days have data or their pooled denominator is below `minSample`.
 */
export function rateBaseline(samples: readonly RatioSample[], options: { minDays: number; minSample: number }): RateBaseline | null {
  const withData = samples.filter((s) => s.denominator > 0);
  const numerator = withData.reduce((sum, s) => sum + s.numerator, 0);
  const denominator = withData.reduce((sum, s) => sum + s.denominator, 0);
  if (withData.length < Math.max(1, options.minDays) || denominator < Math.max(1, options.minSample)) return null;
  return { rate: numerator / denominator, numerator, denominator, days: withData.length };
}

export interface CountBaseline {
  /** Mean count per day over the days with history. */
  mean: number;
  days: number;
}

/**
 * The usual count of a window: the mean over the previous days on which the series already existed (its first
 * data point at or before the day's window start), zeros included — a quiet day of an established shop counts,
 * the days before a shop started do not. Null when fewer than `minDays` days have history (or none at all).
 */
export function countBaseline(samples: readonly { count: number; from: Date }[], historyStart: Date | null, minDays: number): CountBaseline | null {
  if (!historyStart) return null;
  const withHistory = samples.filter((s) => historyStart.getTime() <= s.from.getTime());
  if (withHistory.length === 0 || withHistory.length < minDays) return null;
  return { mean: withHistory.reduce((sum, s) => sum + s.count, 0) / withHistory.length, days: withHistory.length };
}

export interface RateDrop {
  currentRate: number;
  baselineRate: number;
  /** baselineRate - currentRate, 0–1. */
  drop: number;
}

/**
 * A success rate that dropped: the current window has at least `minSample` outcomes and its rate is at least
 * `minDrop` (absolute, 0–1) below the baseline. No baseline, or a baseline of 0, never trips.
 */
export function rateDrop(current: RatioSample, baseline: RateBaseline | null, options: { minSample: number; minDrop: number }): RateDrop | null {
  if (!baseline || current.denominator < Math.max(1, options.minSample)) return null;
  const currentRate = current.numerator / current.denominator;
  const drop = baseline.rate - currentRate;
  // Rates are ratios of counts: compare with a little slack so that exactly minDrop trips (0.9 - 0.7 ≠ 0.2 in floats).
  return drop >= options.minDrop - EPSILON && drop > 0 ? { currentRate, baselineRate: baseline.rate, drop } : null;
}

/**
 * Silence: nothing in the current window although the baseline expects at least `minExpected` (mean per day
 * of the same window). Without a baseline nothing is expected.
 */
export function silence(currentCount: number, baseline: CountBaseline | null, minExpected: number): { expected: number } | null {
  if (!baseline || currentCount > 0 || baseline.mean < Math.max(Number.MIN_VALUE, minExpected)) return null;
  return { expected: baseline.mean };
}

export interface RatioTrip {
  ratio: number;
  /** Why: above the absolute threshold, or `factor` times the baseline. */
  reason: 'threshold' | 'baseline';
  baselineRatio: number | null;
}

/**
 * A ratio (expired / initialized storages) that is too high: with at least `minSample` in the denominator,
 * at or above `threshold`, or — given a baseline — at least `factor` times the usual ratio and at least
 * `minRatio` (so 2 % after a usual 0.5 % is not a spike). A zero baseline makes any ratio from `minRatio` on a
 * spike.
 */
export function ratioSpike(
  current: RatioSample,
  baseline: RateBaseline | null,
  options: { minSample: number; threshold: number; factor: number; minRatio: number },
): RatioTrip | null {
  if (current.denominator < Math.max(1, options.minSample)) return null;
  const ratio = current.numerator / current.denominator;
  if (ratio >= options.threshold - EPSILON) return { ratio, reason: 'threshold', baselineRatio: baseline?.rate ?? null };
  if (baseline && ratio >= options.minRatio - EPSILON && ratio >= baseline.rate * options.factor - EPSILON && ratio > baseline.rate) {
    return { ratio, reason: 'baseline', baselineRatio: baseline.rate };
  }
  return null;
}

/** A ratio at or above `threshold` with at least `minSample` in the denominator (the gateway init error rate). */
export function ratioAbove(current: RatioSample, options: { minSample: number; threshold: number }): { ratio: number } | null {
  if (current.denominator < Math.max(1, options.minSample)) return null;
  const ratio = current.numerator / current.denominator;
  return ratio >= options.threshold - EPSILON ? { ratio } : null;
}

/** 0.4137 → "41 %" (whole percent, as operators read it). */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

/** A configured span of minutes for people: "45 min", "60 min", "4 h", "2 d". */
export function minutesText(minutes: number): string {
  if (minutes >= 2 * 1440 && minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes >= 120 && minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

/** A duration for people: "45 s", "14 min", "2 h 05 min", "3 d 4 h". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}
