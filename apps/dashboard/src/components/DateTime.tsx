import { formatDateTime, formatUtc } from '../lib/format';
import { useDisplayTimeZone } from '../lib/session';

/** An instant in the merchant's time zone, with UTC on hover. */
export function DateTime({ value, seconds }: { value: string | null; seconds?: boolean }) {
  const timeZone = useDisplayTimeZone();
  if (!value) return <span className="muted">—</span>;
  return (
    <time className="datetime" dateTime={value} title={formatUtc(value)}>
      {formatDateTime(value, timeZone, { seconds })}
    </time>
  );
}
