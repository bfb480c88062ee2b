import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MeResponse } from '@seamless-ops/contracts';
import { AuthClock } from '../src/auth/auth-clock';
import { LOGIN_LIMITS } from '../src/auth/login-throttle';
import { OperatorsService } from '../src/operators/operators.service';
import { startTestApp, testConfig, type TestApp } from './app';
import { auditRows, createOperator, logIn, loginFrom, postLogin, sessionFetch, type TestOperator } from './auth-helpers';
import { createTestDatabase, type TestDatabase } from './database';
import { withClient } from './postgres-server';

// Login, sessions, timeouts, throttling, CSRF and origin checks, over real HTTP on a real PostgreSQL.

describe('operator authentication', () => {
  let db: TestDatabase;
  let ingester: TestApp;
  /** How far tests have moved the sessions' clock. */
  let offsetMs = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    ingester = await startTestApp(db.url, testConfig());
    vi.spyOn(ingester.app.get(AuthClock), 'now').mockImplementation(() => new Date(Date.now() + offsetMs));
  });
  afterEach(() => {
    offsetMs = 0;
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await ingester?.close();
    await db?.drop();
  });

  const minutes = (n: number) => n * 60_000;
  const sql = <T extends object>(text: string, params: unknown[] = []) => withClient(db.url, async (c) => (await c.query<T>(text, params)).rows);
  const me = (cookie: string) => fetch(`${ingester.baseUrl}/api/auth/me`, { headers: { cookie } });
  const newOperator = (role: TestOperator['role'] = 'viewer', shopIds: string[] | null = null) => createOperator(ingester, role, shopIds);
  let addressSeq = 10;
  /** A loopback address no other test uses, as a distinct client. */
  const freshAddress = () => `127.0.0.${addressSeq++}`;

  describe('login, me, logout', () => {
    it('logs in with a session cookie (HttpOnly, SameSite=Strict, Path=/), answers me, and logs out', async () => {
      const op = await createOperator(ingester, 'finance', ['demo'], { email: 'Finance.Person@Example.com' });
      const res = await postLogin(ingester.baseUrl, 'finance.person@EXAMPLE.com ', op.password, { 'user-agent': 'auth-test' });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const [setCookie, ...more] = res.headers.getSetCookie();
      expect(more).toEqual([]);
      expect(setCookie).toMatch(/^so_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/); // no Secure on http
      const token = setCookie.split(';')[0].slice('so_session='.length);
      const body = (await res.json()) as MeResponse;
      expect(body).toEqual({
        operator: { id: op.id, email: 'finance.person@example.com', role: 'finance', shopIds: ['demo'] },
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        shops: [{ id: 'demo', name: 'Demo shop', timeZone: 'Europe/Vienna' }],
      });

      // Only the token's SHA-256 is stored.
      const [session] = await sql<{ id: string; token_hash: Buffer; ip: string; user_agent: string; ended_at: Date | null; expires_at: Date; created_at: Date }>(
        `SELECT id, token_hash, host(ip) AS ip, user_agent, ended_at, expires_at, created_at FROM sessions WHERE operator_id = $1`,
        [op.id],
      );
      expect(session.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
      expect(JSON.stringify(await sql(`SELECT * FROM sessions`))).not.toContain(token);
      expect(session).toMatchObject({ ip: '127.0.0.1', user_agent: 'auth-test', ended_at: null });
      expect(session.expires_at.getTime() - session.created_at.getTime()).toBe(12 * 3600_000);
      const [{ last_login_at }] = await sql<{ last_login_at: Date | null }>(`SELECT last_login_at FROM operators WHERE id = $1`, [op.id]);
      expect(last_login_at).toBeInstanceOf(Date);

      const cookie = `so_session=${token}`;
      const again = await me(cookie);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual(body); // the same CSRF token for the whole session

      const out = await sessionFetch(ingester.baseUrl, cookie, body.csrfToken)('/api/auth/logout', { method: 'POST' });
      expect(out.status).toBe(204);
      expect(out.headers.getSetCookie()).toEqual(['so_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict']);
      const after = await me(cookie);
      expect(after.status).toBe(401);
      expect(after.headers.getSetCookie()[0]).toMatch(/^so_session=; .*Max-Age=0/);
      expect(await sql(`SELECT ended_reason FROM sessions WHERE id = $1`, [session.id])).toEqual([{ ended_reason: 'logout' }]);

      const audit = await auditRows(db.url, 'operator_id = $1', [op.id]);
      expect(audit.map((a) => [a.action, a.target, a.ip])).toEqual([
        ['login', `session:${session.id}`, '127.0.0.1'],
        ['logout', `session:${session.id}`, '127.0.0.1'],
      ]);
      expect(audit[0]).toMatchObject({ email: 'finance.person@example.com', detail: { userAgent: 'auth-test' } });
    });

    it('sets Secure on the cookie when the public base URL is https', async () => {
      const secureDb = await createTestDatabase();
      const secure = await startTestApp(secureDb.url, testConfig({ PUBLIC_BASE_URL: 'https://ops.example.com' }));
      try {
        const op = await createOperator(secure, 'viewer');
        const res = await postLogin(secure.baseUrl, op.email, op.password, { origin: 'https://ops.example.com' });
        expect(res.status).toBe(200);
        expect(res.headers.getSetCookie()[0]).toMatch(/^so_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
      } finally {
        await secure.close();
        await secureDb.drop();
      }
    });

    it('refuses anonymous and unknown sessions with 401, and bad login bodies with 400', async () => {
      expect((await fetch(`${ingester.baseUrl}/api/auth/me`)).status).toBe(401);
      expect((await me(`so_session=${'A'.repeat(43)}`)).status).toBe(401);
      expect((await fetch(`${ingester.baseUrl}/api/auth/logout`, { method: 'POST', headers: { origin: ingester.baseUrl } })).status).toBe(401);
      const bad = async (body: string) =>
        (await fetch(`${ingester.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status;
      expect(await bad('{"email":"a@b.c"}')).toBe(400);
      expect(await bad('{"email":"a@b.c","password":7}')).toBe(400);
      expect(await bad('{"email":"a@b.c","password":"x","admin":true}')).toBe(400);
      expect(await bad('[1]')).toBe(400);
      expect(await bad('{nope')).toBe(400);
    });

    it('refuses a login posted from a foreign origin', async () => {
      const op = await newOperator();
      const res = await postLogin(ingester.baseUrl, op.email, op.password, { origin: 'https://evil.example' });
      expect(res.status).toBe(403);
      expect(res.headers.getSetCookie()).toEqual([]);
    });
  });

  describe('failed logins', () => {
    it('answers an unknown email, a wrong password and a disabled account identically, in similar time', async () => {
      const op = await newOperator();
      const disabled = await newOperator();
      await ingester.app.get(OperatorsService).disable(disabled.email, { via: 'test' });
      const from = freshAddress();
      const attempt = async (email: string, password: string) => {
        const started = performance.now();
        const res = await loginFrom(from, ingester.baseUrl, email, password);
        const { date: _date, ...headers } = res.headers;
        return { status: res.status, body: res.body, headers: { ...headers, 'x-request-id': undefined }, ms: performance.now() - started };
      };
      const unknown = await attempt('nobody@test.example', 'whatever-password');
      const wrong = await attempt(op.email, 'not-the-password');
      const off = await attempt(disabled.email, disabled.password);
      expect(unknown.status).toBe(401);
      expect(JSON.parse(unknown.body)).toEqual({ statusCode: 401, error: 'Unauthorized', message: 'email or password is wrong' });
      for (const other of [wrong, off]) {
        expect(other.status).toBe(unknown.status);
        expect(other.body).toBe(unknown.body);
        expect(other.headers).toEqual(unknown.headers);
      }

      // The unknown email is checked against a dummy argon2id hash: it costs about as much as a real check.
      const times = { unknown: [] as number[], wrong: [] as number[] };
      for (let i = 0; i < 3; i++) {
        times.unknown.push((await attempt(`nobody${i}@test.example`, 'whatever-password')).ms);
        times.wrong.push((await attempt(`${op.email}`, `not-the-password-${i}`)).ms);
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
      expect(median(times.unknown)).toBeGreaterThan(median(times.wrong) * 0.3);
      expect(median(times.unknown)).toBeLessThan(median(times.wrong) * 3);

      const failed = await auditRows(db.url, `action = 'login_failed' AND ip = $1::inet`, [from]);
      expect(failed.slice(0, 3).map((a) => [a.email, a.operator_id, a.detail.reason])).toEqual([
        ['nobody@test.example', null, 'unknown_email'],
        [op.email, op.id, 'wrong_password'],
        [disabled.email, disabled.id, 'operator_disabled'],
      ]);
    });

    it(`throttles per account and address (${LOGIN_LIMITS.perAccountAndAddress} failures) with 429 and Retry-After, and not other accounts or addresses`, async () => {
      const op = await newOperator();
      const other = await newOperator();
      const [a, b] = [freshAddress(), freshAddress()];
      for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress; i++) {
        expect((await loginFrom(a, ingester.baseUrl, op.email, `wrong-${i}`)).status).toBe(401);
      }
      const blocked = await loginFrom(a, ingester.baseUrl, op.email, op.password); // even the right password
      expect(blocked.status).toBe(429);
      expect(JSON.parse(blocked.body)).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(LOGIN_LIMITS.windowSeconds - 60);
      expect(retryAfter).toBeLessThanOrEqual(LOGIN_LIMITS.windowSeconds);
      expect(blocked.headers['set-cookie']).toBeUndefined();

      // The same account from another address, and another account from the same address, still get in.
      expect((await loginFrom(b, ingester.baseUrl, op.email, op.password)).status).toBe(200);
      expect((await loginFrom(a, ingester.baseUrl, other.email, other.password)).status).toBe(200);

      // The window slides: once the failures are older than it, the account may try again from there.
      offsetMs = LOGIN_LIMITS.windowSeconds * 1000 + 1000;
      expect((await loginFrom(a, ingester.baseUrl, op.email, op.password)).status).toBe(200);

      const throttled = await auditRows(db.url, `action = 'login_failed' AND detail->>'reason' = 'throttled' AND ip = $1::inet`, [a]);
      expect(throttled).toHaveLength(1);
      expect(throttled[0]).toMatchObject({ email: op.email, detail: { retryAfterSeconds: retryAfter } });
    });

    it(`throttles an address after ${LOGIN_LIMITS.perAddress} failures over any accounts`, async () => {
      const op = await newOperator();
      const from = freshAddress();
      for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
        expect((await loginFrom(from, ingester.baseUrl, `guess${i}@test.example`, 'password-guess')).status).toBe(401);
      }
      const blocked = await loginFrom(from, ingester.baseUrl, op.email, op.password);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect((await loginFrom(freshAddress(), ingester.baseUrl, op.email, op.password)).status).toBe(200);
    });

    it(`throttles an account after ${LOGIN_LIMITS.perAccount} failures from any addresses`, async () => {
      const op = await newOperator();
      const addresses = Array.from({ length: Math.ceil(LOGIN_LIMITS.perAccount / (LOGIN_LIMITS.perAccountAndAddress - 1)) }, freshAddress);
      let failures = 0;
      for (const from of addresses) {
        for (let i = 0; i < LOGIN_LIMITS.perAccountAndAddress - 1 && failures < LOGIN_LIMITS.perAccount; i++, failures++) {
          expect((await loginFrom(from, ingester.baseUrl, op.email, `wrong-${failures}`)).status).toBe(401);
        }
      }
      expect((await loginFrom(freshAddress(), ingester.baseUrl, op.email, op.password)).status).toBe(429);
    });
  });

  describe('session lifetime', () => {
    it(`ends a session after ${30} idle minutes, and keeps it while it is used`, async () => {
      const session = await logIn(ingester, await newOperator());
      offsetMs = minutes(29);
      expect((await me(session.cookie)).status).toBe(200);
      offsetMs = minutes(58); // 29 minutes after the last request
      expect((await me(session.cookie)).status).toBe(200);
      offsetMs = minutes(58 + 30);
      const expired = await me(session.cookie);
      expect(expired.status).toBe(401);
      expect(expired.headers.getSetCookie()[0]).toMatch(/^so_session=; .*Max-Age=0/);
      offsetMs = 0; // even back in time, an ended session stays ended
      expect((await me(session.cookie)).status).toBe(401);
      expect(await sql(`SELECT ended_reason FROM sessions WHERE operator_id = $1`, [session.operator.id])).toEqual([{ ended_reason: 'idle_timeout' }]);
      const audit = await auditRows(db.url, `operator_id = $1 AND action = 'session_expired'`, [session.operator.id]);
      expect(audit).toHaveLength(1);
      expect(audit[0].detail).toMatchObject({ reason: 'idle_timeout' });
    });

    it('writes last_seen_at at most once a minute', async () => {
      const session = await logIn(ingester, await newOperator());
      const lastSeen = async () => (await sql<{ last_seen_at: Date }>(`SELECT last_seen_at FROM sessions WHERE operator_id = $1`, [session.operator.id]))[0].last_seen_at.getTime();
      const first = await lastSeen();
      offsetMs = 30_000;
      await me(session.cookie);
      expect(await lastSeen()).toBe(first);
      offsetMs = 61_000;
      await me(session.cookie);
      expect(await lastSeen()).toBeGreaterThanOrEqual(first + 61_000);
    });

    it('ends a session 12 hours after login however busy it is', async () => {
      const session = await logIn(ingester, await newOperator());
      for (let m = 20; m < 12 * 60; m += 20) {
        offsetMs = minutes(m);
        expect((await me(session.cookie)).status, `after ${m} minutes`).toBe(200);
      }
      offsetMs = minutes(12 * 60);
      expect((await me(session.cookie)).status).toBe(401);
      expect(await sql(`SELECT ended_reason FROM sessions WHERE operator_id = $1`, [session.operator.id])).toEqual([{ ended_reason: 'absolute_timeout' }]);
      const [audit] = await auditRows(db.url, `operator_id = $1 AND action = 'session_expired'`, [session.operator.id]);
      expect(audit.detail).toMatchObject({ reason: 'absolute_timeout' });
    });

    it('disabling an operator ends every one of its sessions and refuses its logins', async () => {
      const op = await newOperator('operator');
      const [first, second] = [await logIn(ingester, op), await logIn(ingester, op)];
      const bystander = await logIn(ingester, await newOperator());
      const result = await ingester.app.get(OperatorsService).disable(op.email, { via: 'test' });
      expect(result.sessionsEnded).toBe(2);
      expect((await me(first.cookie)).status).toBe(401);
      expect((await me(second.cookie)).status).toBe(401);
      expect((await me(bystander.cookie)).status).toBe(200);
      expect((await postLogin(ingester.baseUrl, op.email, op.password)).status).toBe(401);
      expect(await sql(`SELECT ended_reason FROM sessions WHERE operator_id = $1`, [op.id])).toEqual([
        { ended_reason: 'operator_disabled' },
        { ended_reason: 'operator_disabled' },
      ]);
      const [audit] = await auditRows(db.url, `action = 'operator_disabled' AND target = $1`, [`operator:${op.email}`]);
      expect(audit.detail).toMatchObject({ operatorId: op.id, sessionsEnded: 2, via: 'test' });
    });

    it('a new password ends the sessions opened with the old one', async () => {
      const op = await newOperator();
      const session = await logIn(ingester, op);
      await ingester.app.get(OperatorsService).resetPassword(op.email, 'a brand new password', { via: 'test' });
      expect((await me(session.cookie)).status).toBe(401);
      expect((await postLogin(ingester.baseUrl, op.email, op.password)).status).toBe(401);
      expect((await postLogin(ingester.baseUrl, op.email, 'a brand new password')).status).toBe(200);
    });
  });

  describe('CSRF and origin checks on POST /api/auth/logout', () => {
    it('needs the session CSRF token and a same-origin Origin or Referer; refusals are audited and leave the session alive', async () => {
      const session = await logIn(ingester, await newOperator());
      const otherSession = await logIn(ingester, await newOperator());
      const logout = (headers: Record<string, string>) => fetch(`${ingester.baseUrl}/api/auth/logout`, { method: 'POST', headers: { cookie: session.cookie, ...headers } });
      const origin = ingester.baseUrl;
      const refusals: [string, Record<string, string>, string][] = [
        ['no CSRF token', { origin }, 'missing or wrong X-CSRF-Token'],
        ['a wrong CSRF token', { origin, 'x-csrf-token': 'x'.repeat(43) }, 'missing or wrong X-CSRF-Token'],
        ["another session's CSRF token", { origin, 'x-csrf-token': otherSession.csrfToken }, 'missing or wrong X-CSRF-Token'],
        ['neither Origin nor Referer', { 'x-csrf-token': session.csrfToken }, 'missing Origin and Referer headers'],
        ['a foreign Origin', { origin: 'https://evil.example', 'x-csrf-token': session.csrfToken }, 'cross-origin request refused'],
        ['Origin null', { origin: 'null', 'x-csrf-token': session.csrfToken }, 'cross-origin request refused'],
        ['a foreign Referer', { referer: 'https://evil.example/page', 'x-csrf-token': session.csrfToken }, 'cross-origin request refused'],
        ['a foreign Origin with our Referer', { origin: 'https://evil.example', referer: `${origin}/`, 'x-csrf-token': session.csrfToken }, 'cross-origin request refused'],
      ];
      for (const [what, headers, reason] of refusals) {
        const res = await logout(headers);
        expect(res.status, what).toBe(403);
        expect(((await res.json()) as { message: string }).message, what).toBe(reason);
      }
      expect((await me(session.cookie)).status).toBe(200);
      const denied = await auditRows(db.url, `operator_id = $1 AND action = 'access_denied'`, [session.operator.id]);
      expect(denied.map((d) => [d.target, d.detail.reason])).toEqual(refusals.map(([, , reason]) => ['POST /api/auth/logout', reason]));

      // Referer alone is enough when Origin is absent; the public base URL's origin is accepted as well.
      expect((await logout({ referer: `${origin}/dashboard/payments?x=1`, 'x-csrf-token': session.csrfToken })).status).toBe(204);
      const again = await logIn(ingester, session.operator);
      const viaPublicUrl = await fetch(`${ingester.baseUrl}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie: again.cookie, origin: new URL(testConfig().http.publicBaseUrl).origin, 'x-csrf-token': again.csrfToken },
      });
      expect(viaPublicUrl.status).toBe(204);
    });
  });

  it('leaves the checkout API, gateway callbacks, health and metrics to their own rules', async () => {
    const health = await fetch(`${ingester.baseUrl}/health/live`);
    expect(health.status).toBe(200);
    const checkout = await fetch(`${ingester.baseUrl}/api/checkout/payments/x`);
    expect([401, 404]).toContain(checkout.status); // the shop key guard's answer (or no such route yet), not a session's
    expect(((await checkout.json()) as { message: string }).message).not.toBe('log in first');
    expect(checkout.headers.getSetCookie()).toEqual([]);
    expect((await fetch(`${ingester.baseUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${ingester.baseUrl}/qenta/return/success?paymentId=x`, { redirect: 'manual' })).status).toBe(303);
  });
});
