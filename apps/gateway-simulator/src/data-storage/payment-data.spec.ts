import { describe, expect, it } from 'vitest';
import { anonymizePaymentData, cardBrand, luhnValid, maskPan } from './payment-data';

const now = new Date(Date.UTC(2025, 5, 15));

describe('payment data anonymization', () => {
  it('masks the PAN as first six and last four', () => {
    expect(maskPan('9500000000000001')).toBe('950000******0001');
    expect(maskPan('4111111111111')).toBe('411111***1111');
    expect(maskPan('6011000990139424123')).toBe('601100*********4123');
  });

  it('checks Luhn; the demo PANs (not Luhn-valid) are accepted as demo cards', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('9500000000000001')).toBe(false);
    const demo = anonymizePaymentData('CCARD', { pan: '9500000000000001', expirationMonth: '6', expirationYear: '2025' }, now);
    expect(demo).toEqual({
      ok: true,
      info: { paymentType: 'CCARD', anonymousPan: '0001', maskedPan: '950000******0001', financialInstitution: 'MC', brand: 'MasterCard', cardholdername: '', expiry: '06/2025' },
    });
    expect(anonymizePaymentData('CCARD', { pan: '9500000000000003', expirationMonth: '6', expirationYear: '2025' }, now)).toMatchObject({ ok: false });
  });

  it('rejects an expiry before the current month', () => {
    expect(anonymizePaymentData('CCARD', { pan: '4111111111111111', expirationMonth: '05', expirationYear: '2025' }, now)).toMatchObject({
      ok: false,
      errors: [{ errorCode: '18404' }],
    });
  });

  it('derives brand and financialInstitution from the number', () => {
    expect(cardBrand('4111111111111111')).toEqual({ brand: 'VISA', financialInstitution: 'Visa' });
    expect(cardBrand('2221000000000009')).toEqual({ brand: 'MasterCard', financialInstitution: 'MC' });
    expect(cardBrand('378282246310005').financialInstitution).toBe('Amex');
    expect(cardBrand('6759649826438453').brand).toBe('Maestro');
  });

  it('never returns the full number, CVC or issue data', () => {
    const r = anonymizePaymentData(
      'MAESTRO',
      { pan: '6759649826438453', expirationMonth: '12', expirationYear: '30', cardverifycode: '987', issueNumber: '1', issueMonth: '01', issueYear: '2020', cardholdername: 'Max' },
      now,
    );
    expect(JSON.stringify(r)).not.toMatch(/6759649826438453|987|issue/);
  });
});
