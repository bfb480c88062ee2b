import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeForm,
  decodeHtmlEntities,
  encodeForm,
  flatten,
  parseBackendResponse,
  parseConfirmation,
  parseDataStorageReadResponse,
  parseErrors,
  signConfirmation,
  unflatten,
  verifyBackendRequest,
  verifyConfirmation,
  verifyConfirmationBody,
  verifyFrontendInitRequest,
  type SerialObject,
  type SerialValue,
} from '../src/index';

const SECRET = 'B8AKTPWBRMNBV455FG6M2DANE99WU2';
const RUNS = 2500;

/** Valid Unicode code points only (lone surrogates cannot travel as UTF-8). */
const text = (min = 0, max = 20): fc.Arbitrary<string> => fc.string({ unit: 'binary', minLength: min, maxLength: max });
const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: 120, maxLength: 136 });
const protocolName = fc.constantFrom(
  'paymentState', 'orderNumber', 'paymentType', 'amount', 'currency', 'secret', 'SECRET', 'responseFingerprintOrder',
  'responseFingerprint', 'errors', 'error.1.message', '__proto__', 'constructor', 'toString', '',
);
const anyName = fc.oneof(protocolName, text(0, 12));
const junkRecord = fc.dictionary(anyName, fc.oneof(text(), hex, fc.constantFrom('SUCCESS', 'PENDING', 'CANCEL', 'FAILURE', '')), { maxKeys: 12 });
/** Records shaped like confirmations: an order over (mostly) present names, a fingerprint-ish value. */
const shapedRecord = fc
  .tuple(junkRecord, fc.array(anyName, { maxLength: 10 }), fc.oneof(hex, text(), fc.constant(undefined)))
  .map(([rec, names, fp]) => {
    const r: Record<string, string> = { ...rec, responseFingerprintOrder: names.join(',') };
    if (fp !== undefined) r['responseFingerprint'] = fp;
    return r;
  });

describe('never throws on arbitrary input', () => {
  it('verifyConfirmation / parseConfirmation (anything)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), fc.oneof(fc.constant(SECRET), text()), (input, secret) => {
        const v = verifyConfirmation(input, secret);
        expect(typeof v.ok).toBe('boolean');
        parseConfirmation(input);
      }),
      { numRuns: RUNS },
    );
  });

  it('verifyConfirmation (string records shaped like confirmations)', () => {
    fc.assert(
      fc.property(fc.oneof(junkRecord, shapedRecord), fc.constantFrom<'hmac-sha512' | 'sha512'>('hmac-sha512', 'sha512'), (rec, algorithm) => {
        const v = verifyConfirmation(rec, SECRET, { algorithm });
        expect(v.ok).toBe(false); // nobody can forge without the secret
        parseConfirmation(rec);
      }),
      { numRuns: RUNS },
    );
  });

  it('body-level and gateway-side helpers', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), shapedRecord.map((r) => encodeForm(r))), (body) => {
        expect(verifyConfirmationBody(body, SECRET).ok).toBe(false);
        let fields: Record<string, string> = {};
        try {
          fields = decodeForm(body).fields;
        } catch {
          /* strict decoder may refuse: fine */
        }
        verifyFrontendInitRequest(fields, SECRET);
        verifyBackendRequest('transferFund', fields, SECRET);
        parseBackendResponse('getOrderDetails', fields);
        parseDataStorageReadResponse(fields);
        parseErrors(fields);
        unflatten(fields);
        decodeHtmlEntities(body);
      }),
      { numRuns: RUNS },
    );
  });
});

const fieldName = text(1, 12).filter((n) => {
  const l = n.toLowerCase();
  return !n.includes(',') && l !== 'secret' && l !== 'responsefingerprint' && l !== 'responsefingerprintorder' && l !== 'paymentstate';
});

/** A SUCCESS/PENDING confirmation with arbitrary extra signed fields. */
const confirmation = fc
  .tuple(
    fc.constantFrom('SUCCESS', 'PENDING'),
    text(1, 9),
    text(1, 12),
    fc.uniqueArray(fc.tuple(fieldName, text(0, 15)), { selector: ([n]) => n.toLowerCase(), maxLength: 8 }),
  )
  .map(([state, orderNumber, paymentType, extra]) => {
    const pairs: [string, string][] = [['paymentState', state], ['orderNumber', orderNumber], ['paymentType', paymentType]];
    for (const [n, v] of extra) if (!pairs.some(([p]) => p.toLowerCase() === n.toLowerCase())) pairs.push([n, v]);
    return pairs;
  });

describe('tampering', () => {
  it('signed confirmations verify, also after a wire round trip', () => {
    fc.assert(
      fc.property(confirmation, (pairs) => {
        const signed = signConfirmation(pairs, SECRET);
        expect(verifyConfirmation(signed, SECRET).ok).toBe(true);
        expect(verifyConfirmationBody(encodeForm(signed), SECRET).ok).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('changing any single character of any signed value makes verification reject', () => {
    fc.assert(
      fc.property(confirmation, fc.nat(), fc.nat(), text(1, 1), (pairs, which, where, replacement) => {
        const signed = signConfirmation(pairs, SECRET);
        // Every signed value, including responseFingerprintOrder itself; only non-empty values have characters.
        const names = Object.keys(signed).filter((n) => n !== 'responseFingerprint' && (signed[n] as string).length > 0);
        const name = names[which % names.length] as string;
        const chars = Array.from(signed[name] as string);
        const i = where % chars.length;
        fc.pre(chars[i] !== replacement);
        chars[i] = replacement;
        const tampered = { ...signed, [name]: chars.join('') };
        expect(verifyConfirmation(tampered, SECRET).ok).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it('changing any single character of the fingerprint makes verification reject', () => {
    fc.assert(
      fc.property(confirmation, fc.nat(127), fc.constantFrom(...'0123456789abcdefABCDEFgxz! '), (pairs, i, replacement) => {
        const signed = signConfirmation(pairs, SECRET);
        const fp = signed['responseFingerprint'] as string;
        fc.pre(fp[i]!.toLowerCase() !== replacement.toLowerCase());
        const tampered = { ...signed, responseFingerprint: fp.slice(0, i) + replacement + fp.slice(i + 1) };
        expect(verifyConfirmation(tampered, SECRET).ok).toBe(false);
        // Case alone does not matter.
        expect(verifyConfirmation({ ...signed, responseFingerprint: fp.toUpperCase() }, SECRET).ok).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('round trips', () => {
  it('encodeForm/decodeForm for arbitrary unicode fields', () => {
    fc.assert(
      fc.property(fc.dictionary(text(1, 15), text(0, 30), { maxKeys: 15 }), (fields) => {
        const body = encodeForm(fields);
        expect(body).not.toMatch(/[,\s]/); // commas always percent-encoded, no raw whitespace
        const decoded = decodeForm(body);
        expect(decoded.duplicates).toEqual([]);
        expect(decoded.fields).toEqual({ ...fields });
        expect(Object.keys(decoded.fields)).toEqual(Object.keys(fields));
      }),
      { numRuns: RUNS },
    );
  });

  it('flatten/unflatten for nested objects and 1-based arrays', () => {
    const key = text(1, 6).filter((k) => !k.includes('.') && !/^[1-9][0-9]*$/.test(k));
    const { tree } = fc.letrec<{ tree: SerialValue; obj: SerialObject; arr: SerialValue[] }>((tie) => ({
      tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text(0, 8), tie('obj'), tie('arr')),
      obj: fc.dictionary(key, tie('tree'), { minKeys: 1, maxKeys: 4 }),
      arr: fc.array(tie('tree'), { minLength: 1, maxLength: 4 }),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 5 }), (obj) => {
        const flat = flatten(obj);
        expect(unflatten(flat)).toEqual(obj);
        expect(decodeForm(encodeForm(flat)).fields).toEqual(flat);
      }),
      { numRuns: 1000 },
    );
  });
});
