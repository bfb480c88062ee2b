import type { Page, PaymentDetailResponse, PaymentListFilter, PaymentListItem, PaymentState } from '@seamless-ops/contracts';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { toOpsFilter, type GlobalFilters } from '../../../lib/filters';

export const PAYMENTS_PAGE_SIZE = 50;

/** The payments page's own filters (beside the global ones). */
export interface PaymentSearch {
  state?: PaymentState;
  q?: string;
}

export const paymentQueries = {
  all: () => ['payments'] as const,
  list: (filters: GlobalFilters, search: PaymentSearch) =>
    infiniteQueryOptions({
      queryKey: [...paymentQueries.all(), 'list', filters, search] as const,
      queryFn: ({ pageParam, signal }) => {
        const filter: PaymentListFilter = {
          ...toOpsFilter(filters),
          state: search.state,
          q: search.q,
          cursor: pageParam ?? undefined,
          limit: PAYMENTS_PAGE_SIZE,
        };
        return apiClient.get<Page<PaymentListItem>>('/api/ops/payments', { ...filter }, signal);
      },
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
  detail: (paymentId: string) =>
    queryOptions({
      queryKey: [...paymentQueries.all(), 'detail', paymentId] as const,
      queryFn: ({ signal }) =>
        apiClient.get<PaymentDetailResponse>(`/api/ops/payments/${encodeURIComponent(paymentId)}`, undefined, signal),
    }),
};
