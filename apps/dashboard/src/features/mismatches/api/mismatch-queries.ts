import type { MismatchKind, MismatchListResponse } from '@seamless-ops/contracts';
import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { toOpsFilter, type GlobalFilters } from '../../../lib/filters';

export type MismatchStatus = 'open' | 'resolved';

export interface MismatchSearch {
  status: MismatchStatus;
  kind?: MismatchKind;
}

export const mismatchQueries = {
  all: () => ['mismatches'] as const,
  list: (filters: GlobalFilters, search: MismatchSearch) =>
    infiniteQueryOptions({
      queryKey: [...mismatchQueries.all(), 'list', filters, search] as const,
      queryFn: ({ pageParam, signal }) =>
        apiClient.get<MismatchListResponse>(
          '/api/ops/mismatches',
          { ...toOpsFilter(filters), status: search.status, kind: search.kind, cursor: pageParam ?? undefined },
          signal,
        ),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
};
