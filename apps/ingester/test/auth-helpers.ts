import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { expect } from 'vitest';
import type { MeResponse, OperatorRole } from '@seamless-ops/contracts';
import { ROLES_KEY } from '../src/auth/operator-access';
import { OperatorsService } from '../src/operators/operators.service';
import type { TestApp } from './app';
import { withClient } from './postgres-server';

// Helpers for every test that calls the operator API: create operators, log in, call routes with the session,
// and check shop scope. `ingester` is what startTestApp returns (the operator is created in its database).

export interface TestOperator {
  id: string;
  email: string;
  password: string;
  role: OperatorRole;
  shopIds: string[] | null;
}

export interface LoggedIn {
  operator: TestOperator;
  me: MeResponse;
  /** `so_session=<token>`, ready for a Cookie header. */
  cookie: string;
  csrfToken: string;
  /**
   * fetch relative to the ingester with the session cookie; state-changing methods also carry the CSRF token
   * and a same-origin Origin header, as the dashboard sends them. A JSON body may be given as an object.
   */
  fetch(path: string, init?: Omit<RequestInit, 'body'> & { body?: unknown }): Promise<Response>;
}

/** A new operator (random email, random password) in the ingester's database, through the real service. */
export async function createOperator(
  ingester: Pick<TestApp, 'app'>,
  role: OperatorRole,
  shopIds: string[] | null = null,
  overrides: { email?: string; password?: string } = {},
): Promise<TestOperator> {
  const email = overrides.email ?? `${role}-${randomBytes(4).toString('hex')}@test.example`;
  const password = overrides.password ?? `pw-${randomBytes(12).toString('base64url')}`;
  const created = await ingester.app.get(OperatorsService).create({ email, role, shopIds, password }, { via: 'test' });
  return { id: created.id, email: created.email, password, role, shopIds: created.shopIds };
}

/** `POST /api/auth/login`, as the dashboard sends it. */
export function postLogin(baseUrl: string, email: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl, ...headers },
    body: JSON.stringify({ email, password }),
  });
}

/** Logs an existing operator in; fails the test when that does not answer 200 with a session cookie. */
export async function logIn(ingester: Pick<TestApp, 'baseUrl'>, operator: TestOperator): Promise<LoggedIn> {
  const res = await postLogin(ingester.baseUrl, operator.email, operator.password);
  expect(res.status, `login of ${operator.email}`).toBe(200);
  const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0];
  expect(cookie).toMatch(/^so_session=[A-Za-z0-9_-]{43}$/);
  const me = (await res.json()) as MeResponse;
  return { operator, me, cookie, csrfToken: me.csrfToken, fetch: sessionFetch(ingester.baseUrl, cookie, me.csrfToken) };
}

/** A new operator with this role (and shops; default every shop), logged in. */
export async function loginAs(ingester: Pick<TestApp, 'app' | 'baseUrl'>, role: OperatorRole, shopIds: string[] | null = null): Promise<LoggedIn> {
  return logIn(ingester, await createOperator(ingester, role, shopIds));
}

export function sessionFetch(baseUrl: string, cookie: string, csrfToken: string): LoggedIn['fetch'] {
  return (path, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const stateChanging = !['GET', 'HEAD', 'OPTIONS'].includes(method);
    const jsonBody = init.body !== undefined && typeof init.body !== 'string' && !(init.body instanceof URLSearchParams);
    return fetch(`${baseUrl}${path}`, {
      ...init,
      method,
      body: jsonBody ? JSON.stringify(init.body) : (init.body as RequestInit['body']),
      headers: {
        cookie,
        ...(stateChanging ? { origin: baseUrl, 'x-csrf-token': csrfToken } : {}),
        ...(jsonBody ? { 'content-type': 'application/json' } : {}),
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  };
}

export interface OperatorRoute {
  method: string;
  /** As declared, e.g. `/api/ops/payments/:paymentId`. */
  path: string;
  /** RequireRoles of the handler, else of its controller; null: every role. */
  roles: OperatorRole[] | null;
}

/**
 * Every route the app serves under `prefix` (default /api/ops), found through Nest's discovery, with the roles
 * its RequireRoles metadata allows. The list grows with the API, so a matrix over it covers new routes.
 */
export function discoverRoutes(app: INestApplication, prefix = '/api/ops'): OperatorRoute[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = app.get(Reflector);
  const routes: OperatorRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const { instance, metatype } = wrapper;
    if (!instance || !metatype) continue;
    const bases = asList(Reflect.getMetadata(PATH_METADATA, metatype));
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const paths = Reflect.getMetadata(PATH_METADATA, handler);
      if (paths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const roles = reflector.getAllAndOverride<OperatorRole[] | undefined>(ROLES_KEY, [handler, metatype]) ?? null;
      for (const base of bases) {
        for (const own of asList(paths)) {
          const path = `/${[base, own].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
          if (path === prefix || path.startsWith(`${prefix}/`)) routes.push({ method, path, roles });
        }
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** The routes express actually serves under `prefix` (`METHOD /path`), to check the discovery against. */
export function expressRoutes(app: INestApplication, prefix = '/api/ops'): string[] {
  const express = app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: unknown; methods: Record<string, boolean> } }[] } };
  const out: string[] = [];
  for (const layer of express.router.stack) {
    const path = layer.route?.path;
    if (typeof path !== 'string' || !(path === prefix || path.startsWith(`${prefix}/`))) continue;
    for (const [method, on] of Object.entries(layer.route?.methods ?? {})) if (on && method !== '_all') out.push(`${method.toUpperCase()} ${path}`);
  }
  return out.sort();
}

function asList(value: unknown): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** A concrete URL for a declared path: `:shopId` → the given shop, any other parameter → a fresh UUID-like value. */
export function samplePath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? '00000000-0000-4000-8000-000000000000');
}

export interface AuditRow {
  id: string;
  operator_id: string | null;
  email: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

export function auditRows(databaseUrl: string, where = 'true', params: unknown[] = []): Promise<AuditRow[]> {
  return withClient(databaseUrl, async (c) => (await c.query<AuditRow>(`SELECT id::text, operator_id, email, action, target, host(ip) AS ip, detail FROM audit_log WHERE ${where} ORDER BY audit_log.id`, params)).rows);
}

/**
 * The cross-shop check: an operator of `otherShopId` asking for a resource of `ownerShopId` at `path` gets 403 or
 * 404, and the audit log records the refusal (an access_denied row for that operator naming the path); an
 * operator of the owner shop gets the resource (2xx). Returns both answers for further checks.
 */
export async function expectShopScoped(
  ingester: Pick<TestApp, 'app' | 'baseUrl'>,
  databaseUrl: string,
  path: string,
  shops: { ownerShopId: string; otherShopId: string },
): Promise<{ refused: Response; allowed: Response }> {
  const outsider = await loginAs(ingester, 'admin', [shops.otherShopId]);
  const refused = await outsider.fetch(path);
  expect([403, 404], `${path} for an operator of ${shops.otherShopId}`).toContain(refused.status);
  const denials = await auditRows(databaseUrl, `action = 'access_denied' AND operator_id = $1 AND target LIKE $2`, [outsider.operator.id, `%${path.split('?')[0]}%`]);
  expect(denials.length, `access_denied audit entry for ${path}`).toBeGreaterThan(0);
  const insider = await loginAs(ingester, 'admin', [shops.ownerShopId]);
  const allowed = await insider.fetch(path);
  expect(allowed.status, `${path} for an operator of ${shops.ownerShopId}`).toBeLessThan(300);
  return { refused, allowed };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * An HTTP request sent from a chosen local address (127.0.0.x), so tests can play several clients: the
 * ingester sees that address as the caller's (throttling is per address).
 */
export function requestFrom(localAddress: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export function loginFrom(localAddress: string, baseUrl: string, email: string, password: string): Promise<RawResponse> {
  return requestFrom(localAddress, `${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password }),
  });
}

/** Two shops (`demo` and `shop-b`) for cross-shop tests: add to testConfig's environment. */
export function twoShopsEnv(): Record<string, string> {
  const shop = (id: string, name: string, timeZone: string) => ({
    id,
    name,
    customerId: 'D200001',
    shopId: id === 'demo' ? 'seamless' : 'shopb',
    secret: 'B8AKTPWBRMNBV455FG6M2DANE99WU2',
    apiKey: `${id}-api-key-0123456789`,
    successUrl: `http://127.0.0.1:3200/${id}/success`,
    cancelUrl: `http://127.0.0.1:3200/${id}/cancel`,
    failureUrl: `http://127.0.0.1:3200/${id}/failure`,
    pendingUrl: `http://127.0.0.1:3200/${id}/pending`,
    serviceUrl: `http://127.0.0.1:3200/${id}/service`,
    timeZone,
  });
  return { SHOPS: JSON.stringify([shop('demo', 'Demo shop', 'Europe/Vienna'), shop('shop-b', 'Shop B', 'America/New_York')]) };
}
