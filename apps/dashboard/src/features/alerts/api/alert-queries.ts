import type {
  AcknowledgeAlertRequest,
  AlertDetailResponse,
  AlertItem,
  AlertRulesResponse,
  AlertStatus,
  Page,
} from '@seamless-ops/contracts';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { toOpsFilter, type GlobalFilters } from '../../../lib/filters';

/** The alerts page's own filter (beside the global ones): one status, or all of them. */
export interface AlertSearch {
  status?: AlertStatus;
}

export const alertQueries = {
  all: () => ['alerts'] as const,
  list: (filters: GlobalFilters, search: AlertSearch) =>
    infiniteQueryOptions({
      queryKey: [...alertQueries.all(), 'list', filters, search] as const,
      queryFn: ({ pageParam, signal }) =>
        apiClient.get<Page<AlertItem>>(
          '/api/ops/alerts',
          { ...toOpsFilter(filters), status: search.status, cursor: pageParam ?? undefined },
          signal,
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
  detail: (alertId: string) =>
    queryOptions({
      queryKey: [...alertQueries.all(), 'detail', alertId] as const,
      queryFn: ({ signal }) => apiClient.get<AlertDetailResponse>(`/api/ops/alerts/${encodeURIComponent(alertId)}`, undefined, signal),
    }),
  rules: () =>
    queryOptions({
      queryKey: [...alertQueries.all(), 'rules'] as const,
      queryFn: ({ signal }) => apiClient.get<AlertRulesResponse>('/api/ops/alerts/rules', undefined, signal),
    }),
};

/** `POST /api/ops/alerts/:id/ack` (the client adds the CSRF header); 409 when it is no longer open. */
export function acknowledgeAlert(alertId: string, comment: string): Promise<AlertItem> {
  const body: AcknowledgeAlertRequest = comment ? { comment } : {};
  return apiClient.post<AlertItem>(`/api/ops/alerts/${encodeURIComponent(alertId)}/ack`, body);
}
