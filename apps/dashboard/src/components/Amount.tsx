import { formatAmount } from '../lib/format';

/** A decimal-string amount in its currency, tabular digits, right-aligned in tables. */
export function Amount({ amount, currency }: { amount: string | null; currency: string | null }) {
  if (amount === null) return <span className="muted">—</span>;
  return <span className="amount">{formatAmount(amount, currency ?? '')}</span>;
}
