import { ALERT_STATUSES, type AlertStatus } from '@seamless-ops/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { LoadMore } from '../../../components/LoadMore';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { useGlobalFilters } from '../../../lib/filters';
import { useSearchParams } from '../../../lib/router';
import { canAct, useSession } from '../../../lib/session';
import { alertQueries, type AlertSearch } from '../api/alert-queries';
import { ALERT_STATUS_LABELS } from '../components/AlertBadges';
import { AlertsTable } from '../components/AlertsTable';
import { AlertsTabs } from '../components/AlertsTabs';

export function readAlertSearch(params: URLSearchParams): AlertSearch {
  const status = params.get('status');
  return status && (ALERT_STATUSES as readonly string[]).includes(status) ? { status: status as AlertStatus } : {};
}

const EMPTY: Record<AlertStatus | 'all', string> = {
  all: 'No alerts.',
  open: 'No open alerts.',
  acknowledged: 'No acknowledged alerts.',
  resolved: 'No resolved alerts in this range.',
};

export function AlertsPage() {
  const filters = useGlobalFilters();
  const [params, setParams] = useSearchParams();
  const search = readAlertSearch(params);
  const { me } = useSession();
  const alerts = useInfiniteQuery(alertQueries.list(filters, search));
  return (
    <>
      <PageHeader title="Alerts" description="Raised by the scheduled anomaly checks; live at some time in the range." queries={[alerts]} />
      <AlertsTabs current="alerts" />
      <div className="filters">
        <div className="control">
          <span className="control-label" id="alert-status-label">
            Status
          </span>
          <div className="segmented" role="group" aria-labelledby="alert-status-label">
            <button type="button" aria-pressed={search.status === undefined} onClick={() => setParams({ status: null })}>
              All
            </button>
            {ALERT_STATUSES.map((status) => (
              <button key={status} type="button" aria-pressed={search.status === status} onClick={() => setParams({ status })}>
                {ALERT_STATUS_LABELS[status]}
              </button>
            ))}
          </div>
        </div>
      </div>
      <QueryState
        query={alerts}
        what="alerts"
        isEmpty={(data) => data.pages[0].items.length === 0}
        empty={
          <>
            <p className="state-title">{EMPTY[search.status ?? 'all']}</p>
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
