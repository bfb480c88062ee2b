import type { ExpiredStorageItem, Page } from '@seamless-ops/contracts';
import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { toOpsFilter, type GlobalFilters } from '../../../lib/filters';

export const expiredStorageQueries = {
  all: () => ['expired-storages'] as const,
  list: (filters: GlobalFilters) =>
    infiniteQueryOptions({
      queryKey: [...expiredStorageQueries.all(), 'list', filters] as const,
      queryFn: ({ pageParam, signal }) =>
        apiClient.get<Page<ExpiredStorageItem>>(
          '/api/ops/storages/expired',
          { ...toOpsFilter(filters), cursor: pageParam ?? undefined },
          signal,
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
};
