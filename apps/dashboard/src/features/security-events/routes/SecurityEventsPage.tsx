import { useInfiniteQuery } from '@tanstack/react-query';
import { LoadMore } from '../../../components/LoadMore';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { useGlobalFilters } from '../../../lib/filters';
import { securityEventQueries } from '../api/security-event-queries';
import { SecurityEventsTable } from '../components/SecurityEventsTable';

export function SecurityEventsPage() {
  const filters = useGlobalFilters();
  const events = useInfiniteQuery(securityEventQueries.list(filters));
  return (
    <>
      <PageHeader
        title="Security events"
        description="Confirmations rejected for a bad fingerprint or a malformed body, and the like."
        queries={[events]}
      />
      <QueryState
        query={events}
        what="security events"
        isEmpty={(data) => data.pages[0].items.length === 0}
        empty={<p>No security events in this range.</p>}
      >
        {(data) => {
          const items = data.pages.flatMap((page) => page.items);
          return (
            <>
              <SecurityEventsTable events={items} />
              <LoadMore
                shown={items.length}
                hasNextPage={events.hasNextPage}
                isFetchingNextPage={events.isFetchingNextPage}
                fetchNextPage={events.fetchNextPage}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}
