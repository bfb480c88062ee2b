import type { FunnelResponse } from '@seamless-ops/contracts';
import { DateTime } from '../../../components/DateTime';
import { formatCount, formatShare } from '../../../lib/format';

/** The funnel per hour or day, newest first. */
export function FunnelBuckets({ funnel }: { funnel: FunnelResponse }) {
  const buckets = [...funnel.buckets].sort((a, b) => Date.parse(b.bucket) - Date.parse(a.bucket));
  if (buckets.length === 0) return <p className="muted">No activity in this range.</p>;
  return (
    <div className="table-wrap table-wrap-short">
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col">{funnel.granularity === 'hour' ? 'Hour' : 'Day (UTC)'}</th>
            <th scope="col" className="num">Started</th>
            <th scope="col" className="num">Initiated</th>
            <th scope="col" className="num">Success</th>
            <th scope="col" className="num">Cancel</th>
            <th scope="col" className="num">Failure</th>
            <th scope="col" className="num">Pending</th>
            <th scope="col" className="num">Conversion</th>
          </tr>
        </thead>
        <tbody>
          {buckets.map((bucket) => (
            <tr key={bucket.bucket}>
              <td>
                {funnel.granularity === 'hour' ? (
                  <DateTime value={bucket.bucket} seconds={false} />
                ) : (
                  // Day buckets are UTC days (the API's rollup): label them as such.
                  <time dateTime={bucket.bucket}>{bucket.bucket.slice(0, 10)}</time>
                )}
              </td>
              <td className="num">{formatCount(bucket.checkoutsStarted)}</td>
              <td className="num">{formatCount(bucket.paymentsInitiated)}</td>
              <td className="num">{formatCount(bucket.successes)}</td>
              <td className="num">{formatCount(bucket.cancels)}</td>
              <td className="num">{formatCount(bucket.failures)}</td>
              <td className="num">{formatCount(bucket.pendings)}</td>
              <td className="num">
                {formatShare(bucket.successes, bucket.checkoutsStarted > 0 ? bucket.checkoutsStarted : bucket.paymentsInitiated)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
