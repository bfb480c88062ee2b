import { useInfiniteQuery } from '@tanstack/react-query';
import { LoadMore } from '../../../components/LoadMore';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { useGlobalFilters } from '../../../lib/filters';
import { formatCount } from '../../../lib/format';
import { pendingQueries } from '../api/pending-queries';
import { PendingAgingChart } from '../components/PendingAgingChart';
import { PendingTable } from '../components/PendingTable';

export function PendingPage() {
  const filters = useGlobalFilters();
  const pending = useInfiniteQuery(pendingQueries.list(filters));
  return (
    <>
      <PageHeader
        title="Pending payments"
        description="Initiated or PENDING and not final yet, oldest first, however old (the time range does not apply here)."
        queries={[pending]}
      />
      <QueryState
        query={pending}
        what="pending payments"
        isEmpty={(data) => data.pages[0].total === 0 && data.pages[0].items.length === 0}
        empty={<p>Nothing is pending. Every payment in this range reached a final state.</p>}
      >
        {(data) => {
          const first = data.pages[0];
          const items = data.pages.flatMap((page) => page.items);
          return (
            <>
              <section className="card" aria-labelledby="aging-heading">
                <div className="card-header">
                  <h2 id="aging-heading">Age of pending payments</h2>
                  <span className="muted">{formatCount(first.total)} pending in total</span>
                </div>
                <PendingAgingChart ageBuckets={first.ageBuckets} />
              </section>
              <PendingTable payments={items} />
              <LoadMore
                shown={items.length}
                hasNextPage={pending.hasNextPage}
                isFetchingNextPage={pending.isFetchingNextPage}
                fetchNextPage={pending.fetchNextPage}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}
