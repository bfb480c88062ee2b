import type { ApiError as ApiErrorBody } from '@seamless-ops/contracts';

/**
 * The one fetch client of the dashboard: same-origin JSON calls to the operator API, typed answers, and a
 * typed error. It never navigates: the app reacts to `error.isUnauthorized` (session over) on its own.
 */

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue>;

/** A failed call: an HTTP answer outside 2xx (status set) or no answer at all (status 0, `network`). */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    message: string,
    /** The server's error body when it sent one. */
    readonly body: ApiErrorBody | null = null,
  ) {
    super(message);
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
  get isForbidden(): boolean {
    return this.status === 403;
  }
  get isNotFound(): boolean {
    return this.status === 404;
  }
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

let csrfToken: string | null = null;

/** Set from `MeResponse.csrfToken` after login or `GET /api/auth/me`; cleared on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Builds `path?a=1&b=2`, leaving out empty values (so an unset filter is not sent as `shopId=`). */
export function withQuery(path: string, params?: QueryParams): string {
  if (!params) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorBody).message === 'string';
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'The server could not be reached.');
  }

  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }

  if (!response.ok) {
    const errorBody = isErrorBody(parsed) ? parsed : null;
    throw new ApiError(response.status, errorBody?.message ?? (response.statusText || `HTTP ${response.status}`), errorBody);
  }
  if (text && parsed === null) throw new ApiError(response.status, 'The server sent an answer that is not JSON.');
  return parsed as T;
}

export const apiClient = {
  get<T>(path: string, params?: QueryParams, signal?: AbortSignal): Promise<T> {
    return request<T>('GET', withQuery(path, params), undefined, signal);
  },
  post<T>(path: string, body?: unknown): Promise<T> {
    return request<T>('POST', path, body);
  },
};
