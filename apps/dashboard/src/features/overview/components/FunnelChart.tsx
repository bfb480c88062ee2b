import type { FunnelCounts } from '@seamless-ops/contracts';
import { Bar, BarChart, CartesianGrid, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartSeries, chartStyle } from '../../../lib/chart-theme';
import { formatCount, formatPercent } from '../../../lib/format';
import { funnelRows } from './funnel-steps';

/** The funnel steps as horizontal bars (room for the step names), each labelled with its count. */
export function FunnelChart({ totals }: { totals: FunnelCounts }) {
  const data = funnelRows(totals).map((row) => ({ ...row, color: chartSeries[row.step].color }));
  return (
    <figure className="chart" aria-label="Checkout funnel chart">
      <ResponsiveContainer width="100%" height={chartStyle.height}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 56, bottom: 4, left: 8 }}>
          <CartesianGrid {...chartStyle.grid} vertical horizontal={false} />
          <XAxis type="number" allowDecimals={false} {...chartStyle.axis} />
          <YAxis type="category" dataKey="label" width={150} interval={0} {...chartStyle.axis} />
          <Tooltip
            {...chartStyle.tooltip}
            formatter={(value, _name, item) => [
              `${formatCount(Number(value))} (${formatPercent((item.payload as (typeof data)[number]).ofEntry)} of entry)`,
              'Count',
            ]}
          />
          <Bar dataKey="count" radius={[0, 4, 4, 0]} barSize={26} isAnimationActive={false}>
            {data.map((row) => (
              <Cell key={row.step} fill={row.color} />
            ))}
            <LabelList dataKey="count" position="right" formatter={(value) => formatCount(Number(value))} {...chartStyle.label} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
