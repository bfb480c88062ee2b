import { useState, type FormEvent } from 'react';
import { readGlobalFilters, RELATIVE_RANGES, resolveRange, type RangeKey } from '../lib/filters';
import { fromZonedInputValue, toZonedInputValue } from '../lib/format';
import { COMMON_PAYMENT_TYPES } from '../lib/labels';
import { useSearchParams } from '../lib/router';
import { useDisplayTimeZone, useSession } from '../lib/session';

/**
 * Time range, shop and payment type: written to the URL, read by every page. `timeRange` false hides the range
 * on a page that does not use it (the reconciliation reads local days of its own); the URL keeps it for the
 * other pages.
 */
export function GlobalControls({ timeRange = true }: { timeRange?: boolean }) {
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const filters = readGlobalFilters(params);
  const timeZone = useDisplayTimeZone();
  const [editingCustom, setEditingCustom] = useState(false);
  const showCustom = editingCustom || filters.range === 'custom';

  const paymentTypes: string[] = [...COMMON_PAYMENT_TYPES];
  if (filters.paymentType && !paymentTypes.includes(filters.paymentType)) paymentTypes.unshift(filters.paymentType);

  const changeRange = (value: RangeKey) => {
    if (value === 'custom') {
      setEditingCustom(true);
      return;
    }
    setEditingCustom(false);
    setParams({ range: value, from: null, to: null });
  };

  return (
    <div className="topbar" role="region" aria-label="Filters">
      {timeRange && (
        <div className="control">
          <label htmlFor="filter-range">Time range</label>
          <select id="filter-range" value={showCustom ? 'custom' : filters.range} onChange={(e) => changeRange(e.target.value as RangeKey)}>
            {RELATIVE_RANGES.map((range) => (
              <option key={range.value} value={range.value}>
                {range.label}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </div>
      )}
      {timeRange && showCustom && (
        <CustomRange
          key={`${filters.from ?? ''}|${filters.to ?? ''}|${timeZone}`}
          initial={resolveRange(filters)}
          timeZone={timeZone}
          onApply={(from, to) => {
            setEditingCustom(false);
            setParams({ range: 'custom', from, to });
          }}
          onCancel={filters.range === 'custom' ? undefined : () => setEditingCustom(false)}
        />
      )}
      <div className="control">
        <label htmlFor="filter-shop">Shop</label>
        <select id="filter-shop" value={filters.shopId ?? ''} onChange={(e) => setParams({ shopId: e.target.value })}>
          <option value="">All shops</option>
          {me.shops.map((shop) => (
            <option key={shop.id} value={shop.id}>
              {shop.name}
            </option>
          ))}
        </select>
      </div>
      <div className="control">
        <label htmlFor="filter-payment-type">Payment type</label>
        <select
          id="filter-payment-type"
          value={filters.paymentType ?? ''}
          onChange={(e) => setParams({ paymentType: e.target.value })}
        >
          <option value="">All types</option>
          {paymentTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <p className="topbar-zone muted" title="Times are shown in this time zone; hover a time to see it in UTC.">
        Times in {timeZone}
      </p>
    </div>
  );
}

function CustomRange({
  initial,
  timeZone,
  onApply,
  onCancel,
}: {
  initial: { from: string; to: string };
  timeZone: string;
  onApply: (from: string, to: string) => void;
  onCancel?: () => void;
}) {
  const [from, setFrom] = useState(() => toZonedInputValue(initial.from, timeZone));
  const [to, setTo] = useState(() => toZonedInputValue(initial.to, timeZone));
  const fromIso = fromZonedInputValue(from, timeZone);
  const toIso = fromZonedInputValue(to, timeZone);
  const invalid = !fromIso || !toIso || Date.parse(fromIso) >= Date.parse(toIso);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!invalid && fromIso && toIso) onApply(fromIso, toIso);
  };

  return (
    <form className="custom-range" onSubmit={submit} aria-label="Custom time range">
      <div className="control">
        <label htmlFor="filter-from">From</label>
        <input id="filter-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </div>
      <div className="control">
        <label htmlFor="filter-to">To</label>
        <input id="filter-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
      </div>
      <button type="submit" className="button button-primary" disabled={invalid}>
        Apply
      </button>
      {onCancel && (
        <button type="button" className="button button-ghost" onClick={onCancel}>
          Cancel
        </button>
      )}
    </form>
  );
}
