import { describe, expect, it } from 'vitest';
import { displayEur, divideRounded, formatCents, parseCents, splitGross } from './money';

describe('money in integer cents', () => {
  it('parses decimal strings without floating point', () => {
    expect(parseCents('12.50')).toBe(1250);
    expect(parseCents('12.5')).toBe(1250);
    expect(parseCents('0.99')).toBe(99);
    expect(parseCents('9')).toBe(900);
    expect(parseCents('0.07')).toBe(7);
    for (const bad of ['', '1.234', '-1.00', '1,50', '01.00', '1.', 'abc', ' 1.00']) expect(() => parseCents(bad)).toThrow();
  });

  it('formats cents as the gateway expects and for people', () => {
    expect(formatCents(1250)).toBe('12.50');
    expect(formatCents(7)).toBe('0.07');
    expect(formatCents(0)).toBe('0.00');
    expect(displayEur(129900)).toBe('€1,299.00');
    expect(displayEur(99)).toBe('€0.99');
    expect(() => formatCents(1.5)).toThrow();
    expect(() => formatCents(-1)).toThrow();
  });

  it('sums where floats would not: 0.10 + 0.20 is 0.30; 3 × 9.99 is 29.97', () => {
    expect(formatCents(parseCents('0.10') + parseCents('0.20'))).toBe('0.30');
    expect(formatCents(parseCents('9.99') * 3)).toBe('29.97');
    let total = 0;
    for (let i = 0; i < 1000; i++) total += parseCents('0.01');
    expect(formatCents(total)).toBe('10.00');
  });

  it('rounds half up in integer arithmetic and splits gross into net + tax exactly', () => {
    expect(divideRounded(5, 2)).toBe(3);
    expect(divideRounded(4, 3)).toBe(1);
    expect(divideRounded(5, 3)).toBe(2);
    expect(splitGross(1250, 10)).toEqual({ net: 1136, tax: 114 });
    expect(splitGross(6490, 20)).toEqual({ net: 5408, tax: 1082 });
    expect(splitGross(999, 20)).toEqual({ net: 833, tax: 166 });
    expect(splitGross(0, 20)).toEqual({ net: 0, tax: 0 });
    for (let gross = 0; gross < 5000; gross += 7) {
      const { net, tax } = splitGross(gross, 20);
      expect(net + tax).toBe(gross);
    }
    expect(() => splitGross(100, 7.5)).toThrow();
  });
});
