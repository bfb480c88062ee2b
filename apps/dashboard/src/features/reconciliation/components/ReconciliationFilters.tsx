import { useState, type FormEvent } from 'react';
import { useSearchParams } from '../../../lib/router';
import { DEFAULT_DAYS, readReconciliationSearch } from '../api/reconciliation-queries';
import { daysBetween, isCalendarDate } from '../local-days';

/** Currencies offered in the filter; one found in the URL is offered too. */
const COMMON_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'CZK', 'DKK', 'HUF', 'NOK', 'PLN', 'SEK', 'JPY'] as const;

/**
 * The local days and the currency, kept in the URL (`fromDay`, `toDay`, `currency`); shop and payment type are
 * the top bar's. `from`/`to` are the days actually asked for (defaults filled in).
 */
export function ReconciliationFilters({ from, to }: { from: string; to: string }) {
  const [params, setParams] = useSearchParams();
  const search = readReconciliationSearch(params);
  const [fromInput, setFromInput] = useState(from);
  const [toInput, setToInput] = useState(to);
  const [shown, setShown] = useState(`${from}|${to}`);
  // Follow the URL when it changes under us (back/forward, a shared link, the reset).
  if (shown !== `${from}|${to}`) {
    setShown(`${from}|${to}`);
    setFromInput(from);
    setToInput(to);
  }

  const valid = isCalendarDate(fromInput) && isCalendarDate(toInput) && daysBetween(fromInput, toInput) >= 0;
  const changed = fromInput !== from || toInput !== to;
  const currencies: string[] = [...COMMON_CURRENCIES];
  if (search.currency && !currencies.includes(search.currency)) currencies.unshift(search.currency);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (valid) setParams({ fromDay: fromInput, toDay: toInput });
  };

  return (
    <form className="filters" aria-label="Reconciliation filters" onSubmit={submit}>
      <div className="control">
        <label htmlFor="reconciliation-from">From day</label>
        <input id="reconciliation-from" type="date" value={fromInput} max={toInput || undefined} onChange={(e) => setFromInput(e.target.value)} required />
      </div>
      <div className="control">
        <label htmlFor="reconciliation-to">To day</label>
        <input id="reconciliation-to" type="date" value={toInput} min={fromInput || undefined} onChange={(e) => setToInput(e.target.value)} required />
      </div>
      <button type="submit" className="button button-primary" disabled={!valid || !changed}>
        Apply days
      </button>
      {(search.fromDay || search.toDay) && (
        <button type="button" className="button button-ghost" onClick={() => setParams({ fromDay: null, toDay: null })}>
          Last {DEFAULT_DAYS} days
        </button>
      )}
      <div className="control">
        <label htmlFor="reconciliation-currency">Currency</label>
        <select id="reconciliation-currency" value={search.currency ?? ''} onChange={(e) => setParams({ currency: e.target.value })}>
          <option value="">All currencies</option>
          {currencies.map((currency) => (
            <option key={currency} value={currency}>
              {currency}
            </option>
          ))}
        </select>
      </div>
      {!valid && fromInput && toInput && (
        <p className="form-error" role="alert">
          The first day must not be after the last.
        </p>
      )}
    </form>
  );
}
