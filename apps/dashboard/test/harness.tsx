import type { MeResponse } from '@seamless-ops/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { App } from '../src/app/App';
import { setCsrfToken } from '../src/lib/api-client';
import { meAdmin } from './fixtures';

/**
 * Test harness: the whole app with a fresh QueryClient (retries off), the URL set first, and `fetch`
 * stubbed at the client boundary by a small table of routes answering typed fixtures. Every request is
 * recorded so a test can assert what was asked, with which parameters and headers.
 */

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** Raw text instead of JSON. */
  text?: string;
}

export type Responder = (request: RecordedRequest) => Reply | Promise<Reply>;

/** `'GET /api/ops/payments'` → answer. A plain value answers 200 with it as JSON. */
export type Routes = Record<string, Responder | Reply | object>;

export const json = (body: unknown, status = 200): Reply => ({ status, body });

export function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && ('status' in value || 'text' in value) && Object.keys(value).every((k) => ['status', 'body', 'text'].includes(k));
}

export function stubFetch(routes: Routes) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), window.location.origin);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const request: RecordedRequest = { method, url, headers, body };
    requests.push(request);
    const route = routes[`${method} ${url.pathname}`];
    let reply: Reply;
    if (route === undefined) reply = json({ statusCode: 404, error: 'Not Found', message: `no fixture for ${method} ${url.pathname}` }, 404);
    else if (typeof route === 'function') reply = await (route as Responder)(request);
    else if (isReply(route)) reply = route;
    else reply = json(route);
    const status = reply.status ?? 200;
    const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    fetchMock,
    requests,
    /** The requests made to one path, in order. */
    to: (method: string, pathname: string) => requests.filter((r) => r.method === method && r.url.pathname === pathname),
  };
}

export function createTestQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
}

export interface RenderAppResult extends RenderResult {
  user: UserEvent;
  queryClient: QueryClient;
  requests: RecordedRequest[];
  to: (method: string, pathname: string) => RecordedRequest[];
}

/** Renders the app at `url`, signed in as `me` unless `me` is null (then `/api/auth/me` answers 401). */
export function renderApp(url: string, routes: Routes = {}, me: MeResponse | null = meAdmin): RenderAppResult {
  window.history.replaceState(null, '', url);
  setCsrfToken(null);
  const stub = stubFetch({
    'GET /api/auth/me': me ? json(me) : json({ statusCode: 401, error: 'Unauthorized', message: 'Not signed in' }, 401),
    ...routes,
  });
  const queryClient = createTestQueryClient();
  const user = userEvent.setup();
  const result = render(
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>,
  );
  return { ...result, user, queryClient, requests: stub.requests, to: stub.to };
}

/** Current pathname + search, decoded for readable assertions. */
export function currentUrl(): { pathname: string; params: URLSearchParams } {
  return { pathname: window.location.pathname, params: new URLSearchParams(window.location.search) };
}

afterEach(() => {
  vi.unstubAllGlobals();
  window.history.replaceState(null, '', '/');
});
