import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, enabledLogLevels, loadConfig, redactUrl } from './config';
import { findRepoRoot } from './repo-root';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has local defaults and an embedded database when nothing is set', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ port: 3000, host: '127.0.0.1', publicBaseUrl: 'http://127.0.0.1:3000', trustProxyHops: 0 });
    expect(config.database.url).toBeUndefined();
    expect(config.database.poolSize).toBe(10);
    expect(config.database.embedded).toEqual({ dataDir: join(findRepoRoot(), '.data', 'ingester-pg'), port: 54329 });
    expect(config.logLevel).toBe('log');
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      PUBLIC_BASE_URL: 'https://pay.example.com/',
      DATABASE_URL: 'postgres://app:secret@db:5432/seamless_ops',
      DB_POOL_SIZE: '25',
      DATA_DIR: '/var/lib/ingester-pg',
      EMBEDDED_PG_PORT: '6543',
      LOG_LEVEL: 'debug',
      TRUST_PROXY_HOPS: '1',
    });
    expect(config.http).toEqual({ port: 8080, host: '0.0.0.0', publicBaseUrl: 'https://pay.example.com', trustProxyHops: 1 });
    expect(config.database).toEqual({
      url: 'postgres://app:secret@db:5432/seamless_ops',
      poolSize: 25,
      embedded: { dataDir: '/var/lib/ingester-pg', port: 6543 },
    });
    expect(config.logLevel).toBe('debug');
  });

  it('derives the default public base URL from PORT and treats empty values as unset', () => {
    expect(loadConfig({ PORT: '4000', PUBLIC_BASE_URL: '', DATABASE_URL: ' ' }).http.publicBaseUrl).toBe('http://127.0.0.1:4000');
    expect(loadConfig({ DATABASE_URL: '' }).database.url).toBeUndefined();
  });

  it('reports every bad setting at once, naming each', () => {
    expect(
      problemsOf({
        PORT: '80a',
        PUBLIC_BASE_URL: 'ftp://example.com',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        DB_POOL_SIZE: '0',
        EMBEDDED_PG_PORT: '70000',
        LOG_LEVEL: 'loud',
      }),
    ).toEqual([
      'PORT must be an integer from 0 to 65535 (got "80a")',
      'PUBLIC_BASE_URL must start with http:// or https:// (got "ftp://example.com")',
      'DATABASE_URL must start with postgres:// or postgresql:// (got "mysql://root:***@db/x")',
      'DB_POOL_SIZE must be an integer from 1 to 200 (got "0")',
      'EMBEDDED_PG_PORT must be an integer from 1 to 65535 (got "70000")',
      'LOG_LEVEL must be one of fatal, error, warn, log, debug, verbose (got "loud")',
    ]);
  });

  it('never prints a database password, even from a URL it cannot parse', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'postgres://app:s3cret@db:port/x' });
    expect(problem).toContain('DATABASE_URL must be a URL');
    expect(problem).not.toContain('s3cret');
    expect(redactUrl('postgres://app:p@ss:w0rd@db:5432/x')).toBe('postgres://app:***@db:5432/x');
    expect(redactUrl('postgres://db:5432/x')).toBe('postgres://db:5432/x');
  });

  it('puts every problem in the error message', () => {
    expect(() => loadConfig({ PORT: '-1', LOG_LEVEL: 'trace' })).toThrow(
      'Invalid configuration:\n  - PORT must be an integer from 0 to 65535 (got "-1")\n  - LOG_LEVEL must be one of',
    );
  });

  it('maps LOG_LEVEL to the levels Nest enables', () => {
    expect(enabledLogLevels('warn')).toEqual(['fatal', 'error', 'warn']);
    expect(enabledLogLevels('verbose')).toHaveLength(6);
  });
});

describe('main.ts with a bad configuration', () => {
  it('prints the problems and exits with status 1 before touching any database', () => {
    const root = findRepoRoot();
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'apps/ingester/src/main.ts'], {
      cwd: root,
      env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json', PORT: 'http', DB_POOL_SIZE: 'lots', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toContain('Invalid configuration:\n  - PORT must be an integer from 0 to 65535 (got "http")\n  - DB_POOL_SIZE');
    expect(run.status).toBe(1);
  });
});
