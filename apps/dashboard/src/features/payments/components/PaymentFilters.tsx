import { PAYMENT_STATES, type PaymentState } from '@seamless-ops/contracts';
import { useState, type FormEvent } from 'react';
import { PAYMENT_STATE_LABELS } from '../../../lib/labels';
import { useSearchParams } from '../../../lib/router';
import type { PaymentSearch } from '../api/payment-queries';

export function readPaymentSearch(params: URLSearchParams): PaymentSearch {
  const search: PaymentSearch = {};
  const state = params.get('state');
  if (state && (PAYMENT_STATES as readonly string[]).includes(state)) search.state = state as PaymentState;
  const q = params.get('q')?.trim();
  if (q) search.q = q;
  return search;
}

/** State and free-text search, kept in the URL (the time range, shop and type are in the top bar). */
export function PaymentFilters() {
  const [params, setParams] = useSearchParams();
  const search = readPaymentSearch(params);
  const [q, setQ] = useState(search.q ?? '');
  const [lastUrlQ, setLastUrlQ] = useState(search.q ?? '');
  // Follow the URL when it changes under us (back/forward, a shared link).
  if ((search.q ?? '') !== lastUrlQ) {
    setLastUrlQ(search.q ?? '');
    setQ(search.q ?? '');
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setParams({ q: q.trim() });
  };

  return (
    <form className="filters" role="search" aria-label="Payment filters" onSubmit={submit}>
      <div className="control control-grow">
        <label htmlFor="payments-q">Search</label>
        <input
          id="payments-q"
          type="search"
          placeholder="Payment id, order number, order ident, gateway reference"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <div className="control">
        <label htmlFor="payments-state">State</label>
        <select id="payments-state" value={search.state ?? ''} onChange={(e) => setParams({ state: e.target.value })}>
          <option value="">All states</option>
          {PAYMENT_STATES.map((state) => (
            <option key={state} value={state}>
              {PAYMENT_STATE_LABELS[state]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button-primary">
        Search
      </button>
      {(search.state || search.q) && (
        <button
          type="button"
          className="button button-ghost"
          onClick={() => {
            setQ('');
            setParams({ state: null, q: null });
          }}
        >
          Clear
        </button>
      )}
    </form>
  );
}
