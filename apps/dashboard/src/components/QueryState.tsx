import type { ReactNode } from 'react';
import { isApiError } from '../lib/api-client';

/** What went wrong, in words an operator can act on. */
export function describeError(error: unknown): string {
  if (isApiError(error)) {
    if (error.isNetwork) return 'The server could not be reached. Check the connection and try again.';
    if (error.isForbidden) return 'You do not have access to this.';
    if (error.isNotFound) return 'Not found.';
    if (error.status >= 500) return `The server had a problem (HTTP ${error.status}). Try again in a moment.`;
    return error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

interface QueryLike<T> {
  status: 'pending' | 'error' | 'success';
  data: T | undefined;
  error: unknown;
  isFetching: boolean;
  refetch: () => unknown;
}

interface QueryStateProps<T> {
  query: QueryLike<T>;
  /** What is being loaded, for the loading and error messages ("payments"). */
  what: string;
  isEmpty?: (data: T) => boolean;
  /** Shown when `isEmpty` says so. */
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}

/** Loading, error (with a retry) and empty states around a query's data. */
export function QueryState<T>({ query, what, isEmpty, empty, children }: QueryStateProps<T>) {
  if (query.status === 'pending') {
    return (
      <div className="state state-loading" role="status">
        <span className="spinner" aria-hidden="true" /> Loading {what}…
      </div>
    );
  }
  if (query.data === undefined) {
    return (
      <div className="state state-error" role="alert">
        <p className="state-title">Could not load {what}.</p>
        <p>{describeError(query.error)}</p>
        <button type="button" className="button" onClick={() => query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? 'Retrying…' : 'Try again'}
        </button>
      </div>
    );
  }
  const data = query.data;
  return (
    <>
      {query.status === 'error' && (
        <div className="banner banner-warning" role="alert">
          Refreshing {what} failed: {describeError(query.error)} Showing the last data received.
        </div>
      )}
      {isEmpty?.(data) ? <div className="state state-empty">{empty}</div> : children(data)}
    </>
  );
}
