import { PENDING_AGE_BUCKETS, type PendingResponse } from '@seamless-ops/contracts';
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartSeries, chartStyle } from '../../../lib/chart-theme';

/** Every age bucket, in order, zero where the API sent none. */
export function agingData(ageBuckets: PendingResponse['ageBuckets']) {
  return PENDING_AGE_BUCKETS.map((bucket) => ({
    bucket,
    count: ageBuckets.find((entry) => entry.bucket === bucket)?.count ?? 0,
  }));
}

export function PendingAgingChart({ ageBuckets }: { ageBuckets: PendingResponse['ageBuckets'] }) {
  const data = agingData(ageBuckets);
  return (
    <figure className="chart" aria-label="Pending payments by age">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={chartStyle.margin}>
          <CartesianGrid {...chartStyle.grid} />
          <XAxis dataKey="bucket" interval={0} {...chartStyle.axis} />
          <YAxis allowDecimals={false} width={40} {...chartStyle.axis} />
          <Tooltip {...chartStyle.tooltip} formatter={(value) => [value, chartSeries.pending.label]} />
          <Bar dataKey="count" name={chartSeries.pending.label} fill={chartSeries.pending.color} radius={[4, 4, 0, 0]} isAnimationActive={false}>
            <LabelList dataKey="count" position="top" {...chartStyle.label} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <figcaption className="sr-only">
        {data.map((entry) => `${entry.bucket}: ${entry.count}`).join(', ')}
      </figcaption>
    </figure>
  );
}
