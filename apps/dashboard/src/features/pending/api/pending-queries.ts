import type { PendingResponse } from '@seamless-ops/contracts';
import { infiniteQueryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import type { GlobalFilters } from '../../../lib/filters';

/**
 * Pending is about what is stuck now, however old: the time range does not narrow it (a payment stuck for
 * three days must not vanish from a "last 24 hours" view); shop and payment type do.
 */
export type PendingFilters = Pick<GlobalFilters, 'shopId' | 'paymentType'>;

export const pendingQueries = {
  all: () => ['pending'] as const,
  list: ({ shopId, paymentType }: PendingFilters) =>
    infiniteQueryOptions({
      queryKey: [...pendingQueries.all(), 'list', { shopId, paymentType }] as const,
      queryFn: ({ pageParam, signal }) =>
        apiClient.get<PendingResponse>('/api/ops/pending', { shopId, paymentType, cursor: pageParam ?? undefined }, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
};
