import { describe, expect, it } from 'vitest';
import { seededRandom } from './random';
import { apportion, DEFAULT_MIX, MixError, parseMix, PLANS, SCENARIOS } from './scenarios';
import { parseTrafficArgs, UsageError } from './cli';

describe('traffic scenarios and mix', () => {
  it('apportions shoppers exactly by weight (largest remainders), whatever the total', () => {
    expect(apportion(100, DEFAULT_MIX)).toEqual(DEFAULT_MIX);
    const fifty = apportion(50, DEFAULT_MIX);
    expect(Object.values(fifty).reduce((a, b) => a + b, 0)).toBe(50);
    expect(fifty.success).toBe(25);
    for (const total of [0, 1, 7, 30, 33, 199]) {
      const counts = apportion(total, { success: 3, cancel: 1, 'storage-expiry': 1 });
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(total);
      expect(counts.failure).toBe(0);
    }
    expect(apportion(3, { success: 1, cancel: 1, failure: 1 })).toMatchObject({ success: 1, cancel: 1, failure: 1 });
  });

  it('reads a mix as JSON or name=weight and refuses unknown names and bad weights', () => {
    expect(parseMix('{"success": 5, "cancel": 1}')).toEqual({ success: 5, cancel: 1 });
    expect(parseMix('success=5, altered-amount=0.5')).toEqual({ success: 5, 'altered-amount': 0.5 });
    expect(() => parseMix('successful=1')).toThrow(MixError);
    expect(() => parseMix('success=-1')).toThrow(MixError);
    expect(() => parseMix('success')).toThrow(MixError);
    expect(() => parseMix('{"success": "many"}')).toThrow(MixError);
    expect(() => parseMix('success=0')).toThrow(/positive/);
    expect(() => parseMix('{nope')).toThrow(/JSON/);
  });

  it('every scenario has a plan: an abandonment point or an outcome with an expected result', () => {
    for (const s of SCENARIOS) {
      const plan = PLANS[s];
      expect(Boolean(plan.abandonAt) !== Boolean(plan.outcome)).toBe(true);
      if (plan.outcome) expect(plan.expect).toBeTruthy();
    }
    const knobs = PLANS['altered-amount'].knobs as (amount: string, r: ReturnType<typeof seededRandom>) => { alterAmount: string };
    const altered = knobs('12.50', seededRandom('x')).alterAmount;
    expect(altered).toMatch(/^\d+\.\d\d$/);
    expect(altered).not.toBe('12.50');
    expect(knobs('0.05', seededRandom('x')).alterAmount).toBe('0.01');
  });

  it('seeded randomness repeats', () => {
    const a = seededRandom('seed-1');
    const b = seededRandom('seed-1');
    const c = seededRandom('seed-2');
    const draw = (r: ReturnType<typeof seededRandom>) => Array.from({ length: 20 }, () => r.int(0, 1000));
    const [da, db, dc] = [draw(a), draw(b), draw(c)];
    expect(da).toEqual(db);
    expect(dc).not.toEqual(da);
    expect(seededRandom('w').weighted({ success: 1 })).toBe('success');
  });

  it('parses the command line', () => {
    const env = {};
    const cmd = parseTrafficArgs(['--shoppers', '200', '--rate=2.5', '--seed', 'abc', '--mix', 'success=1,cancel=1', '--duration', '2m', '--shop', 'http://shop:1/'], env);
    expect(cmd).not.toBe('help');
    if (cmd === 'help') return;
    expect(cmd.options).toMatchObject({ shoppers: 200, ratePerSecond: 2.5, seed: 'abc', mix: { success: 1, cancel: 1 }, durationMs: 120_000, shopUrl: 'http://shop:1' });
    expect(cmd.options.simulatorUrl).toBe('http://127.0.0.1:3100');
    const defaults = parseTrafficArgs([], { SHOP_URL: 'http://127.0.0.1:4000' });
    expect(defaults !== 'help' && defaults.options).toMatchObject({ shoppers: 50, shopUrl: 'http://127.0.0.1:4000' });
    const byDuration = parseTrafficArgs(['--duration', '30'], env);
    expect(byDuration !== 'help' && byDuration.options.shoppers).toBeUndefined();
    expect(byDuration !== 'help' && byDuration.options.durationMs).toBe(30_000);
    const forever = parseTrafficArgs(['--forever', '--rate', '0.2'], env);
    expect(forever !== 'help' && forever.options).toMatchObject({ ratePerSecond: 0.2 });
    expect(forever !== 'help' && forever.options.shoppers).toBeUndefined();
    expect(() => parseTrafficArgs(['--forever', '--shoppers', '5'], env)).toThrow(UsageError);
    expect(parseTrafficArgs(['--help'], env)).toBe('help');
    for (const bad of [['--shoppers', '-3'], ['--rate', 'fast'], ['--bogus', '1'], ['--shop', 'ftp://x'], ['--shoppers'], ['--mix', 'x=1'], ['--duration', '5 days']]) {
      expect(() => parseTrafficArgs(bad, env)).toThrow(UsageError);
    }
  });
});
