import { describe, expect, it } from 'vitest';
import { applyConfirmation, normalizeAmount, returnContradiction, sameAmount, type PaymentSnapshot } from './payment-state-machine';

const initiated: PaymentSnapshot = { state: 'INITIATED', amount: '10.00', currency: 'EUR', returnOutcome: null };

describe('payment state machine', () => {
  it('moves INITIATED to each confirmed state', () => {
    for (const state of ['SUCCESS', 'CANCEL', 'FAILURE', 'PENDING'] as const) {
      const t = applyConfirmation(initiated, { state, amount: '10', currency: 'EUR' });
      expect(t).toMatchObject({ state, changed: true, mismatches: [] });
    }
  });

  it('accepts PENDING then SUCCESS, and ignores PENDING arriving after SUCCESS', () => {
    const pending = applyConfirmation(initiated, { state: 'PENDING' });
    const success = applyConfirmation({ ...initiated, state: pending.state }, { state: 'SUCCESS', amount: '10.00', currency: 'EUR' });
    expect(success).toMatchObject({ state: 'SUCCESS', changed: true });
    const late = applyConfirmation({ ...initiated, state: 'SUCCESS' }, { state: 'PENDING' });
    expect(late).toMatchObject({ state: 'SUCCESS', changed: false, mismatches: [] });
  });

  it('never leaves a final state and flags a conflicting one', () => {
    const t = applyConfirmation({ ...initiated, state: 'SUCCESS' }, { state: 'FAILURE' });
    expect(t.state).toBe('SUCCESS');
    expect(t.changed).toBe(false);
    expect(t.mismatches).toEqual([expect.objectContaining({ kind: 'conflicting_final_states', reason: 'confirmed FAILURE after SUCCESS' })]);
  });

  it('treats the same final state again as no change', () => {
    expect(applyConfirmation({ ...initiated, state: 'CANCEL' }, { state: 'CANCEL' })).toMatchObject({ changed: false, mismatches: [] });
  });

  it('holds a SUCCESS whose amount or currency differs instead of marking it successful', () => {
    const t = applyConfirmation(initiated, { state: 'SUCCESS', amount: '1.00', currency: 'EUR' });
    expect(t.state).toBe('INITIATED');
    expect(t.holdReason).toBe('confirmed 1.00 EUR, initiated 10.00 EUR');
    expect(t.mismatches[0].kind).toBe('amount_mismatch');
    const currency = applyConfirmation(initiated, { state: 'SUCCESS', amount: '10.00', currency: 'USD' });
    expect(currency.mismatches[0].reason).toBe('confirmed 10.00 USD, initiated 10.00 EUR');
  });

  it('flags a return outcome that contradicts the confirmation, in either order', () => {
    const afterReturn = applyConfirmation({ ...initiated, returnOutcome: 'success' }, { state: 'FAILURE' });
    expect(afterReturn.mismatches).toEqual([expect.objectContaining({ kind: 'return_contradicts_confirmation', reason: 'returned to success page, confirmed FAILURE' })]);
    expect(returnContradiction('cancel', 'SUCCESS')?.reason).toBe('returned to cancel page, confirmed SUCCESS');
    expect(returnContradiction('pending', 'SUCCESS')).toBeNull();
    expect(returnContradiction('success', 'SUCCESS')).toBeNull();
    expect(returnContradiction('success', 'INITIATED')).toBeNull();
  });

  it('compares amounts as exact decimals', () => {
    expect(sameAmount('1', '1.00')).toBe(true);
    expect(sameAmount('1,5', '1.50')).toBe(true);
    expect(sameAmount('0.1', '0.10')).toBe(true);
    expect(sameAmount('10.01', '10.1')).toBe(false);
    expect(sameAmount('100', '10')).toBe(false);
    expect(normalizeAmount('abc')).toBeNull();
    expect(normalizeAmount('007.50')).toBe('7.5');
  });
});
