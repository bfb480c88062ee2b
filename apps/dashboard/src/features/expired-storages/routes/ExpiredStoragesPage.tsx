import { useInfiniteQuery } from '@tanstack/react-query';
import { LoadMore } from '../../../components/LoadMore';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { useGlobalFilters } from '../../../lib/filters';
import { expiredStorageQueries } from '../api/expired-storage-queries';
import { ExpiredStoragesTable } from '../components/ExpiredStoragesTable';

export function ExpiredStoragesPage() {
  const filters = useGlobalFilters();
  const storages = useInfiniteQuery(expiredStorageQueries.list(filters));
  return (
    <>
      <PageHeader
        title="Expired storages"
        description="Data storages that died without a payment: card data entered, checkout abandoned."
        queries={[storages]}
      />
      <QueryState
        query={storages}
        what="expired storages"
        isEmpty={(data) => data.pages[0].items.length === 0}
        empty={<p>No data storage expired in this range.</p>}
      >
        {(data) => {
          const items = data.pages.flatMap((page) => page.items);
          return (
            <>
              <ExpiredStoragesTable storages={items} />
              <LoadMore
                shown={items.length}
                hasNextPage={storages.hasNextPage}
                isFetchingNextPage={storages.isFetchingNextPage}
                fetchNextPage={storages.fetchNextPage}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}
