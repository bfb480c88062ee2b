import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_ROLES, type OperatorRole } from '@seamless-ops/contracts';
import { testConfig, type TestApp } from './app';
import { auditRows, discoverRoutes, expectShopScoped, expressRoutes, loginAs, samplePath, twoShopsEnv, type LoggedIn, type OperatorRoute } from './auth-helpers';
import { startAppWithProbes } from './auth-probe';
import { createTestDatabase, type TestDatabase } from './database';

// Authorization over every operator route that exists: anonymous callers get 401 everywhere, each role gets
// exactly what the route's RequireRoles allows, shop scope holds, and every refusal is in the audit log.
// The routes are discovered from Nest, so the matrix grows with the operator API; test-only probe routes
// (test/auth-probe.ts) keep every rule exercised whatever the API offers today.

describe('operator route authorization', () => {
  let db: TestDatabase;
  let ingester: TestApp;
  let routes: OperatorRoute[];
  const sessions = {} as Record<OperatorRole, LoggedIn>;

  beforeAll(async () => {
    db = await createTestDatabase();
    ingester = await startAppWithProbes(db.url, testConfig(twoShopsEnv()));
    routes = discoverRoutes(ingester.app);
    for (const role of OPERATOR_ROLES) sessions[role] = await loginAs(ingester, role);
  });
  afterAll(async () => {
    await ingester?.close();
    await db?.drop();
  });

  const url = (route: OperatorRoute) => samplePath(route.path, { shopId: 'demo' });
  const label = (route: OperatorRoute) => `${route.method} ${route.path}`;

  it('discovers every route express serves under /api/ops, the probes among them', () => {
    expect(routes.map(label).sort()).toEqual(expressRoutes(ingester.app));
    expect(routes.map(label)).toContain('POST /api/ops/auth-probe/change');
    expect(routes.find((r) => r.path === '/api/ops/auth-probe-admin')?.roles).toEqual(['admin']); // from the controller
    expect(routes.find((r) => r.path === '/api/ops/auth-probe-admin/viewer-too')?.roles).toEqual(['viewer', 'admin']); // the handler overrides it
  });

  it('refuses anonymous callers, unknown sessions and case tricks with 401 on every operator route', async () => {
    const operatorRoutes = [...routes, ...discoverRoutes(ingester.app, '/api/auth').filter((r) => r.path !== '/api/auth/login')];
    expect(operatorRoutes.map(label)).toEqual(expect.arrayContaining(['GET /api/auth/me', 'POST /api/auth/logout']));
    for (const route of operatorRoutes) {
      const target = `${ingester.baseUrl}${url(route)}`;
      const anonymous = await fetch(target, { method: route.method, headers: { origin: ingester.baseUrl } });
      expect(anonymous.status, `anonymous ${label(route)}`).toBe(401);
      const forged = await fetch(target, { method: route.method, headers: { origin: ingester.baseUrl, cookie: `so_session=${'x'.repeat(43)}` } });
      expect(forged.status, `unknown session ${label(route)}`).toBe(401);
      const shouting = await fetch(`${ingester.baseUrl}${url(route).toUpperCase()}`, { method: route.method, headers: { origin: ingester.baseUrl } });
      expect([401, 404], `upper-case ${label(route)}`).toContain(shouting.status);
    }
  });

  it("gives each role exactly what each route's RequireRoles allows, and audits every refusal", async () => {
    const expectedDenials: string[] = [];
    const matrix: Record<string, Record<OperatorRole, number>> = {};
    for (const route of routes) {
      matrix[label(route)] = {} as Record<OperatorRole, number>;
      for (const role of OPERATOR_ROLES) {
        const res = await sessions[role].fetch(url(route), { method: route.method, ...(route.method === 'GET' ? {} : { body: {} }) });
        matrix[label(route)][role] = res.status;
        const allowed = route.roles === null || route.roles.includes(role);
        if (allowed) {
          expect([401, 403], `${role} on ${label(route)} (allowed) answered ${res.status}`).not.toContain(res.status);
        } else {
          expect(res.status, `${role} on ${label(route)} (not in ${route.roles?.join(', ')})`).toBe(403);
          expectedDenials.push(`${sessions[role].operator.id} ${route.method} ${url(route)}`);
        }
      }
    }
    const denials = await auditRows(db.url, `action = 'access_denied' AND detail ? 'requiredRoles'`);
    expect(denials.map((d) => `${d.operator_id} ${d.target}`).sort()).toEqual(expectedDenials.sort());
    for (const d of denials) expect(d.ip).toBe('127.0.0.1');
    // The probes pin the rules down whatever else exists.
    expect(matrix['GET /api/ops/auth-probe/admin']).toEqual({ viewer: 403, operator: 403, finance: 403, admin: 200 });
    expect(matrix['GET /api/ops/auth-probe/finance']).toEqual({ viewer: 403, operator: 403, finance: 200, admin: 200 });
    expect(matrix['POST /api/ops/auth-probe/change']).toEqual({ viewer: 403, operator: 201, finance: 403, admin: 201 });
    expect(matrix['GET /api/ops/auth-probe/any']).toEqual({ viewer: 200, operator: 200, finance: 200, admin: 200 });
    expect(matrix['GET /api/ops/auth-probe-admin']).toEqual({ viewer: 403, operator: 403, finance: 403, admin: 200 });
    expect(matrix['GET /api/ops/auth-probe-admin/viewer-too']).toEqual({ viewer: 200, operator: 403, finance: 403, admin: 200 });
  });

  it('checks the CSRF token and origin on state-changing operator routes before anything else', async () => {
    const admin = sessions.admin;
    const post = (headers: Record<string, string>) => fetch(`${ingester.baseUrl}/api/ops/auth-probe/change`, { method: 'POST', headers: { cookie: admin.cookie, ...headers } });
    expect((await post({ origin: ingester.baseUrl })).status).toBe(403);
    expect((await post({ 'x-csrf-token': admin.csrfToken })).status).toBe(403);
    expect((await post({ origin: 'http://evil.example', 'x-csrf-token': admin.csrfToken })).status).toBe(403);
    expect((await post({ origin: ingester.baseUrl, 'x-csrf-token': admin.csrfToken })).status).toBe(201);
    // A viewer with a valid token is still refused by role.
    const viewer = await sessions.viewer.fetch('/api/ops/auth-probe/change', { method: 'POST' });
    expect(((await viewer.json()) as { message: string }).message).toBe('this needs the role operator or admin');
  });

  it('keeps an operator of one shop out of the other shop (403, audited) and lets the owner in', async () => {
    await expectShopScoped(ingester, db.url, '/api/ops/auth-probe/shops/demo', { ownerShopId: 'demo', otherShopId: 'shop-b' });
    await expectShopScoped(ingester, db.url, '/api/ops/auth-probe/scoped?shopId=shop-b', { ownerShopId: 'shop-b', otherShopId: 'demo' });

    const restricted = await loginAs(ingester, 'viewer', ['shop-b']);
    expect(restricted.me.shops).toEqual([{ id: 'shop-b', name: 'Shop B', timeZone: 'America/New_York' }]);
    expect(await (await restricted.fetch('/api/ops/auth-probe/scoped')).json()).toEqual({ shops: ['shop-b'] });
    expect(await (await sessions.viewer.fetch('/api/ops/auth-probe/scoped')).json()).toEqual({ shops: null });
    expect(sessions.viewer.me.shops.map((s) => s.id)).toEqual(['demo', 'shop-b']);

    const [denial] = await auditRows(db.url, `action = 'access_denied' AND target = 'GET /api/ops/auth-probe/scoped?shopId=shop-b'`);
    expect(denial).toMatchObject({ action: 'access_denied', detail: { reason: 'no access to shop "shop-b"' } });
  });
});
