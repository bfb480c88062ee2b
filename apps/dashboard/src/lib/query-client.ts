import { QueryClient } from '@tanstack/react-query';
import { isApiError } from './api-client';

/** Auto-refresh period of every view. */
export const AUTO_REFRESH_MS = 30_000;

/** The app's QueryClient. Tests build their own: fresh per test, retries off. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchInterval: AUTO_REFRESH_MS,
        refetchOnWindowFocus: true,
        // A 4xx will not get better by asking again; network trouble and 5xx get two more tries.
        retry: (failureCount, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && failureCount < 2,
      },
      mutations: { retry: false },
    },
  });
}
