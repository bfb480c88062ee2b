import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, testConfig, type TestApp } from './app';
import { createTestDatabase, type TestDatabase } from './database';

describe('the ingester serves the built dashboard on one URL', () => {
  let db: TestDatabase;
  let ingester: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Seamless Ops</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), 'console.log("app")');
    db = await createTestDatabase();
    ingester = await startTestApp(db.url, testConfig({ DASHBOARD_DIR: dir }));
  });
  afterAll(async () => {
    await ingester?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the app at / and at client-side routes, never cached', async () => {
    for (const path of ['/', '/payments/7d0b3f0e-1111-4222-8333-944455556666', '/overview?range=24h']) {
      const res = await fetch(`${ingester.baseUrl}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>Seamless Ops</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves fingerprinted assets with a long cache and 404s a missing file', async () => {
    const asset = await fetch(`${ingester.baseUrl}/assets/app-1a2b3c.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${ingester.baseUrl}/assets/missing.js`)).status).toBe(404);
  });

  it('never shadows the API, the gateway routes or health', async () => {
    expect((await fetch(`${ingester.baseUrl}/api/ops/payments`)).status).toBe(401);
    expect((await fetch(`${ingester.baseUrl}/health/live`)).status).toBe(200);
    expect((await fetch(`${ingester.baseUrl}/qenta/return/nope`, { redirect: 'manual' })).status).toBe(404);
    expect(await (await fetch(`${ingester.baseUrl}/api/unknown`)).text()).not.toContain('Seamless Ops</title>');
  });
});
