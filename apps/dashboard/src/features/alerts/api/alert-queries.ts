import type { AcknowledgeAlertRequest, AlertItem, Page } from '@seamless-ops/contracts';
import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { toOpsFilter, type GlobalFilters } from '../../../lib/filters';

export const alertQueries = {
  all: () => ['alerts'] as const,
  list: (filters: GlobalFilters) =>
    infiniteQueryOptions({
      queryKey: [...alertQueries.all(), 'list', filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiClient.get<Page<AlertItem>>('/api/ops/alerts', { ...toOpsFilter(filters), cursor: pageParam ?? undefined }, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
};

/** `POST /api/ops/alerts/:id/ack` (the client adds the CSRF header). */
export function acknowledgeAlert(alertId: string, comment: string): Promise<unknown> {
  const body: AcknowledgeAlertRequest = comment ? { comment } : {};
  return apiClient.post<unknown>(`/api/ops/alerts/${encodeURIComponent(alertId)}/ack`, body);
}
