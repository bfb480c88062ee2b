import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeForm,
  encodeErrors,
  encodeForm,
  HOBEX_BASE_URL,
  QENTA_BASE_URL,
  QentaClient,
  QentaUsageError,
  SIMULATOR_BASE_URL,
  verifyBackendRequest,
  verifyDataStorageInitRequest,
  verifyFrontendInitRequest,
} from '../src/index';

const SECRET = 'B8AKTPWBRMNBV455FG6M2DANE99WU2';
const credentials = { customerId: 'D200001', shopId: 'seamless', secret: SECRET, password: 'jcv45z' };

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  fields: Record<string, string>;
}
type Handler = (req: Received) => { status?: number; body?: string; delayMs?: number } | 'hang';

let server: Server;
let baseUrl: string;
let handler: Handler;
let received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '', headers: req.headers, fields: decodeForm(raw).fields };
      received.push(r);
      const answer = handler(r);
      if (answer === 'hang') return; // never answers
      setTimeout(() => {
        res.writeHead(answer.status ?? 200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(answer.body ?? '');
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/seamless/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
});

const client = (): QentaClient => new QentaClient({ baseUrl, credentials, timeoutMs: 300, userAgent: 'ops-test/1' });

describe('QentaClient', () => {
  it('exports the base URLs', () => {
    expect(SIMULATOR_BASE_URL).toBe('http://127.0.0.1:3100/seamless');
    expect(QENTA_BASE_URL).toBe('https://api.qenta.com/seamless');
    expect(HOBEX_BASE_URL).toBe('https://papi.hobex.at/seamless');
  });

  it('success: data storage init with the required headers and a valid fingerprint', async () => {
    handler = (r) => {
      const ok = verifyDataStorageInitRequest(r.fields, SECRET);
      return ok.ok
        ? { body: 'storageId=b2737b746627482e0b024097cadb1b41&javascriptUrl=http%3A%2F%2F127.0.0.1%2Fds.js' }
        : { body: encodeForm(encodeErrors(ok.errors)) };
    };
    const r = await client().dataStorageInit({ orderIdent: 'o1', returnUrl: 'https://shop.example/fb', language: 'en' });
    expect(r).toMatchObject({ outcome: 'success', value: { storageId: 'b2737b746627482e0b024097cadb1b41', javascriptUrl: 'http://127.0.0.1/ds.js' } });
    expect(r.exchange).toMatchObject({ url: `${baseUrl.replace(/\/$/, '')}/dataStorage/init`, httpStatus: 200 });
    const h = received[0]!.headers;
    expect(received[0]!.path).toBe('/seamless/dataStorage/init');
    expect(h['user-agent']).toBe('ops-test/1');
    expect(h['content-type']).toBe('application/x-www-form-urlencoded');
    expect(h['connection']).toBe('close');
    expect(h['host']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(Number(h['content-length'])).toBeGreaterThan(0);
  });

  it('success: frontend init and getOrderDetails', async () => {
    handler = (r) => {
      if (r.path.endsWith('/frontend/init')) {
        return verifyFrontendInitRequest(r.fields, SECRET).ok ? { body: 'redirectUrl=https%3A%2F%2Fx%2Fselect.php%3FSID%3D1' } : { status: 500 };
      }
      if (!verifyBackendRequest('getOrderDetails', r.fields, SECRET).ok) return { body: 'status=1&errors=1&error.1.errorCode=18506&error.1.message=REQUESTFINGERPRINT+is+invalid.' };
      return { body: 'status=0&orders=1&objectsTotal=1&order.1.orderNumber=5&order.1.amount=1.00&order.1.payments=0&order.1.credits=0' };
    };
    const fe = await client().frontendInit({
      language: 'en', paymentType: 'CCARD', amount: '1.00', currency: 'EUR', orderDescription: 'd', successUrl: 'https://s', confirmUrl: 'https://c',
      consumerIpAddress: '127.0.0.1', consumerUserAgent: 'ua', customParameters: { opsPaymentId: 'p1' },
    });
    expect(fe).toMatchObject({ outcome: 'success', value: { redirectUrl: 'https://x/select.php?SID=1' } });
    const od = await client().getOrderDetails('5');
    expect(od).toMatchObject({ outcome: 'success', value: { orders: [{ orderNumber: '5', amount: '1.00' }] } });
    expect(received[1]!.path).toBe('/seamless/backend/getOrderDetails');
  });

  it('declined: error block and back-end status', async () => {
    handler = () => ({ body: 'error.1.errorCode=15300&error.1.message=ORDERIDENT+has+an+invalid+length.&error.1.consumerMessage=ung%26%23252%3Bltig&errors=1' });
    expect(await client().dataStorageInit({ orderIdent: '', returnUrl: 'x', language: 'en' })).toMatchObject({
      outcome: 'declined',
      errors: [{ errorCode: '15300', message: 'ORDERIDENT has an invalid length.', consumerMessage: 'ungültig' }],
    });
    handler = () => ({ body: 'error.1.errorCode=11011&error.1.message=Order+number+is+missing.&errors=1&status=1' });
    expect(await client().deposit({ orderNumber: '', amount: '1', currency: 'EUR' })).toMatchObject({ outcome: 'declined', status: 1, errors: [{ errorCode: '11011' }] });
  });

  it.each([
    ['timeout', (): ReturnType<Handler> => 'hang', 'timeout'],
    ['slow answer (1 s > 300 ms timeout)', (): ReturnType<Handler> => ({ delayMs: 1000, body: 'status=0' }), 'timeout'],
    ['HTTP 500', (): ReturnType<Handler> => ({ status: 500, body: 'status=0' }), 'http_status'],
    ['HTTP 403', (): ReturnType<Handler> => ({ status: 403, body: 'Forbidden' }), 'forbidden'],
    ['empty body', (): ReturnType<Handler> => ({ body: '' }), 'empty_body'],
    ['garbage', (): ReturnType<Handler> => ({ body: '%E0%A4%A' }), 'unparseable'],
    ['html', (): ReturnType<Handler> => ({ body: '<html><body>Maintenance</body></html>' }), 'unparseable'],
    ['no status', (): ReturnType<Handler> => ({ body: 'orders=0' }), 'unparseable'],
  ] as const)('unknown: %s', async (_name, h, reason) => {
    handler = h;
    const r = await client().generateOrderNumber();
    expect(r).toMatchObject({ outcome: 'unknown', reason });
  });

  it('unknown: network error and caller abort; never throws', async () => {
    const dead = new QentaClient({ baseUrl: 'http://127.0.0.1:1/seamless', credentials, timeoutMs: 1000 });
    expect(await dead.dataStorageRead('x')).toMatchObject({ outcome: 'unknown', reason: 'network' });
    handler = () => 'hang';
    const ctl = new AbortController();
    const p = new QentaClient({ baseUrl, credentials, timeoutMs: 5000 }).dataStorageRead('x', undefined, { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    expect(await p).toMatchObject({ outcome: 'unknown', reason: 'aborted' });
  });

  it('throws only for programmer errors', () => {
    expect(() => new QentaClient({ baseUrl: 'not a url', credentials })).toThrow(QentaUsageError);
    const noPassword = new QentaClient({ baseUrl, credentials: { customerId: 'D200001', secret: SECRET } });
    expect(() => noPassword.getOrderDetails('1')).toThrow(QentaUsageError);
  });
});
