import type { FunnelGranularity } from '@seamless-ops/contracts';
import { useQuery } from '@tanstack/react-query';
import { PageHeader } from '../../../components/PageHeader';
import { QueryState } from '../../../components/QueryState';
import { defaultGranularity, useGlobalFilters } from '../../../lib/filters';
import { useSearchParams } from '../../../lib/router';
import { useDisplayTimeZone } from '../../../lib/session';
import { overviewQueries } from '../api/overview-queries';
import { FunnelBuckets } from '../components/FunnelBuckets';
import { FunnelChart } from '../components/FunnelChart';
import { DropOffs, FunnelTable } from '../components/FunnelTable';
import { KpiTiles } from '../components/KpiTiles';
import { SuccessRateChart } from '../components/SuccessRateChart';

export function OverviewPage() {
  const filters = useGlobalFilters();
  const [params, setParams] = useSearchParams();
  const timeZone = useDisplayTimeZone();
  const requested = params.get('granularity');
  const granularity: FunnelGranularity = requested === 'hour' || requested === 'day' ? requested : defaultGranularity(filters);

  const kpis = useQuery(overviewQueries.kpis(filters));
  const funnel = useQuery(overviewQueries.funnel(filters, granularity));

  return (
    <>
      <PageHeader
        title="Overview"
        description="How checkout converts, what is stuck and what does not add up."
        queries={[kpis, funnel]}
      />
      <QueryState query={kpis} what="key figures">
        {(overview) => <KpiTiles overview={overview} />}
      </QueryState>

      <section className="card" aria-labelledby="funnel-heading">
        <div className="card-header">
          <h2 id="funnel-heading">Checkout funnel</h2>
          <div className="segmented" role="group" aria-label="Funnel granularity">
            {(['hour', 'day'] as const).map((value) => (
              <button
                key={value}
                type="button"
                aria-pressed={granularity === value}
                onClick={() => setParams({ granularity: value }, { replace: true })}
              >
                Per {value}
              </button>
            ))}
          </div>
        </div>
        <QueryState
          query={funnel}
          what="the funnel"
          isEmpty={(data) => data.totals.checkoutsStarted === 0 && data.totals.paymentsInitiated === 0 && data.totals.storagesInitialized === 0}
          empty={<p>No checkouts in this range.</p>}
        >
          {(data) => (
            <>
              <div className="funnel-layout">
                <FunnelChart totals={data.totals} />
                <FunnelTable funnel={data} />
              </div>
              <DropOffs funnel={data} />
              <details className="details">
                <summary>Funnel per {data.granularity}</summary>
                <FunnelBuckets funnel={data} />
              </details>
            </>
          )}
        </QueryState>
      </section>

      <section className="card" aria-labelledby="success-rate-heading">
        <div className="card-header">
          <h2 id="success-rate-heading">Success rate over time</h2>
          <span className="muted small">successes of final outcomes (success, cancel, failure) per bucket</span>
        </div>
        <QueryState
          query={kpis}
          what="the success rate"
          isEmpty={(data) => data.successRateSeries.every((point) => point.successRate === null)}
          empty={<p>No final outcomes in this range.</p>}
        >
          {(data) => <SuccessRateChart series={data.successRateSeries} timeZone={timeZone} />}
        </QueryState>
      </section>
    </>
  );
}
