import { json, stubFetch } from '../../test/harness';
import { apiClient, ApiError, setCsrfToken, withQuery } from './api-client';

afterEach(() => setCsrfToken(null));

describe('apiClient', () => {
  it('GETs same-origin JSON, leaves empty filters out and sends no CSRF header', async () => {
    setCsrfToken('csrf-1');
    const stub = stubFetch({ 'GET /api/ops/payments': { items: [], nextCursor: null } });
    const page = await apiClient.get('/api/ops/payments', { shopId: 'shop-at', state: undefined, q: '', limit: 50 });
    expect(page).toEqual({ items: [], nextCursor: null });
    const [request] = stub.requests;
    expect(request.url.search).toBe('?shopId=shop-at&limit=50');
    expect(request.headers.get('X-CSRF-Token')).toBeNull();
    expect(stub.fetchMock.mock.calls[0][1]).toMatchObject({ credentials: 'same-origin', method: 'GET' });
  });

  it('adds the CSRF token and a JSON body to state-changing requests', async () => {
    setCsrfToken('csrf-7f3a');
    const stub = stubFetch({ 'POST /api/ops/alerts/al-1/ack': { status: 204 } });
    await apiClient.post('/api/ops/alerts/al-1/ack', { comment: 'checked' });
    const [request] = stub.requests;
    expect(request.headers.get('X-CSRF-Token')).toBe('csrf-7f3a');
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(request.body).toEqual({ comment: 'checked' });
  });

  it('throws a typed ApiError carrying the server’s error body', async () => {
    stubFetch({
      'GET /api/ops/payments': json({ statusCode: 400, error: 'Bad Request', message: 'from must be ISO 8601', details: ['from'] }, 400),
    });
    const error = await apiClient.get('/api/ops/payments').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, message: 'from must be ISO 8601', body: { details: ['from'] } });
  });

  it('marks a 401 as unauthorized without navigating anywhere', async () => {
    window.history.replaceState(null, '', '/payments?state=FAILURE');
    stubFetch({ 'GET /api/ops/pending': json({ statusCode: 401, error: 'Unauthorized', message: 'session expired' }, 401) });
    const error = (await apiClient.get('/api/ops/pending').catch((e: unknown) => e)) as ApiError;
    expect(error.isUnauthorized).toBe(true);
    expect(window.location.pathname + window.location.search).toBe('/payments?state=FAILURE');
  });

  it('reports a non-JSON error page and an unreachable server as ApiErrors too', async () => {
    stubFetch({ 'GET /api/ops/overview': { status: 502, text: '<html>Bad Gateway</html>' } });
    await expect(apiClient.get('/api/ops/overview')).rejects.toMatchObject({ status: 502 });

    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const error = (await apiClient.get('/api/ops/overview').catch((e: unknown) => e)) as ApiError;
    expect(error.isNetwork).toBe(true);
  });

  it('builds query strings', () => {
    expect(withQuery('/x', { a: 'b c', n: 0, skip: null })).toBe('/x?a=b+c&n=0');
    expect(withQuery('/x', {})).toBe('/x');
  });
});
