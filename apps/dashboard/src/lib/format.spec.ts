import { formatAmount, formatDateTime, formatDuration, formatMilliseconds, formatPercent, formatUtc, fromZonedInputValue, toZonedInputValue } from './format';

const NBSP = '\u00a0';

describe('formatAmount', () => {
  it('uses each currency’s minor units', () => {
    expect(formatAmount('1234.50', 'EUR', 'en-US')).toBe('€1,234.50');
    expect(formatAmount('1000', 'JPY', 'en-US')).toBe('¥1,000');
    expect(formatAmount('12.345', 'BHD', 'en-US')).toBe(`BHD${NBSP}12.345`);
    expect(formatAmount('5', 'EUR', 'en-US')).toBe('€5.00');
  });

  it('follows the locale’s separators', () => {
    expect(formatAmount('1234.50', 'EUR', 'de-AT')).toBe(`€${NBSP}1.234,50`);
  });

  it('never goes through a float: digits beyond double precision survive', () => {
    // As a number, 12345678901234567.89 would print as 12,345,678,901,234,568.00.
    expect(formatAmount('12345678901234567.89', 'EUR', 'en-US')).toBe('€12,345,678,901,234,567.89');
    expect(formatAmount('0.10', 'EUR', 'en-US')).toBe('€0.10');
  });

  it('shows digits beyond the currency’s minor units instead of rounding them away', () => {
    expect(formatAmount('10.005', 'EUR', 'en-US')).toBe('€10.005');
    expect(formatAmount('10.500', 'EUR', 'en-US')).toBe('€10.50');
    expect(formatAmount('1000.5', 'JPY', 'en-US')).toBe('¥1,000.5');
  });

  it('falls back to the raw text for what it cannot format', () => {
    expect(formatAmount('12.00', 'EURO', 'en-US')).toBe('12.00 EURO');
    expect(formatAmount('1e3', 'EUR', 'en-US')).toBe('1e3 EUR');
    expect(formatAmount('-7.25', 'EUR', 'en-US')).toBe('-€7.25');
  });
});

describe('times', () => {
  const instant = '2025-03-14T09:23:45.000Z';

  it('shows an instant as wall time in the merchant’s zone, UTC separately', () => {
    expect(formatDateTime(instant, 'Europe/Vienna')).toBe('2025-03-14 10:23:45 GMT+1');
    // New York is already on daylight time (from 9 March 2025).
    expect(formatDateTime(instant, 'America/New_York')).toBe('2025-03-14 05:23:45 EDT');
    expect(formatDateTime(instant, 'Europe/Vienna', { seconds: false })).toBe('2025-03-14 10:23 GMT+1');
    expect(formatUtc(instant)).toBe('2025-03-14 09:23:45 UTC');
  });

  it('falls back to UTC for an unknown zone and keeps unparsable text', () => {
    expect(formatDateTime(instant, 'Mars/Olympus_Mons')).toBe('2025-03-14 09:23:45 UTC');
    expect(formatDateTime('not a date', 'Europe/Vienna')).toBe('not a date');
  });

  it('reads datetime-local values as wall time in the zone, across daylight-saving changes', () => {
    expect(fromZonedInputValue('2025-01-10T10:00', 'Europe/Vienna')).toBe('2025-01-10T09:00:00.000Z');
    expect(fromZonedInputValue('2025-07-10T10:00', 'Europe/Vienna')).toBe('2025-07-10T08:00:00.000Z');
    expect(fromZonedInputValue('2025-03-30T03:30', 'Europe/Vienna')).toBe('2025-03-30T01:30:00.000Z');
    expect(fromZonedInputValue('2025-11-02T12:00', 'America/New_York')).toBe('2025-11-02T17:00:00.000Z');
    expect(fromZonedInputValue('yesterday', 'Europe/Vienna')).toBeNull();
    expect(toZonedInputValue('2025-07-10T08:00:00.000Z', 'Europe/Vienna')).toBe('2025-07-10T10:00');
  });
});

describe('numbers', () => {
  it('formats ratios and durations', () => {
    expect(formatPercent(0.4125, 'en-US')).toBe('41.3%');
    expect(formatPercent(null, 'en-US')).toBe('—');
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(2_550)).toBe('42 min 30 s');
    expect(formatDuration(7_500)).toBe('2 h 5 min');
    expect(formatDuration(93_600)).toBe('1 d 2 h');
  });
});

describe('formatMilliseconds', () => {
  it('says how long a run took', () => {
    expect(formatMilliseconds(0, 'en-US')).toBe('0 ms');
    expect(formatMilliseconds(85, 'en-US')).toBe('85 ms');
    expect(formatMilliseconds(1_450, 'en-US')).toBe('1.4 s');
    expect(formatMilliseconds(12_000, 'en-US')).toBe('12 s');
    expect(formatMilliseconds(125_000, 'en-US')).toBe('2 min 5 s');
  });
});
