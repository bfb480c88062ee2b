import { useInfiniteQuery } from '@tanstack/react-query';
import { LoadMore } from '../../../components/LoadMore';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { useGlobalFilters } from '../../../lib/filters';
import { useSearchParams } from '../../../lib/router';
import { paymentQueries } from '../api/payment-queries';
import { PaymentFilters, readPaymentSearch } from '../components/PaymentFilters';
import { PaymentsTable } from '../components/PaymentsTable';

export function PaymentsPage() {
  const filters = useGlobalFilters();
  const [params] = useSearchParams();
  const search = readPaymentSearch(params);
  const payments = useInfiniteQuery(paymentQueries.list(filters, search));

  return (
    <>
      <PageHeader title="Payments" description="Every payment in the range, newest first." queries={[payments]} />
      <PaymentFilters />
      <QueryState
        query={payments}
        what="payments"
        isEmpty={(data) => data.pages[0].items.length === 0}
        empty={<p>No payments match these filters.</p>}
      >
        {(data) => {
          const items = data.pages.flatMap((page) => page.items);
          return (
            <>
              <PaymentsTable payments={items} />
              <LoadMore
                shown={items.length}
                hasNextPage={payments.hasNextPage}
                isFetchingNextPage={payments.isFetchingNextPage}
                fetchNextPage={payments.fetchNextPage}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}
