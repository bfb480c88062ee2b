import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app';
import { createTestDatabase, type TestDatabase } from '../../test/database';
import { hostAndPort, startTcpProxy, viaPort, type TcpProxy } from '../../test/tcp-proxy';

describe('health over HTTP', () => {
  let database: TestDatabase;
  let ingester: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    ingester = await startTestApp(database.url);
  });
  afterAll(async () => {
    await ingester?.close();
    await database?.drop();
  });

  it('GET /health/live answers 200', async () => {
    const response = await fetch(`${ingester.baseUrl}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /health/ready answers 200 when the database answers', async () => {
    const response = await fetch(`${ingester.baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

// The app reaches its database through a TCP proxy, so the database can vanish or hang under a running app.
describe('health when the database goes away', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let ingester: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy(hostAndPort(database.url));
    ingester = await startTestApp(viaPort(database.url, proxy.port));
  });
  afterAll(async () => {
    await proxy?.close();
    await ingester?.close();
    await database?.drop();
  });

  it('answers 503 with the reason after 2 s when the database hangs, while live stays 200', async () => {
    expect((await fetch(`${ingester.baseUrl}/health/ready`)).status).toBe(200);
    proxy.blackhole();
    const started = Date.now();
    const response = await fetch(`${ingester.baseUrl}/health/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', reason: 'database: no answer within 2000 ms' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect((await fetch(`${ingester.baseUrl}/health/live`)).status).toBe(200);
  });

  it('answers 503 at once when the database port is closed', async () => {
    await proxy.close();
    const started = Date.now();
    const response = await fetch(`${ingester.baseUrl}/health/ready`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; reason: string };
    expect(body.status).toBe('unavailable');
    expect(body.reason).toMatch(/^database: .*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
