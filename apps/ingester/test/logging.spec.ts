import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Logger, type INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createIngesterApp } from '../src/app';
import { guardLogLine, isQuietPath } from '../src/observability/logging';
import { testConfig } from './app';
import { createTestDatabase, type TestDatabase } from './database';
import { notificationShopsEnv, NOTIFY_SHOP } from './notifications-receiver';

const PAN = '4111111111111111';
const COOKIE = `session=cookie-value-${randomUUID()}`;
const BODY_MARKER = `body-marker-${randomUUID()}`;

type LogLine = Record<string, unknown> & {
  level?: string;
  msg?: string;
  context?: string;
  req?: { url?: string; headers?: Record<string, string> };
  res?: { statusCode?: number };
};

/** The app with its log lines captured (the same JSON lines main.ts writes to stdout). */
describe('structured logs', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let baseUrl: string;
  const lines: string[] = [];
  const waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  const capture = {
    write(line: string): void {
      lines.push(line);
      const parsed = JSON.parse(line) as LogLine;
      for (const w of [...waiters]) if (w.match(parsed)) w.resolve(parsed);
    },
  };
  const parsed = (): LogLine[] => lines.map((l) => JSON.parse(l) as LogLine);

  /** Resolves when a matching line has been written (request lines are written when the response finishes). */
  function lineWhere(match: (l: LogLine) => boolean): Promise<LogLine> {
    const found = parsed().find(match);
    return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ match, resolve }));
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig({ LOG_LEVEL: 'log', JOBS: 'off', SHOPS: notificationShopsEnv('http://127.0.0.1:9/notify') });
    app = await createIngesterApp(config, db.url, { logDestination: capture });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('writes one JSON object per line, Nest’s own start-up messages included', async () => {
    const migrations = await lineWhere((l) => l.context === 'Migrations');
    expect(migrations).toMatchObject({ level: 'info', name: 'ingester', msg: 'Schema is up to date' });
    expect(parsed().some((l) => l.context === 'NestFactory' || l.context === 'InstanceLoader')).toBe(true);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  });

  it('logs requests without credentials, bodies or card numbers, and leaves out health checks and metrics', async () => {
    const secretHeaders = { Authorization: `Bearer ${NOTIFY_SHOP.apiKey}`, Cookie: COOKIE, 'X-Card': '4111 1111 1111 1111' };
    for (const path of ['/health/live', '/health/live', '/health/ready', '/metrics', `/health/live?probe=${PAN}`]) {
      expect((await fetch(`${baseUrl}${path}`)).ok).toBe(true);
    }
    const notFound = await fetch(`${baseUrl}/no-such-route?card=${PAN}&other=1`, { headers: secretHeaders });
    expect(notFound.status).toBe(404);
    const malformed = await fetch(`${baseUrl}/api/checkout/events`, {
      method: 'POST',
      headers: { ...secretHeaders, 'Content-Type': 'application/json' },
      body: `{"marker":"${BODY_MARKER}","pan":"${PAN}"`,
    });
    expect(malformed.status).toBe(400);
    const withBody = await fetch(`${baseUrl}/api/checkout/events`, {
      method: 'POST',
      headers: { ...secretHeaders, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'checkout.started', orderIdent: BODY_MARKER, marker: BODY_MARKER, cardnumber: PAN }),
    });
    await withBody.arrayBuffer();

    const notFoundLine = await lineWhere((l) => l.req?.url?.startsWith('/no-such-route') === true);
    expect(notFoundLine).toMatchObject({ level: 'warn', res: { statusCode: 404 } });
    expect(notFoundLine.req?.url).toBe('/no-such-route?card=[REDACTED]&other=1');
    expect(notFoundLine.req?.headers).toMatchObject({ authorization: '[REDACTED]', cookie: '[REDACTED]', 'x-card': '[REDACTED]' });
    const malformedLine = await lineWhere((l) => l.req?.url === '/api/checkout/events' && l.res?.statusCode === 400);
    expect(malformedLine.level).toBe('warn');
    await lineWhere((l) => l.req?.url === '/api/checkout/events' && l.res?.statusCode === withBody.status);

    const all = lines.join('');
    for (const forbidden of [NOTIFY_SHOP.apiKey, COOKIE, PAN, '4111 1111 1111 1111', BODY_MARKER]) expect(all).not.toContain(forbidden);
    const requestUrls = parsed().flatMap((l) => (l.req?.url ? [l.req.url] : []));
    expect(requestUrls.filter((url) => url.startsWith('/health') || url.startsWith('/metrics'))).toEqual([]);
  });

  it('times requests by route pattern and status class in /metrics (no ids or raw URLs as labels)', async () => {
    const paymentId = randomUUID();
    await (await fetch(`${baseUrl}/health/live`)).arrayBuffer();
    await (await fetch(`${baseUrl}/api/checkout/payments/${paymentId}`, { headers: { Authorization: `Bearer ${NOTIFY_SHOP.apiKey}` } })).arrayBuffer();
    await (await fetch(`${baseUrl}/nothing/here/${paymentId}`)).arrayBuffer();
    const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^seamless_http_request_seconds_count\{route="GET \/health\/live",status="2xx"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^seamless_http_request_seconds_count\{route="GET \/api\/checkout\/payments\/:paymentId",status="[24]xx"\} 1$/m);
    expect(metrics).toMatch(/^seamless_http_request_seconds_count\{route="unmatched",status="4xx"\} [1-9]\d*$/m);
    expect(metrics).not.toContain(paymentId);
  });

  it('redacts secrets and card numbers in the application’s own log calls', async () => {
    const logger = new Logger('LogTest');
    logger.log({ msg: 'shop settings', secret: NOTIFY_SHOP.secret, shop: { notificationSecret: NOTIFY_SHOP.notificationSecret, auth: { apiKey: NOTIFY_SHOP.apiKey } } });
    logger.warn(`card number 4111-1111-1111-1111 seen in a field`);
    logger.log({ msg: 'a number', amount: 4111111111111111, count: 1234567890123 });
    logger.log({ msg: 'gateway account', backendPassword: NOTIFY_SHOP.backendPassword, password: 'hunter2-password' });

    const settings = await lineWhere((l) => l.context === 'LogTest' && l.msg === 'shop settings');
    expect(settings).toMatchObject({ secret: '[REDACTED]', shop: { notificationSecret: '[REDACTED]', auth: { apiKey: '[REDACTED]' } } });
    const card = await lineWhere((l) => l.context === 'LogTest' && l.level === 'warn');
    expect(card.msg).toBe('card number [REDACTED] seen in a field');
    // A PAN logged as a bare number is replaced without breaking the JSON line; other numbers stay.
    const number = await lineWhere((l) => l.context === 'LogTest' && l.msg === 'a number');
    expect(number).toMatchObject({ amount: '[REDACTED]', count: 1234567890123 });

    const all = lines.join('');
    await lineWhere((l) => l.context === 'LogTest' && l.msg === 'gateway account');
    for (const forbidden of [NOTIFY_SHOP.secret, NOTIFY_SHOP.notificationSecret, NOTIFY_SHOP.apiKey, NOTIFY_SHOP.backendPassword, 'hunter2-password', PAN, '4111-1111-1111-1111']) {
      expect(all).not.toContain(forbidden);
    }
  });
});

describe('log line guard', () => {
  it('keeps lines without card numbers untouched and valid JSON after redaction', () => {
    const plain = '{"level":"info","msg":"order 1234567890123 paid","n":42}\n';
    expect(guardLogLine(plain)).toBe(plain);
    const inString = `{"msg":"pan ${PAN} here"}\n`;
    expect(guardLogLine(inString)).toBe('{"msg":"pan [REDACTED] here"}\n');
    const bare = `{"msg":"x","value":${PAN},"list":[1,${PAN}]}\n`;
    expect(JSON.parse(guardLogLine(bare))).toEqual({ msg: 'x', value: '[REDACTED]', list: [1, '[REDACTED]'] });
    expect(guardLogLine(bare).endsWith('\n')).toBe(true);
  });

  it('names the quiet paths', () => {
    expect(['/health/live', '/health/ready?x=1', '/metrics', '/health'].every(isQuietPath)).toBe(true);
    expect(['/healthz', '/metrics/x', '/api/checkout/payments', undefined].some(isQuietPath)).toBe(false);
  });
});
