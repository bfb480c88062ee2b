import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { ConfigError, optionsFromEnv } from '../config';
import { SESSION_COOKIE, SessionStore } from './sessions';

function exchange(cookie?: string): { req: Request; res: Response; setCookies: string[] } {
  const setCookies: string[] = [];
  const req = { headers: cookie ? { cookie } : {} } as unknown as Request;
  const res = { append: (_name: string, value: string) => setCookies.push(value) } as unknown as Response;
  return { req, res, setCookies };
}

describe('sessions', () => {
  it('finds a session by its cookie, forgets idle ones and keeps at most maxSessions', () => {
    let now = 0;
    const store = new SessionStore({ idleMs: 1000, maxSessions: 2, secureCookie: false, now: () => now });
    const first = exchange();
    const a = store.of(first.req, first.res);
    expect(first.setCookies[0]).toBe(`${SESSION_COOKIE}=${a.id}; Path=/; HttpOnly; SameSite=Lax`);
    const again = exchange(`other=1; ${SESSION_COOKIE}=${a.id}`);
    expect(store.of(again.req, again.res)).toBe(a);
    expect(again.setCookies).toEqual([]);

    now = 500;
    const b = store.of(exchange().req, exchange().res);
    now = 1200; // a idle for 1200 ms, b for 700 ms
    expect(store.sweep()).toBe(1);
    const back = exchange(`${SESSION_COOKIE}=${a.id}`);
    expect(store.of(back.req, back.res).id).not.toBe(a.id); // a new session for an expired cookie
    store.of(exchange().req, exchange().res);
    expect(store.size).toBe(2); // b (least recently used) made room
    const bAgain = exchange(`${SESSION_COOKIE}=${b.id}`);
    expect(store.of(bAgain.req, bAgain.res).id).not.toBe(b.id);
  });

  it('marks the cookie Secure behind https and ignores malformed cookie values', () => {
    const store = new SessionStore({ idleMs: 1000, maxSessions: 10, secureCookie: true });
    const x = exchange(`${SESSION_COOKIE}=../../etc`);
    store.of(x.req, x.res);
    expect(x.setCookies[0]).toMatch(/; Secure$/);
  });
});

describe('configuration', () => {
  it('has the documented defaults and reads every setting', () => {
    expect(optionsFromEnv({})).toMatchObject({ port: 3200, host: '127.0.0.1', ingesterUrl: 'http://127.0.0.1:3000', apiKey: 'demo-shop-api-key', logRequests: true });
    expect(
      optionsFromEnv({ PORT: '0', INGESTER_URL: 'http://ingester:3000', SHOP_API_KEY: 'k'.repeat(20), DEMO_SHOP_PUBLIC_URL: 'https://shop.example', SHOP_LOG_REQUESTS: 'false' }),
    ).toMatchObject({ port: 0, ingesterUrl: 'http://ingester:3000', apiKey: 'k'.repeat(20), publicUrl: 'https://shop.example', logRequests: false });
  });

  it('lists every bad setting at once', () => {
    try {
      optionsFromEnv({ PORT: 'eighty', INGESTER_URL: 'ingester', SHOP_LOG_REQUESTS: 'yes' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toHaveLength(3);
    }
  });
});
