/**
 * The one theme of every chart: series labels and colours (CSS variables from styles.css, so charts follow
 * the page's palette), plus the shared axis, grid and tooltip styling. Charts are plain recharts that read
 * from here.
 */

export const chartSeries = {
  checkoutsStarted: { label: 'Checkout started', color: 'var(--chart-step-1)' },
  storagesInitialized: { label: 'Storage initialized', color: 'var(--chart-step-2)' },
  paymentDataStored: { label: 'Payment data stored', color: 'var(--chart-step-3)' },
  paymentsInitiated: { label: 'Payment initiated', color: 'var(--chart-step-4)' },
  confirmations: { label: 'Confirmed', color: 'var(--chart-step-5)' },
  successes: { label: 'SUCCESS', color: 'var(--success)' },
  successRate: { label: 'Success rate', color: 'var(--accent)' },
  pending: { label: 'Pending', color: 'var(--warning)' },
} as const;

export type ChartSeriesKey = keyof typeof chartSeries;

export const chartStyle = {
  height: 260,
  margin: { top: 24, right: 16, bottom: 4, left: 0 },
  grid: { stroke: 'var(--border)', strokeDasharray: '3 3', vertical: false },
  axis: {
    stroke: 'var(--border-strong)',
    tick: { fill: 'var(--text-muted)', fontSize: 12 },
    tickLine: false,
  },
  tooltip: {
    contentStyle: {
      background: 'var(--surface)',
      border: '1px solid var(--border)',
      borderRadius: 6,
      boxShadow: 'var(--shadow)',
      fontSize: 13,
    },
    cursor: { fill: 'var(--surface-hover)' },
  },
  label: { fill: 'var(--text)', fontSize: 12, fontWeight: 600 },
} as const;
