import { sumDecimals } from './decimal';

describe('sumDecimals', () => {
  it('adds exactly, where floats would not', () => {
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['1234.50', '0.05', '10'])).toBe('1244.55');
    expect(sumDecimals(['12345678901234567.89', '0.11'])).toBe('12345678901234568.00');
  });

  it('keeps the precision of the most precise value', () => {
    expect(sumDecimals(['12.345', '1.5'])).toBe('13.845');
    expect(sumDecimals(['1000', '2500'])).toBe('3500');
    expect(sumDecimals(['0.30'])).toBe('0.30');
  });

  it('handles negative amounts and an empty list', () => {
    expect(sumDecimals(['-5.25', '2'])).toBe('-3.25');
    expect(sumDecimals(['-0.05', '0.01'])).toBe('-0.04');
    expect(sumDecimals([])).toBe('0');
  });

  it('refuses what is not a decimal string', () => {
    expect(() => sumDecimals(['1e3'])).toThrow(RangeError);
    expect(() => sumDecimals(['12,50'])).toThrow(RangeError);
  });
});
