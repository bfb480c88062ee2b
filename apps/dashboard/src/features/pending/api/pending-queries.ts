import type { PendingResponse } from '@seamless-ops/contracts';
import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { toOpsFilter, type GlobalFilters } from '../../../lib/filters';

export const pendingQueries = {
  all: () => ['pending'] as const,
  list: (filters: GlobalFilters) =>
    infiniteQueryOptions({
      queryKey: [...pendingQueries.all(), 'list', filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiClient.get<PendingResponse>('/api/ops/pending', { ...toOpsFilter(filters), cursor: pageParam ?? undefined }, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
};
