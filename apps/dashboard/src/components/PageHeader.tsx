import { useEffect, useState, type ReactNode } from 'react';

interface Refreshable {
  dataUpdatedAt: number;
  isFetching: boolean;
  refetch: () => unknown;
}

/** "Updated 12 s ago", ticking, from the oldest of the page's queries. */
export function UpdatedAgo({ queries }: { queries: readonly Refreshable[] }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const fetching = queries.some((q) => q.isFetching);
  const stamps = queries.map((q) => q.dataUpdatedAt).filter((t) => t > 0);
  let text: string;
  if (stamps.length === 0) text = fetching ? 'Loading…' : 'Not loaded yet';
  else {
    const seconds = Math.max(0, Math.round((now - Math.min(...stamps)) / 1000));
    text = seconds < 60 ? `Updated ${seconds} s ago` : `Updated ${Math.floor(seconds / 60)} min ago`;
  }
  return (
    <div className="updated">
      <span className={fetching ? 'dot dot-live' : 'dot'} aria-hidden="true" />
      <span aria-live="off">{text}</span>
      <button
        type="button"
        className="button button-ghost button-small"
        onClick={() => queries.forEach((q) => q.refetch())}
        disabled={fetching}
      >
        {fetching ? 'Refreshing…' : 'Refresh'}
      </button>
    </div>
  );
}

export function PageHeader({
  title,
  description,
  queries = [],
  children,
}: {
  title: ReactNode;
  description?: ReactNode;
  queries?: readonly Refreshable[];
  children?: ReactNode;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {description && <p className="page-description">{description}</p>}
      </div>
      <div className="page-header-actions">
        {children}
        {queries.length > 0 && <UpdatedAgo queries={queries} />}
      </div>
    </header>
  );
}
