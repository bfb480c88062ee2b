import { describe, expect, it } from 'vitest';
import { amountProblem, MINOR_UNITS, minorUnits } from './currencies';

describe('currency table and amount format', () => {
  it('knows the minor units of the usual and the unusual currencies', () => {
    for (const c of ['EUR', 'USD', 'GBP', 'CHF', 'CZK', 'HUF', 'PLN', 'SEK', 'NOK', 'DKK']) expect(minorUnits(c)).toBe(2);
    for (const c of ['JPY', 'KRW', 'ISK', 'CLP', 'VND']) expect(minorUnits(c)).toBe(0);
    for (const c of ['BHD', 'KWD', 'LYD', 'OMR', 'TND', 'JOD', 'IQD']) expect(minorUnits(c)).toBe(3);
    expect(minorUnits('CLF')).toBe(4);
    for (const c of ['XYZ', 'eur', 'XAU', 'XXX', 'XTS', '978']) expect(minorUnits(c)).toBeUndefined();
    expect(MINOR_UNITS.size).toBeGreaterThan(150);
    for (const code of MINOR_UNITS.keys()) expect(code).toMatch(/^[A-Z]{3}$/);
  });

  it('accepts decimal strings within the currency precision, refuses everything else with a reason', () => {
    const ok: Array<[string, string]> = [['12.50', 'EUR'], ['12.5', 'EUR'], ['12', 'EUR'], ['0.01', 'EUR'], ['999999999999.99', 'EUR'], ['1200', 'JPY'], ['1.234', 'KWD']];
    for (const [amount, currency] of ok) expect(amountProblem(amount, currency, minorUnits(currency) as number), `${amount} ${currency}`).toBeUndefined();
    const bad: Array<[string, string, RegExp]> = [
      ['12,50', 'EUR', /'\.' as separator/],
      ['1.000,00', 'EUR', /separator/],
      ['12.505', 'EUR', /at most 2 decimals/],
      ['12.', 'EUR', /decimal string/],
      ['.5', 'EUR', /decimal string/],
      ['+1', 'EUR', /decimal string/],
      [' 1', 'EUR', /decimal string/],
      ['1e2', 'EUR', /decimal string/],
      ['0', 'EUR', /greater than 0/],
      ['0.00', 'EUR', /greater than 0/],
      ['1000000000000', 'EUR', /12 integer digits/],
      ['100.5', 'JPY', /no decimals for JPY/],
      ['100.0', 'JPY', /no decimals for JPY/],
      ['1.2345', 'BHD', /at most 3 decimals/],
    ];
    for (const [amount, currency, reason] of bad) expect(amountProblem(amount, currency, minorUnits(currency) as number), `${amount} ${currency}`).toMatch(reason);
    expect(amountProblem('0.00', 'EUR', 2, { allowZero: true })).toBeUndefined();
  });
});
