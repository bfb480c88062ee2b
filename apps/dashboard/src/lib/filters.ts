import type { FunnelGranularity, OpsFilter } from '@seamless-ops/contracts';
import { useSearchParams } from './router';

/**
 * The global filters (time range, shop, payment type) live in the URL, on every page, so any view can be
 * bookmarked and shared. A relative range ("last 24 h") stays relative: it is resolved to from/to each
 * time a query runs, so auto-refresh moves the window forward.
 */

export const RELATIVE_RANGES = [
  { value: '1h', label: 'Last hour', ms: 60 * 60 * 1000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 60 * 60 * 1000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 60 * 60 * 1000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 24 * 60 * 60 * 1000 },
] as const;

export type RelativeRange = (typeof RELATIVE_RANGES)[number]['value'];
export type RangeKey = RelativeRange | 'custom';
export const DEFAULT_RANGE: RelativeRange = '24h';

/** The URL keys owned by the global controls; nav links carry them from page to page. */
export const GLOBAL_FILTER_KEYS = ['range', 'from', 'to', 'shopId', 'paymentType'] as const;

export interface GlobalFilters {
  range: RangeKey;
  /** Only with range 'custom': ISO 8601 instants. */
  from?: string;
  to?: string;
  shopId?: string;
  paymentType?: string;
}

function isInstant(value: string | null): value is string {
  return value !== null && value !== '' && !Number.isNaN(Date.parse(value));
}

export function readGlobalFilters(params: URLSearchParams): GlobalFilters {
  const range = params.get('range');
  const from = params.get('from');
  const to = params.get('to');
  const filters: GlobalFilters = { range: DEFAULT_RANGE };
  if (range === 'custom' && isInstant(from) && isInstant(to)) {
    filters.range = 'custom';
    filters.from = from;
    filters.to = to;
  } else if (RELATIVE_RANGES.some((r) => r.value === range)) {
    filters.range = range as RelativeRange;
  }
  const shopId = params.get('shopId');
  if (shopId) filters.shopId = shopId;
  const paymentType = params.get('paymentType');
  if (paymentType) filters.paymentType = paymentType;
  return filters;
}

export function useGlobalFilters(): GlobalFilters {
  const [params] = useSearchParams();
  return readGlobalFilters(params);
}

/** from/to as ISO instants, relative ranges ending now. */
export function resolveRange(filters: GlobalFilters, now: number = Date.now()): { from: string; to: string } {
  if (filters.range === 'custom' && filters.from && filters.to) return { from: filters.from, to: filters.to };
  const span = RELATIVE_RANGES.find((r) => r.value === filters.range)?.ms ?? RELATIVE_RANGES[1].ms;
  return { from: new Date(now - span).toISOString(), to: new Date(now).toISOString() };
}

/** The query-string part every operator list takes. */
export function toOpsFilter(filters: GlobalFilters, now: number = Date.now()): OpsFilter {
  return { ...resolveRange(filters, now), shopId: filters.shopId, paymentType: filters.paymentType };
}

/** Hours for ranges up to two days, days beyond. */
export function defaultGranularity(filters: GlobalFilters): FunnelGranularity {
  const { from, to } = resolveRange(filters, 0);
  return Date.parse(to) - Date.parse(from) <= 48 * 60 * 60 * 1000 ? 'hour' : 'day';
}

/** `path` with the current global filters appended (for nav links and links between pages). */
export function withGlobalFilters(path: string, params: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const key of GLOBAL_FILTER_KEYS) {
    const value = params.get(key);
    if (value) kept.set(key, value);
  }
  const query = kept.toString();
  return query ? `${path}?${query}` : path;
}
