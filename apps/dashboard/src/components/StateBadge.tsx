import type { PaymentState } from '@seamless-ops/contracts';
import type { ReactNode } from 'react';
import { PAYMENT_STATE_LABELS } from '../lib/labels';

export type BadgeTone = 'success' | 'danger' | 'warning' | 'info' | 'neutral';

const STATE_TONES: Record<PaymentState, BadgeTone> = {
  SUCCESS: 'success',
  FAILURE: 'danger',
  INIT_FAILED: 'danger',
  CANCEL: 'neutral',
  PENDING: 'warning',
  INITIATED: 'info',
  UNKNOWN: 'warning',
};

export function Badge({ tone, children, title }: { tone: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

/** A payment state, coloured by what it means. The code stays visible in the title. */
export function StateBadge({ state }: { state: PaymentState }) {
  return (
    <Badge tone={STATE_TONES[state]} title={state}>
      {PAYMENT_STATE_LABELS[state]}
    </Badge>
  );
}
