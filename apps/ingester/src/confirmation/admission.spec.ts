import { describe, expect, it } from 'vitest';
import { AdmissionLimit } from './admission';

describe('AdmissionLimit', () => {
  it('admits up to the limit, refuses beyond it, and admits again once a slot is given back', () => {
    const admission = new AdmissionLimit(2);
    expect(admission.tryEnter()).toBe(true);
    expect(admission.tryEnter()).toBe(true);
    expect(admission.tryEnter()).toBe(false);
    expect(admission.current).toBe(2);
    admission.leave();
    expect(admission.current).toBe(1);
    expect(admission.tryEnter()).toBe(true);
    expect(admission.tryEnter()).toBe(false);
  });

  it('never goes below zero on a stray leave', () => {
    const admission = new AdmissionLimit(1);
    admission.leave();
    expect(admission.current).toBe(0);
    expect(admission.tryEnter()).toBe(true);
    expect(admission.tryEnter()).toBe(false);
  });

  it('rejects a limit that is not a positive integer', () => {
    expect(() => new AdmissionLimit(0)).toThrow(RangeError);
    expect(() => new AdmissionLimit(1.5)).toThrow(RangeError);
  });
});
