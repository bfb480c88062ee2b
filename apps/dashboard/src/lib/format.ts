/**
 * Display formatting: amounts (decimal strings, never floats), percentages, durations, and instants in the
 * merchant's time zone with UTC alongside.
 */

const DECIMAL = /^-?\d+(\.\d+)?$/;

export function displayLocale(): string {
  return typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en-US';
}

/**
 * Formats a decimal-string amount in its currency. The string goes to Intl as is (Intl.NumberFormat v3
 * formats decimal strings exactly), so no float ever holds the amount. Minor units follow the currency
 * (EUR 2, JPY 0, BHD 3); digits beyond them are shown rather than rounded away.
 */
export function formatAmount(amount: string, currency: string, locale = displayLocale()): string {
  const trimmed = amount.trim();
  if (!DECIMAL.test(trimmed)) return `${amount} ${currency}`.trim();
  try {
    const base = new Intl.NumberFormat(locale, { style: 'currency', currency });
    const minorUnits = base.resolvedOptions().maximumFractionDigits ?? 2;
    const fraction = trimmed.split('.')[1] ?? '';
    const significant = fraction.replace(/0+$/, '').length;
    const digits = Math.min(Math.max(minorUnits, significant), 20);
    const formatter =
      digits === minorUnits
        ? base
        : new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: minorUnits, maximumFractionDigits: digits });
    return formatter.format(trimmed as `${number}`);
  } catch {
    // Unknown currency code: show the raw value rather than guessing.
    return `${trimmed} ${currency}`;
  }
}

export function formatCount(value: number, locale = displayLocale()): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A ratio 0–1 as a percentage with one decimal; null (nothing to divide) as an em dash. */
export function formatPercent(ratio: number | null | undefined, locale = displayLocale()): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(ratio);
}

/** `part / whole` as a percentage, or an em dash when whole is 0. */
export function formatShare(part: number, whole: number, locale = displayLocale()): string {
  return whole > 0 ? formatPercent(part / whole, locale) : '—';
}

/** Seconds as "45 s", "12 min 5 s", "3 h 20 min", "2 d 4 h". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return s % 60 ? `${minutes} min ${s % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** A run time in milliseconds: "85 ms", "1.4 s", "2 min 5 s". */
export function formatMilliseconds(ms: number, locale = displayLocale()): string {
  const value = Math.max(0, Math.round(ms));
  if (value < 1000) return `${value} ms`;
  if (value < 60_000) return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.floor(value / 100) / 10)} s`;
  return formatDuration(value / 1000);
}

type Parts = Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> & { timeZoneName?: string };

function zonedParts(date: Date, timeZone: string, withZoneName: boolean): Parts {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    ...(withZoneName ? { timeZoneName: 'short' as const } : {}),
  });
  const parts: Partial<Parts> = {};
  for (const part of formatter.formatToParts(date)) {
    if (part.type in { year: 1, month: 1, day: 1, hour: 1, minute: 1, second: 1, timeZoneName: 1 }) {
      parts[part.type as keyof Parts] = part.value;
    }
  }
  return parts as Parts;
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

/** "2025-03-14 10:23:45 GMT+1": the instant as wall time in `timeZone`, sortable and locale-neutral. */
export function formatDateTime(iso: string, timeZone: string, options: { seconds?: boolean } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const p = zonedParts(date, safeZone(timeZone), true);
  const time = options.seconds === false ? `${p.hour}:${p.minute}` : `${p.hour}:${p.minute}:${p.second}`;
  return `${p.year}-${p.month}-${p.day} ${time} ${p.timeZoneName ?? ''}`.trim();
}

/** "2025-03-14 09:23:45 UTC" */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** An instant as the `YYYY-MM-DDTHH:mm` value of a datetime-local input, in `timeZone`. */
export function toZonedInputValue(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const p = zonedParts(date, safeZone(timeZone), false);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/**
 * A datetime-local value (`YYYY-MM-DDTHH:mm`), read as wall time in `timeZone`, as an ISO 8601 UTC instant.
 * Returns null for an unparsable value.
 */
export function fromZonedInputValue(value: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const wallAsUtc = Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0);
  const zone = safeZone(timeZone);
  const offsetAt = (instant: number): number => {
    const p = zonedParts(new Date(instant), zone, false);
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - instant;
  };
  // Two rounds settle the offset, also across a daylight-saving change.
  let instant = wallAsUtc - offsetAt(wallAsUtc);
  instant = wallAsUtc - offsetAt(instant);
  return new Date(instant).toISOString();
}
