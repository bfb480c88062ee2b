import { useInfiniteQuery } from '@tanstack/react-query';
import { LoadMore } from '../../../components/LoadMore';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { useGlobalFilters } from '../../../lib/filters';
import { canAct, useSession } from '../../../lib/session';
import { alertQueries } from '../api/alert-queries';
import { AlertsTable } from '../components/AlertsTable';

export function AlertsPage() {
  const filters = useGlobalFilters();
  const { me } = useSession();
  const alerts = useInfiniteQuery(alertQueries.list(filters));
  return (
    <>
      <PageHeader title="Alerts" description="Raised by the scheduled anomaly checks." queries={[alerts]} />
      <QueryState
        query={alerts}
        what="alerts"
        isEmpty={(data) => data.pages[0].items.length === 0}
        empty={
          <>
            <p className="state-title">No alerts.</p>
            <p>When a scheduled check finds an anomaly (a drop in success rate, payments stuck pending), it is listed here.</p>
          </>
        }
      >
        {(data) => {
          const items = data.pages.flatMap((page) => page.items);
          return (
            <>
              <AlertsTable alerts={items} canAcknowledge={canAct(me.operator.role)} />
              <LoadMore
                shown={items.length}
                hasNextPage={alerts.hasNextPage}
                isFetchingNextPage={alerts.isFetchingNextPage}
                fetchNextPage={alerts.fetchNextPage}
              />
            </>
          );
        }}
      </QueryState>
    </>
  );
}
