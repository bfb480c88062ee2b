import { describe, expect, it } from 'vitest';
import { luhnValid, redactPans, REDACTED, sanitize } from './sanitize';

describe('card data guard', () => {
  it('redacts Luhn-valid 13-19 digit values, also grouped, and keeps other numbers', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(redactPans('card 4111111111111111 used')).toBe(`card ${REDACTED} used`);
    expect(redactPans('4111 1111 1111 1111')).toBe(REDACTED);
    expect(redactPans('4111-1111-1111-1111')).toBe(REDACTED);
    expect(redactPans('5555555555554444')).toBe(REDACTED);
    expect(redactPans('4111111111111112')).toBe('4111111111111112');
    expect(redactPans('order 16375141')).toBe('order 16375141');
    expect(redactPans('950000******0001')).toBe('950000******0001');
    // longer than 19 digits is not a card number
    expect(redactPans('41111111111111111111111')).toBe('41111111111111111111111');
  });

  it('drops CVC, expiry and cardholder fields and redacts PANs in any field', () => {
    const out = sanitize({
      paymentState: 'SUCCESS',
      maskedPan: '950000******0001',
      anonymousPan: '0001',
      cardholder: 'Jane Doe',
      expiry: '10/2030',
      cvc: '123',
      'paymentInformation.1.cardverifycode': '123',
      orderDescription: 'note 5555555555554444',
    });
    expect(out).toEqual({ paymentState: 'SUCCESS', maskedPan: '950000******0001', anonymousPan: '0001', orderDescription: `note ${REDACTED}` });
  });

  it('sanitizes nested structures and numbers', () => {
    expect(sanitize({ a: [{ pan: '4111111111111111', note: '4111111111111111' }], n: 4111111111111111, ok: 12 })).toEqual({
      a: [{ note: REDACTED }],
      n: REDACTED,
      ok: 12,
    });
  });
});
