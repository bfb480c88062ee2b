import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { withGlobalFilters } from '../../../lib/filters';
import { Link, useSearchParams } from '../../../lib/router';
import { paymentQueries } from '../api/payment-queries';
import { PaymentSummary } from '../components/PaymentSummary';
import { Timeline } from '../components/Timeline';

export function PaymentDetailPage({ paymentId }: { paymentId: string }) {
  const [params] = useSearchParams();
  const payment = useQuery(paymentQueries.detail(paymentId));
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={withGlobalFilters('/payments', params)}>Payments</Link> <span aria-hidden="true">/</span>{' '}
        <span className="mono">{paymentId}</span>
      </nav>
      <PageHeader title={
          <>
            Payment <span className="mono">{paymentId}</span>
          </>
        } queries={[payment]} />
      <QueryState query={payment} what="the payment">
        {(data) => (
          <>
            <PaymentSummary payment={data} />
            <section className="card" aria-labelledby="timeline-heading">
              <h2 id="timeline-heading">Timeline</h2>
              {data.timeline.length === 0 ? <p className="muted">No events recorded.</p> : <Timeline events={data.timeline} />}
            </section>
          </>
        )}
      </QueryState>
    </>
  );
}
