import type { LoginRequest, MeResponse } from '@seamless-ops/contracts';
import { queryOptions } from '@tanstack/react-query';
import { apiClient, isApiError, setCsrfToken } from '../../../lib/api-client';

export const authKeys = {
  all: ['auth'] as const,
  me: ['auth', 'me'] as const,
  login: ['auth', 'login'] as const,
  logout: ['auth', 'logout'] as const,
};

export const authQueries = {
  /** The signed-in operator, or null when there is no session (401). */
  me: () =>
    queryOptions({
      queryKey: authKeys.me,
      queryFn: async ({ signal }): Promise<MeResponse | null> => {
        try {
          const me = await apiClient.get<MeResponse>('/api/auth/me', undefined, signal);
          setCsrfToken(me.csrfToken);
          return me;
        } catch (error) {
          if (isApiError(error) && error.isUnauthorized) {
            setCsrfToken(null);
            return null;
          }
          throw error;
        }
      },
      staleTime: 60_000,
    }),
};

export async function login(request: LoginRequest): Promise<MeResponse> {
  const me = await apiClient.post<MeResponse>('/api/auth/login', request);
  setCsrfToken(me.csrfToken);
  return me;
}

export async function logout(): Promise<void> {
  try {
    await apiClient.post<unknown>('/api/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}
