import type { FunnelCounts, FunnelResponse } from '@seamless-ops/contracts';
import { chartSeries } from '../../../lib/chart-theme';

/** The funnel, in order (ARCHITECTURE §4). */
export const FUNNEL_STEPS = [
  'checkoutsStarted',
  'storagesInitialized',
  'paymentDataStored',
  'paymentsInitiated',
  'confirmations',
  'successes',
] as const satisfies readonly (keyof FunnelCounts & keyof typeof chartSeries)[];

export type FunnelStep = (typeof FUNNEL_STEPS)[number];

/** Where checkouts leave the funnel. */
export const DROP_OFFS: readonly { key: keyof FunnelResponse['dropOffs']; label: string; explanation: string }[] = [
  { key: 'storageExpired', label: 'Storage expired', explanation: 'card data entered, no payment started within 30 min' },
  { key: 'initFailed', label: 'Payment init failed', explanation: 'the gateway refused or did not answer the payment init' },
  { key: 'cancelled', label: 'Cancelled', explanation: 'confirmed CANCEL by the consumer' },
  { key: 'failed', label: 'Failed', explanation: 'confirmed FAILURE' },
  { key: 'stillPending', label: 'Still pending', explanation: 'initiated or PENDING, no final state yet' },
];

export interface FunnelRow {
  step: FunnelStep;
  label: string;
  count: number;
  /** Share of the step before (null for the first step or when that one is 0). */
  ofPrevious: number | null;
  /** Share of the funnel's entry. */
  ofEntry: number | null;
}

/**
 * The entry of the funnel is "checkout started"; when the shop reports no checkout starts, the rows are
 * measured against "payment initiated" instead (as the API's conversion is).
 */
export function funnelRows(totals: FunnelCounts): FunnelRow[] {
  const entry = totals.checkoutsStarted > 0 ? totals.checkoutsStarted : totals.paymentsInitiated;
  return FUNNEL_STEPS.map((step, index) => {
    const count = totals[step];
    const previous = index > 0 ? totals[FUNNEL_STEPS[index - 1]] : 0;
    return {
      step,
      label: chartSeries[step].label,
      count,
      ofPrevious: index > 0 && previous > 0 ? count / previous : null,
      ofEntry: entry > 0 ? count / entry : null,
    };
  });
}
