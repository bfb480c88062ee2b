import { describe, expect, it } from 'vitest';
import {
  countBaseline,
  duration,
  hourBuckets,
  lastMinutes,
  minutesText,
  percent,
  previousDays,
  rateBaseline,
  rateDrop,
  ratioAbove,
  ratioSpike,
  silence,
  type RatioSample,
} from '../src/alerts/baseline';

// The baseline arithmetic of the alert rules (src/alerts/baseline.ts): pure functions, no database.

const at = (iso: string): Date => new Date(iso);
const s = (numerator: number, denominator: number): RatioSample => ({ numerator, denominator });

describe('windows', () => {
  it('the last N minutes end now; the hour buckets cover them in whole UTC hours', () => {
    expect(lastMinutes(at('2025-03-14T10:20:00Z'), 60)).toEqual({ from: at('2025-03-14T09:20:00Z'), to: at('2025-03-14T10:20:00Z') });
    expect(hourBuckets(at('2025-03-14T10:20:00Z'), 60)).toEqual({ from: at('2025-03-14T09:00:00Z'), to: at('2025-03-14T11:00:00Z') });
    // On the hour, the (empty) bucket starting now is not included; at least one bucket always is.
    expect(hourBuckets(at('2025-03-14T10:00:00Z'), 60)).toEqual({ from: at('2025-03-14T09:00:00Z'), to: at('2025-03-14T10:00:00Z') });
    expect(hourBuckets(at('2025-03-14T10:00:00Z'), 5)).toEqual({ from: at('2025-03-14T09:00:00Z'), to: at('2025-03-14T10:00:00Z') });
    expect(hourBuckets(at('2025-03-14T10:20:00Z'), 5)).toEqual({ from: at('2025-03-14T10:00:00Z'), to: at('2025-03-14T11:00:00Z') });
  });

  it('the same hours over the previous 7 days: exactly 24 h apart, yesterday first (UTC, across a DST change)', () => {
    const days = previousDays(hourBuckets(at('2025-03-31T10:20:00Z'), 60), 7);
    expect(days.map((d) => d.day)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(days[0]).toEqual({ day: 1, from: at('2025-03-30T09:00:00Z'), to: at('2025-03-30T11:00:00Z') });
    // 2025-03-30 is Europe's switch to summer time; the baseline stays on the same UTC hours.
    expect(days[6]).toEqual({ day: 7, from: at('2025-03-24T09:00:00Z'), to: at('2025-03-24T11:00:00Z') });
    expect(previousDays(lastMinutes(at('2025-03-14T10:20:00Z'), 30), 2)).toEqual([
      { day: 1, from: at('2025-03-13T09:50:00Z'), to: at('2025-03-13T10:20:00Z') },
      { day: 2, from: at('2025-03-12T09:50:00Z'), to: at('2025-03-12T10:20:00Z') },
    ]);
  });
});

describe('rateBaseline: pooled over the days with data', () => {
  const options = { minDays: 3, minSample: 50 };

  it('pools numerators and denominators (a busy day weighs more than a quiet one)', () => {
    const b = rateBaseline([s(90, 100), s(9, 10), s(40, 50), s(0, 0), s(0, 0), s(0, 0), s(0, 0)], options);
    expect(b).toEqual({ rate: 139 / 160, numerator: 139, denominator: 160, days: 3 });
  });

  it('partial history: only the days with data count, and fewer than minDays give no baseline', () => {
    expect(rateBaseline([s(30, 40), s(30, 40), s(0, 0), s(0, 0), s(0, 0), s(0, 0), s(0, 0)], options)).toBeNull();
    expect(rateBaseline([s(30, 40), s(30, 40), s(30, 40)], options)).toMatchObject({ days: 3, denominator: 120, rate: 0.75 });
    expect(rateBaseline([s(30, 40), s(30, 40)], { minDays: 1, minSample: 50 })).toMatchObject({ days: 2, rate: 0.75 });
  });

  it('minimum sample: a pooled denominator below minSample gives no baseline', () => {
    expect(rateBaseline([s(10, 16), s(10, 16), s(10, 17)], options)).toBeNull(); // 49
    expect(rateBaseline([s(10, 16), s(10, 16), s(10, 18)], options)).toMatchObject({ denominator: 50 });
  });

  it('no history at all, or only empty days: no baseline', () => {
    expect(rateBaseline([], options)).toBeNull();
    expect(rateBaseline([s(0, 0), s(0, 0), s(0, 0)], { minDays: 0, minSample: 0 })).toBeNull();
  });

  it('a zero baseline (every outcome failed) is a baseline of 0', () => {
    expect(rateBaseline([s(0, 20), s(0, 20), s(0, 20)], options)).toEqual({ rate: 0, numerator: 0, denominator: 60, days: 3 });
  });
});

describe('rateDrop (success rate)', () => {
  const baseline = { rate: 0.9, numerator: 180, denominator: 200, days: 7 };
  const options = { minSample: 20, minDrop: 0.2 };

  it('trips when the current rate is at least minDrop below the baseline', () => {
    expect(rateDrop(s(142, 200), baseline, options)).toBeNull(); // 71 %: 19 points down
    expect(rateDrop(s(14, 20), baseline, options)).toMatchObject({ currentRate: 0.7 }); // exactly 20 points (0.9 - 0.7 in floats)
    expect(rateDrop(s(13, 20), baseline, options)).toMatchObject({ currentRate: 0.65, baselineRate: 0.9 });
    expect(rateDrop(s(13, 20), baseline, options)?.drop).toBeCloseTo(0.25, 10);
    expect(rateDrop(s(0, 40), baseline, options)).toMatchObject({ currentRate: 0, drop: 0.9 });
  });

  it('minimum sample: fewer current outcomes than minSample are not judged', () => {
    expect(rateDrop(s(0, 19), baseline, options)).toBeNull();
    expect(rateDrop(s(0, 0), baseline, options)).toBeNull();
  });

  it('no baseline or a zero baseline never trips; a better rate never trips', () => {
    expect(rateDrop(s(0, 50), null, options)).toBeNull();
    expect(rateDrop(s(0, 50), { rate: 0, numerator: 0, denominator: 60, days: 3 }, options)).toBeNull();
    expect(rateDrop(s(50, 50), baseline, options)).toBeNull();
  });
});

describe('countBaseline and silence (traffic)', () => {
  const days = previousDays(lastMinutes(at('2025-03-14T10:20:00Z'), 60), 7);
  const counts = (...n: number[]) => days.map((d, i) => ({ count: n[i] ?? 0, from: d.from }));

  it('the mean over the days with history, quiet days of an established series included', () => {
    expect(countBaseline(counts(10, 0, 12, 8, 10, 10, 6), at('2025-01-01T00:00:00Z'), 3)).toEqual({ mean: 56 / 7, days: 7 });
  });

  it('partial history: days before the series began are left out; fewer than minDays give none', () => {
    // The series began on 2025-03-11 08:00, before the window of day 3 (2025-03-11 09:20) but after day 4's.
    expect(countBaseline(counts(6, 6, 9, 0, 0, 0, 0), at('2025-03-11T08:00:00Z'), 3)).toEqual({ mean: 7, days: 3 });
    expect(countBaseline(counts(6, 6, 9, 0, 0, 0, 0), at('2025-03-11T10:00:00Z'), 3)).toBeNull(); // 2 days
    expect(countBaseline(counts(6, 6), at('2025-03-11T10:00:00Z'), 2)).toEqual({ mean: 6, days: 2 });
    expect(countBaseline(counts(6, 6), null, 1)).toBeNull();
  });

  it('silence: nothing now where the baseline expects at least minExpected', () => {
    expect(silence(0, { mean: 5, days: 7 }, 5)).toEqual({ expected: 5 });
    expect(silence(1, { mean: 50, days: 7 }, 5)).toBeNull();
    expect(silence(0, { mean: 4.9, days: 7 }, 5)).toBeNull();
    expect(silence(0, null, 5)).toBeNull();
    // A zero baseline expects nothing, whatever minExpected.
    expect(silence(0, { mean: 0, days: 7 }, 0)).toBeNull();
  });
});

describe('ratioSpike (storage expiry) and ratioAbove (init errors)', () => {
  const options = { minSample: 20, threshold: 0.5, factor: 2, minRatio: 0.1 };

  it('trips above the absolute threshold, with or without a baseline', () => {
    expect(ratioSpike(s(10, 20), null, options)).toEqual({ ratio: 0.5, reason: 'threshold', baselineRatio: null });
    expect(ratioSpike(s(12, 20), { rate: 0.4, numerator: 40, denominator: 100, days: 7 }, options)).toEqual({ ratio: 0.6, reason: 'threshold', baselineRatio: 0.4 });
  });

  it('trips at factor × the baseline when also at least minRatio', () => {
    const usual = { rate: 0.1, numerator: 10, denominator: 100, days: 7 };
    expect(ratioSpike(s(4, 20), usual, options)).toEqual({ ratio: 0.2, reason: 'baseline', baselineRatio: 0.1 });
    expect(ratioSpike(s(3, 20), usual, options)).toBeNull(); // 15 % < 2 × 10 %
    const tiny = { rate: 0.01, numerator: 1, denominator: 100, days: 7 };
    expect(ratioSpike(s(1, 20), tiny, options)).toBeNull(); // 5 %: five times the usual, but below minRatio
  });

  it('a zero baseline makes any ratio from minRatio on a spike; minimum sample applies', () => {
    const zero = { rate: 0, numerator: 0, denominator: 100, days: 7 };
    expect(ratioSpike(s(2, 20), zero, options)).toEqual({ ratio: 0.1, reason: 'baseline', baselineRatio: 0 });
    expect(ratioSpike(s(0, 20), zero, options)).toBeNull();
    expect(ratioSpike(s(19, 19), zero, options)).toBeNull();
  });

  it('ratioAbove: threshold with a minimum sample', () => {
    expect(ratioAbove(s(2, 10), { minSample: 10, threshold: 0.2 })).toEqual({ ratio: 0.2 });
    expect(ratioAbove(s(1, 10), { minSample: 10, threshold: 0.2 })).toBeNull();
    expect(ratioAbove(s(9, 9), { minSample: 10, threshold: 0.2 })).toBeNull();
  });
});

describe('formatting for summaries', () => {
  it('percent, minutes and duration', () => {
    expect([45, 60, 90, 240, 2880].map(minutesText)).toEqual(['45 min', '60 min', '90 min', '4 h', '2 d']);
    expect(percent(0.4137)).toBe('41 %');
    expect(percent(1)).toBe('100 %');
    expect([45, 14 * 60, 2 * 3600 + 5 * 60, 3 * 86_400 + 4 * 3600].map(duration)).toEqual(['45 s', '14 min', '2 h 05 min', '3 d 4 h']);
  });
});
