import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeResponse } from '@seamless-ops/contracts';
import { ConfigError, loadConfig } from '../src/config/config';
import { findRepoRoot } from '../src/config/repo-root';
import { createDemoAdmin } from '../src/operators/demo-admin';
import type { OperatorView } from '../src/operators/operators.service';
import { startTestApp, testConfig, type TestApp } from './app';
import { auditRows, postLogin } from './auth-helpers';
import { createTestDatabase, type TestDatabase } from './database';

// `npm run ops -- operator …` (apps/ingester/scripts/ops.ts) against the test database, the demo-mode admin,
// and the auth settings of the configuration.

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as `npm run ops` runs it, on the given database, with `input` on stdin (not a terminal). */
function ops(databaseUrl: string, args: string[], input = ''): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/ingester/scripts/ops.ts', ...args], {
      cwd: findRepoRoot(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SWC_NODE_PROJECT: 'tsconfig.base.json', DATABASE_URL: databaseUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('npm run ops -- operator …', () => {
  let db: TestDatabase;
  let ingester: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    ingester = await startTestApp(db.url, testConfig());
  });
  afterAll(async () => {
    await ingester?.close();
    await db?.drop();
  });

  const me = (cookie: string) => fetch(`${ingester.baseUrl}/api/auth/me`, { headers: { cookie } });

  it('adds an operator with --password-stdin who can then log in; disable ends the session', async () => {
    const added = await ops(db.url, ['operator', 'add', '--email', 'CLI.Finance@Test.example', '--role', 'finance', '--shops', 'demo', '--password-stdin'], 'a long cli password\n');
    expect(added).toMatchObject({ code: 0, stdout: 'Created operator cli.finance@test.example (role finance, shops: demo)\n' });

    const login = await postLogin(ingester.baseUrl, 'cli.finance@test.example', 'a long cli password');
    expect(login.status).toBe(200);
    const body = (await login.json()) as MeResponse;
    expect(body.operator).toMatchObject({ email: 'cli.finance@test.example', role: 'finance', shopIds: ['demo'] });
    const cookie = login.headers.getSetCookie()[0].split(';')[0];

    const listed = await ops(db.url, ['operator', 'list', '--json']);
    expect(listed.code).toBe(0);
    const list = JSON.parse(listed.stdout) as OperatorView[];
    expect(list.find((o) => o.email === 'cli.finance@test.example')).toMatchObject({ role: 'finance', shopIds: ['demo'], disabledAt: null, lastLoginAt: expect.any(String) });
    const table = await ops(db.url, ['operator', 'list']);
    expect(table.stdout).toMatch(/^EMAIL\s+ROLE\s+SHOPS\s+STATUS\s+CREATED\s+LAST LOGIN\ncli\.finance@test\.example\s+finance\s+demo\s+active\s/);

    const disabled = await ops(db.url, ['operator', 'disable', '--email', 'cli.finance@test.example']);
    expect(disabled).toMatchObject({ code: 0, stdout: 'Disabled cli.finance@test.example; ended 1 session(s)\n' });
    expect((await me(cookie)).status).toBe(401);
    expect((await postLogin(ingester.baseUrl, 'cli.finance@test.example', 'a long cli password')).status).toBe(401);

    const audit = await auditRows(db.url, `target = 'operator:cli.finance@test.example'`);
    expect(audit.map((a) => [a.action, a.detail.via])).toEqual([
      ['operator_created', 'cli'],
      ['operator_disabled', 'cli'],
    ]);
  });

  it('generates and prints a password when none is given and stdin is not a terminal; reset-password sets a new one', async () => {
    const added = await ops(db.url, ['operator', 'add', '--email', 'viewer@test.example', '--role', 'viewer']);
    expect(added.code).toBe(0);
    const password = /Password \(shown only now\): (\S+)/.exec(added.stdout)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await postLogin(ingester.baseUrl, 'viewer@test.example', password)).status).toBe(200);

    const reset = await ops(db.url, ['operator', 'reset-password', '--email', 'viewer@test.example', '--password-stdin'], 'the next long password\n');
    expect(reset).toMatchObject({ code: 0, stdout: 'New password set for viewer@test.example; ended 1 session(s)\n' });
    expect((await postLogin(ingester.baseUrl, 'viewer@test.example', password)).status).toBe(401);
    expect((await postLogin(ingester.baseUrl, 'viewer@test.example', 'the next long password')).status).toBe(200);
  });

  it('refuses bad input with a message and a non-zero exit', async () => {
    const duplicate = await ops(db.url, ['operator', 'add', '--email', 'VIEWER@test.example', '--role', 'admin', '--generate-password']);
    expect(duplicate).toMatchObject({ code: 1, stderr: 'an operator with the email viewer@test.example already exists\n' });
    const bad = await ops(db.url, ['operator', 'add', '--email', 'x@test.example', '--role', 'boss', '--shops', 'demo,elsewhere', '--password-stdin'], 'short\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'role must be one of viewer, operator, finance, admin (got "boss"); unknown shop(s): elsewhere (configured: demo); the password must have at least 12 characters\n',
    );
    const usage = await ops(db.url, ['operator', 'promote', '--email', 'x@test.example']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^unknown command "operator promote"\n\nUsage:/);
    expect((await ops(db.url, ['operator', 'disable', '--email', 'nobody@test.example'])).stderr).toBe('no operator with the email nobody@test.example\n');
  });
});

describe('demo mode', () => {
  it('creates an admin with a random password on an empty database, prints it once, and never again', async () => {
    const db = await createTestDatabase();
    const ingester = await startTestApp(db.url, testConfig({ DEMO_MODE: 'on' }));
    try {
      let printed = '';
      const out = new Writable({ write: (chunk: Buffer, _enc, done) => ((printed += chunk.toString()), done()) });
      await createDemoAdmin(ingester.app, out);
      const email = /^ +email +(\S+)$/m.exec(printed)?.[1] ?? '';
      const password = /^ +password +(\S+)$/m.exec(printed)?.[1] ?? '';
      expect(email).toBe('admin@demo.local');
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      const login = await postLogin(ingester.baseUrl, email, password);
      expect(login.status).toBe(200);
      expect(((await login.json()) as MeResponse).operator).toMatchObject({ role: 'admin', shopIds: null });

      printed = '';
      await createDemoAdmin(ingester.app, out);
      expect(printed).toBe('');
      expect(await auditRows(db.url, `action = 'operator_created'`)).toMatchObject([{ target: 'operator:admin@demo.local', detail: { via: 'demo-mode', role: 'admin' } }]);
    } finally {
      await ingester.close();
      await db.drop();
    }
  });
});

describe('auth settings', () => {
  it('defaults to 30 idle minutes, 12 hours absolute, Secure cookies only on https, demo mode off', () => {
    expect(loadConfig({}).auth).toEqual({ sessionIdleSeconds: 1800, sessionAbsoluteSeconds: 43_200, secureCookies: false });
    expect(loadConfig({}).demoMode).toBe(false);
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://ops.example.com' }).auth.secureCookies).toBe(true);
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://ops.example.com', SECURE_COOKIES: 'off' }).auth.secureCookies).toBe(false);
    expect(loadConfig({ SECURE_COOKIES: 'on' }).auth.secureCookies).toBe(true);
    expect(loadConfig({ SESSION_IDLE_MINUTES: '15', SESSION_ABSOLUTE_HOURS: '8', DEMO_MODE: 'on' })).toMatchObject({
      auth: { sessionIdleSeconds: 900, sessionAbsoluteSeconds: 28_800 },
      demoMode: true,
    });
  });

  it('refuses bad values, listing each', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
    };
    expect(problems({ SESSION_IDLE_MINUTES: '0', SECURE_COOKIES: 'yes', DEMO_MODE: 'true' })).toEqual([
      'SESSION_IDLE_MINUTES must be an integer from 1 to 1440 (got "0")',
      'SECURE_COOKIES must be auto, on or off (got "yes")',
      'DEMO_MODE must be on or off (got "true")',
    ]);
    expect(problems({ SESSION_IDLE_MINUTES: '120', SESSION_ABSOLUTE_HOURS: '1' })).toEqual(['SESSION_IDLE_MINUTES (120) must not exceed SESSION_ABSOLUTE_HOURS (1) in minutes']);
  });
});
