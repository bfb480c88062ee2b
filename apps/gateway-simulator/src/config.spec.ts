import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AccountConfigError, AccountRegistry, accountsFromSetting, DEMO_ACCOUNT } from './accounts';
import { ConfigError, optionsFromEnv, parseDuration } from './config';

describe('configuration from the environment', () => {
  it('defaults: port 3100, 127.0.0.1, retries 1s,5s,30s, demo account only', () => {
    const o = optionsFromEnv({});
    expect(o).toMatchObject({ port: 3100, retryScheduleMs: [1000, 5000, 30000], accounts: [] });
    expect(o.host).toBeUndefined();
  });

  it('reads every setting', () => {
    const o = optionsFromEnv({
      PORT: '0',
      HOST: '0.0.0.0',
      SIMULATOR_PUBLIC_URL: 'https://gateway.test/',
      SIMULATOR_RETRY_SCHEDULE: '250ms, 2s,1m',
      SIMULATOR_CONFIRMATION_TIMEOUT: '3s',
      SIMULATOR_STORAGE_LIFETIME: '5m',
      SIMULATOR_PENDING_DELAY: '1.5s',
      SIMULATOR_KNOBS: '{"confirmation":"duplicate"}',
      SIMULATOR_TIME_ZONE: 'UTC',
      SIMULATOR_ACCOUNTS: '{"customerId":"D200411","shopId":"seamless","secret":"s3cret","password":"pw","fingerprintAlgorithm":"sha512"}',
    });
    expect(o).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      publicUrl: 'https://gateway.test/',
      retryScheduleMs: [250, 2000, 60000],
      confirmationTimeoutMs: 3000,
      storageLifetimeMs: 300000,
      knobs: { pendingDelayMs: 1500, confirmation: 'duplicate' },
      timeZone: 'UTC',
      accounts: [{ customerId: 'D200411', shopIds: ['seamless'], secret: 's3cret', backendPassword: 'pw', fingerprintAlgorithm: 'sha512' }],
    });
    expect(optionsFromEnv({ SIMULATOR_RETRY_SCHEDULE: '' }).retryScheduleMs).toEqual([]);
  });

  it('collects every problem into one clear message', () => {
    let error: unknown;
    try {
      optionsFromEnv({ PORT: 'eighty', SIMULATOR_PUBLIC_URL: 'ftp://x', SIMULATOR_RETRY_SCHEDULE: '1s,soon', SIMULATOR_TIME_ZONE: 'Mars/Base', SIMULATOR_KNOBS: '{"nope":1}', SIMULATOR_ACCOUNTS: '[{}]' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(6);
    expect((error as ConfigError).message).toContain('PORT must be 0..65535, got "eighty"');
    expect(problems.join('\n')).toMatch(/SIMULATOR_ACCOUNTS\[0\]\.customerId: must be 7 letters or digits/);
  });

  it('parses durations', () => {
    expect([parseDuration('10'), parseDuration('10ms'), parseDuration('2s'), parseDuration('1.5m'), parseDuration('1h'), parseDuration('x')]).toEqual([
      10, 10, 2000, 90000, 3600000, undefined,
    ]);
  });
});

describe('accounts', () => {
  it('reads accounts from a JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-accounts-'));
    const file = join(dir, 'accounts.json');
    writeFileSync(file, JSON.stringify([{ customerId: 'D200410', shopIds: ['seamless', ''], secret: 'x', backendPassword: 'y' }]));
    expect(accountsFromSetting(file)).toEqual([{ customerId: 'D200410', shopIds: ['seamless', ''], secret: 'x', backendPassword: 'y', fingerprintAlgorithm: 'hmac-sha512' }]);
    expect(() => accountsFromSetting(join(dir, 'missing.json'))).toThrow(/neither JSON nor an existing file/);
  });

  it.each([
    ['{"customerId":"D1","secret":"s","password":"p"}', /customerId: must be 7/],
    ['{"customerId":"D200001","secret":"","password":"p"}', /secret: must be a non-empty string/],
    ['{"customerId":"D200001","secret":"s"}', /backendPassword: must be a non-empty string/],
    ['{"customerId":"D200001","secret":"s","password":"p","fingerprintAlgorithm":"md5"}', /fingerprintAlgorithm: must be "hmac-sha512" or "sha512"/],
    ['{"customerId":"D200001","secret":"s","password":"p","shopIds":["a","a"]}', /contains duplicates/],
    ['{"customerId":"D200001","secret":"s","password":"p","shopIds":["this-is-not-ok"]}', /at most 16 letters or digits/],
    ['{"customerId":"D200001","secret":"s","password":"p","colour":"red"}', /unknown field\(s\) colour/],
    ['[1]', /must be an object/],
    ['{oops', /invalid JSON/],
  ])('refuses %s', (setting, message) => {
    expect(() => accountsFromSetting(setting)).toThrow(AccountConfigError);
    expect(() => accountsFromSetting(setting)).toThrow(message);
  });

  it('keeps the demo account unless the same customerId is configured; refuses duplicates', () => {
    const registry = new AccountRegistry([{ customerId: 'D200411', shopIds: ['seamless'], secret: 's', backendPassword: 'p', fingerprintAlgorithm: 'hmac-sha512' }]);
    expect(registry.find('D200001', 'qmore')).toBe(DEMO_ACCOUNT);
    expect(registry.find('D200001', 'seamless')).toBe(DEMO_ACCOUNT);
    expect(registry.find('D200001', '')).toBeUndefined();
    expect(registry.find('D200411', 'seamless')?.secret).toBe('s');
    const replaced = new AccountRegistry([{ ...DEMO_ACCOUNT, fingerprintAlgorithm: 'sha512' }]);
    expect(replaced.find('D200001', 'qmore')?.fingerprintAlgorithm).toBe('sha512');
    expect(() => new AccountRegistry([DEMO_ACCOUNT, DEMO_ACCOUNT])).toThrow(/configured twice/);
  });
});
