import type { DailyTotalsFilter, DailyTotalsResponse } from '@seamless-ops/contracts';
import { queryOptions } from '@tanstack/react-query';
import { apiClient, withQuery } from '../../../lib/api-client';
import type { GlobalFilters } from '../../../lib/filters';
import { addDays, isCalendarDate, localToday } from '../local-days';

const DAILY_PATH = '/api/ops/reconciliation/daily';
/** Without days in the URL: the last 7 local days, today included. */
export const DEFAULT_DAYS = 7;

/** The reconciliation page's own URL keys (beside the global shop and payment type). */
export interface ReconciliationSearch {
  /** `YYYY-MM-DD`, first local day (inclusive). */
  fromDay?: string;
  /** `YYYY-MM-DD`, last local day (inclusive). */
  toDay?: string;
  currency?: string;
}

export function readReconciliationSearch(params: URLSearchParams): ReconciliationSearch {
  const search: ReconciliationSearch = {};
  const fromDay = params.get('fromDay');
  if (isCalendarDate(fromDay)) search.fromDay = fromDay;
  const toDay = params.get('toDay');
  if (isCalendarDate(toDay)) search.toDay = toDay;
  const currency = params.get('currency')?.trim().toUpperCase();
  if (currency && /^[A-Z]{3}$/.test(currency)) search.currency = currency;
  return search;
}

/**
 * The API's query: days as in the URL, else the last 7 days up to today in `timeZone` (one day given: the week
 * starting or ending there, as the API defaults it). Always explicit, so the CSV link asks for exactly the days
 * on screen.
 */
export function toDailyTotalsFilter(
  search: ReconciliationSearch,
  filters: GlobalFilters,
  timeZone: string,
  now: number = Date.now(),
): DailyTotalsFilter & { from: string; to: string } {
  const to = search.toDay ?? (search.fromDay ? addDays(search.fromDay, DEFAULT_DAYS - 1) : localToday(timeZone, now));
  const from = search.fromDay ?? addDays(to, -(DEFAULT_DAYS - 1));
  return { from, to, shopId: filters.shopId, currency: search.currency, paymentType: filters.paymentType };
}

/** The same query as a CSV download (a plain GET with the session cookie; the server audits the export). */
export function dailyTotalsCsvHref(filter: DailyTotalsFilter): string {
  return withQuery(DAILY_PATH, { ...filter, format: 'csv' });
}

export const reconciliationQueries = {
  all: () => ['reconciliation'] as const,
  daily: (filter: DailyTotalsFilter) =>
    queryOptions({
      queryKey: [...reconciliationQueries.all(), 'daily', filter] as const,
      queryFn: ({ signal }) => apiClient.get<DailyTotalsResponse>(DAILY_PATH, { ...filter }, signal),
    }),
};
