import type { FunnelGranularity, FunnelResponse, OverviewResponse } from '@seamless-ops/contracts';
import { queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { toOpsFilter, type GlobalFilters } from '../../../lib/filters';

export const overviewQueries = {
  all: () => ['overview'] as const,
  kpis: (filters: GlobalFilters) =>
    queryOptions({
      queryKey: [...overviewQueries.all(), 'kpis', filters] as const,
      queryFn: ({ signal }) => apiClient.get<OverviewResponse>('/api/ops/overview', { ...toOpsFilter(filters) }, signal),
    }),
  funnel: (filters: GlobalFilters, granularity: FunnelGranularity) =>
    queryOptions({
      queryKey: [...overviewQueries.all(), 'funnel', filters, granularity] as const,
      queryFn: ({ signal }) => apiClient.get<FunnelResponse>('/api/ops/funnel', { ...toOpsFilter(filters), granularity }, signal),
    }),
};
