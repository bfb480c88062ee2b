import type { Page, SecurityEventItem } from '@seamless-ops/contracts';
import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { toOpsFilter, type GlobalFilters } from '../../../lib/filters';

export const securityEventQueries = {
  all: () => ['security-events'] as const,
  list: (filters: GlobalFilters) =>
    infiniteQueryOptions({
      queryKey: [...securityEventQueries.all(), 'list', filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiClient.get<Page<SecurityEventItem>>(
          '/api/ops/security-events',
          { ...toOpsFilter(filters), cursor: pageParam ?? undefined },
          signal,
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
};
