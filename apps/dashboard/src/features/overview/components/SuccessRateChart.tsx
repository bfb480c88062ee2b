import type { OverviewResponse } from '@seamless-ops/contracts';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartSeries, chartStyle } from '../../../lib/chart-theme';
import { formatCount, formatDateTime } from '../../../lib/format';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Success rate per bucket (hour or day, as the API chose): hours in the merchant's time zone, days as UTC days. */
export function SuccessRateChart({ series, timeZone }: { series: OverviewResponse['successRateSeries']; timeZone: string }) {
  const daily = series.length > 1 && Date.parse(series[1].bucket) - Date.parse(series[0].bucket) >= DAY_MS;
  const data = series.map((point) => {
    return {
      label: daily ? `${point.bucket.slice(0, 10)} UTC` : formatDateTime(point.bucket, timeZone, { seconds: false }).slice(5, 16),
      rate: point.successRate === null ? null : Math.round(point.successRate * 1000) / 10,
      finals: point.finals,
    };
  });
  return (
    <figure className="chart" aria-label="Success rate over time chart">
      <ResponsiveContainer width="100%" height={chartStyle.height}>
        <LineChart data={data} margin={chartStyle.margin}>
          <CartesianGrid {...chartStyle.grid} />
          <XAxis dataKey="label" minTickGap={24} {...chartStyle.axis} />
          <YAxis domain={[0, 100]} unit=" %" width={56} {...chartStyle.axis} />
          <Tooltip
            {...chartStyle.tooltip}
            formatter={(value, _name, item) => [
              value === null || value === undefined
                ? 'no final outcomes'
                : `${value} % of ${formatCount((item.payload as (typeof data)[number]).finals)} final`,
              chartSeries.successRate.label,
            ]}
          />
          <Line
            type="monotone"
            dataKey="rate"
            name={chartSeries.successRate.label}
            stroke={chartSeries.successRate.color}
            strokeWidth={2}
            dot={{ r: 2 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
