import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import type { ApiError } from '@seamless-ops/contracts';

/**
 * Query-string parameters of the operator API, read by small typed functions (no validation library). A reader
 * collects every problem of a request; {@link QueryReader.done} throws one 400 ApiError listing them all.
 *
 * Conventions: an empty value (`shopId=`) counts as absent; a parameter given twice is refused; a parameter
 * the route does not know is refused (a typo must not silently widen a list).
 */
export type RawQuery = Record<string, unknown>;

/** Longest range any route reads (from → to). */
export const MAX_RANGE_DAYS = 400;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** An HttpException whose body is an ApiError (Nest's default filter sends such a body unchanged). */
export function opsError(statusCode: number, message: string, details?: string[]): HttpException {
  const body: ApiError = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (details?.length) body.details = details;
  return new HttpException(body, statusCode);
}

export const notFound = (what: string): HttpException => opsError(404, `${what} not found`);

/** ISO 8601 date or date-time: `2024-05-01`, `2024-05-01T10:00Z`, `2024-05-01T10:00:00.123+02:00`. */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses an ISO 8601 instant; a date or a time without offset is UTC. Undefined when it is not a real one. */
export function parseInstant(value: string): Date | undefined {
  const m = ISO_8601.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone] = m;
  const normalized = value.includes('T') ? (zone ? value : `${value}Z`) : `${value}T00:00:00Z`;
  const date = new Date(normalized);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date rolls 2024-02-30 over to March: compare the fields with a UTC rendering (offset-free only).
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  return date;
}

export const floorHour = (d: Date): Date => new Date(Math.floor(d.getTime() / HOUR_MS) * HOUR_MS);
export const ceilHour = (d: Date): Date => new Date(Math.ceil(d.getTime() / HOUR_MS) * HOUR_MS);

/** Half-open [from, to); either end may be open. */
export interface ListRange {
  from?: Date;
  to?: Date;
}

/** Closed on both ends, whole UTC hours (the funnel rollup's resolution). */
export interface HourRange {
  from: Date;
  to: Date;
}

export class QueryReader {
  private readonly problems: string[] = [];

  constructor(
    private readonly query: RawQuery,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(query)) if (!allowed.includes(key)) this.problems.push(`unknown query parameter "${key}"`);
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /** A single string value, trimmed; undefined when absent or empty. */
  string(key: string, rule: { max?: number; pattern?: RegExp; hint?: string } = {}): string | undefined {
    const raw = this.query[key];
    if (raw === undefined) return undefined;
    if (typeof raw !== 'string') {
      this.problems.push(`${key} must be given once, as a string`);
      return undefined;
    }
    const value = raw.trim();
    if (value === '') return undefined;
    const max = rule.max ?? 128;
    if (value.length > max) {
      this.problems.push(`${key} must be at most ${max} characters`);
      return undefined;
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      this.problems.push(`${key} must ${rule.hint ?? 'have a valid format'}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.string(key, { max: 64 });
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      this.problems.push(`${key} "${value}" is not one of ${values.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  instant(key: string): Date | undefined {
    const value = this.string(key, { max: 40 });
    if (value === undefined) return undefined;
    const date = parseInstant(value);
    if (!date) this.problems.push(`${key} "${value}" is not an ISO 8601 date or date-time (e.g. 2024-05-01T10:00:00Z)`);
    return date;
  }

  /** `shopId`: an identifier as in the shops configuration. Scope is checked by the caller (shopScope). */
  shopId(): string | undefined {
    return this.string('shopId', { max: 64, pattern: /^[A-Za-z0-9_.-]+$/, hint: 'be a shop id (letters, digits, _ . -)' });
  }

  /** `paymentType`: the gateway's payment type code, e.g. CCARD (or UNSPECIFIED in the funnel). */
  paymentType(): string | undefined {
    return this.string('paymentType', { max: 32, pattern: /^[A-Za-z0-9_-]+$/, hint: 'be a payment type code, e.g. CCARD' });
  }

  limit(): number {
    const value = this.string('limit', { max: 10 });
    if (value === undefined) return DEFAULT_LIMIT;
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
      this.problems.push(`limit must be an integer from 1 to ${MAX_LIMIT}`);
      return DEFAULT_LIMIT;
    }
    return n;
  }

  cursor(list: string, idPattern: RegExp): Cursor | undefined {
    const value = this.string('cursor', { max: 512 });
    if (value === undefined) return undefined;
    const cursor = decodeCursor(list, value, idPattern);
    if (!cursor) this.problems.push('cursor is not valid (pass the nextCursor of the previous page unchanged)');
    return cursor;
  }

  /** from/to of a list: each optional; from must not be after to; both given: at most MAX_RANGE_DAYS apart. */
  listRange(): ListRange {
    const from = this.instant('from');
    const to = this.instant('to');
    if (from && to) this.checkSpan(from, to);
    return { from, to };
  }

  /**
   * from/to of an aggregate (overview, funnel): default the last 24 hours; widened to whole UTC hours (the
   * rollup's resolution), so `from` rounds down and `to` up.
   */
  hourRange(now: Date): HourRange {
    const from = this.instant('from');
    const to = this.instant('to');
    if (from && !to && from > now) this.problems.push('from must not be in the future when to is not given');
    // The span is checked as asked (before widening), also when one end is the default (to: now).
    else if (from || to) this.checkSpan(from ?? new Date((to as Date).getTime() - DAY_MS), to ?? now);
    const end = to ? ceilHour(to) : ceilHour(now);
    const start = from ? floorHour(from) : new Date(end.getTime() - DAY_MS);
    return { from: start, to: end };
  }

  private checkSpan(from: Date, to: Date): void {
    if (from > to) this.problems.push('from must not be after to');
    else if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) this.problems.push(`the range from → to must be at most ${MAX_RANGE_DAYS} days`);
  }

  /** Throws the 400 when any problem was recorded. */
  done(): void {
    if (this.problems.length) throw opsError(400, this.problems.length === 1 ? this.problems[0] : `the query has ${this.problems.length} problems`, this.problems);
  }
}

/**
 * A keyset position: the last row's sort key, at PostgreSQL's microsecond precision (a JavaScript Date would
 * round it and skip or repeat rows), and its id. Opaque to clients: base64url of a small JSON array tagged with
 * the list it belongs to.
 */
export interface Cursor {
  at: string;
  id: string;
}

const CURSOR_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?Z$/;

export function encodeCursor(list: string, at: string, id: string): string {
  return Buffer.from(JSON.stringify([list, at, id]), 'utf8').toString('base64url');
}

export function decodeCursor(list: string, value: string, idPattern: RegExp): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== list) return undefined;
  const [, at, id] = parsed as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string') return undefined;
  if (!CURSOR_INSTANT.test(at) || Number.isNaN(Date.parse(at)) || !idPattern.test(id)) return undefined;
  return { at, id };
}

/** Pattern of the ids the cursors carry. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const BIGINT_PATTERN = /^[1-9]\d{0,18}$/;
export const STORAGE_ID_PATTERN = /^[A-Za-z0-9]{1,64}$/;
