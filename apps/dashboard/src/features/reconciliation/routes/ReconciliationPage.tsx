import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { useGlobalFilters } from '../../../lib/filters';
import { useSearchParams } from '../../../lib/router';
import { canReconcile, useDisplayTimeZone, useSession } from '../../../lib/session';
import { dailyTotalsCsvHref, readReconciliationSearch, reconciliationQueries, toDailyTotalsFilter } from '../api/reconciliation-queries';
import { DailyTotalsTable } from '../components/DailyTotalsTable';
import { ReconciliationFilters } from '../components/ReconciliationFilters';
import { TotalsTable } from '../components/TotalsTable';

const DESCRIPTION = 'Payments per local day of the shop, currency, payment type and state: how many, and their exact sum.';

export function ReconciliationPage() {
  const { me } = useSession();
  if (!canReconcile(me.operator.role)) {
    return (
      <>
        <PageHeader title="Reconciliation" description={DESCRIPTION} />
        <div className="state state-error" role="alert">
          <p className="state-title">Not allowed.</p>
          <p>
            Reconciliation is for the finance and admin roles; you are signed in as <strong>{me.operator.role}</strong>. Ask an
            admin for the finance role if you need the daily totals.
          </p>
        </div>
      </>
    );
  }
  return <DailyTotals />;
}

function DailyTotals() {
  const filters = useGlobalFilters();
  const [params] = useSearchParams();
  const timeZone = useDisplayTimeZone();
  const filter = toDailyTotalsFilter(readReconciliationSearch(params), filters, timeZone);
  const daily = useQuery(reconciliationQueries.daily(filter));

  return (
    <>
      <PageHeader title="Reconciliation" description={DESCRIPTION} queries={[daily]}>
        <a className="button" href={dailyTotalsCsvHref(filter)} download>
          Download CSV
        </a>
      </PageHeader>
      <ReconciliationFilters from={filter.from} to={filter.to} />
      <QueryState
        query={daily}
        what="the daily totals"
        isEmpty={(data) => data.rows.length === 0}
        empty={
          <>
            <p className="state-title">No payments on these days.</p>
            <p>
              No payment reached a state from {filter.from} to {filter.to} with these filters.
            </p>
          </>
        }
      >
        {(data) => (
          <>
            <section className="card" aria-labelledby="reconciliation-totals-heading">
              <h2 id="reconciliation-totals-heading">
                Totals {data.from} → {data.to}
              </h2>
              <TotalsTable totals={data.totals} />
            </section>
            <section className="card" aria-labelledby="reconciliation-daily-heading">
              <h2 id="reconciliation-daily-heading">Per day</h2>
              <p className="muted small">
                A payment counts on the local day it reached its state: final states when they became final, the others
                when the payment was initiated. Hover a day for its bounds in UTC.
              </p>
              <DailyTotalsTable rows={data.rows} />
            </section>
          </>
        )}
      </QueryState>
    </>
  );
}
