import { Agent } from 'node:http';
import fc from 'fast-check';
import { encodeForm, signConfirmation } from '@seamless-ops/qenta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SECRET } from '../confirmation-fixtures';
import { get, post, seedPayments, sql, startIngester, startOwnPostgres, type IngesterProcess, type OwnPostgres, type Payment } from './harness';

// Property-based fuzzing of POST /qenta/confirm on the built ingester: 10,000 generated bodies (junk, byte soup,
// form-shaped field lists, signed confirmations torn in every way) never get a 5xx and never bring the process
// down; and a correctly signed confirmation with one character of its signed content changed is always rejected.

const FUZZ_RUNS = 10_000;
const MUTATION_RUNS = 1_500;
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_126);

const NAMES = [
  'amount', 'currency', 'paymentType', 'financialInstitution', 'language', 'orderNumber', 'paymentState', 'anonymousPan',
  'maskedPan', 'gatewayReferenceNumber', 'gatewayContractNumber', 'responseFingerprintOrder', 'responseFingerprint',
  'soPaymentId', 'message', 'consumerMessage', 'secret', 'AMOUNT', 'paymentstate', '__proto__', 'constructor', 'toString',
];
const VALUES = ['SUCCESS', 'PENDING', 'FAILURE', 'CANCEL', '', '10.00', '10,00', '-1', '1e309', 'EUR', 'CCARD', '4111111111111111', 'null', '%', '%zz', '\u0000', '\ud800', 'ä€😀'];

const anyText = (maxLength: number) => fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }), fc.string({ unit: 'grapheme', maxLength }));
const name = fc.oneof(fc.constantFrom(...NAMES), anyText(20));
const value = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...VALUES) }, { weight: 3, arbitrary: anyText(40) }, { weight: 1, arbitrary: fc.uuid() });

/** Lone surrogates cannot be sent as UTF-8 (encodeURIComponent throws on them): U+FFFD instead, as a browser would. */
const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
const safeEncode = (pairs: [string, string][]) => encodeForm(pairs.map(([k, v]) => [wellFormed(k), wellFormed(v)] as const));

/** A raw body and its content type. */
type Case = { body: string | Buffer; contentType: string };
const FORM = 'application/x-www-form-urlencoded';

function fuzzCases(payments: Payment[]): fc.Arbitrary<Case> {
  const form = (body: fc.Arbitrary<string | Buffer>) => body.map((b): Case => ({ body: b, contentType: FORM }));
  const pairs = fc.array(fc.tuple(name, value), { maxLength: 25 });
  const signed = fc
    .record({
      payment: fc.constantFrom(...payments),
      state: fc.constantFrom('SUCCESS', 'PENDING', 'FAILURE', 'CANCEL', 'UNKNOWN', ''),
      extra: fc.array(fc.tuple(name, value), { maxLength: 4 }),
      orderNumber: fc.oneof(fc.integer({ min: 1, max: 99_999_999 }).map(String), value),
    })
    .map(({ payment, state, extra, orderNumber }) => {
      const fields: Record<string, string> = { amount: payment.amount, currency: 'EUR', paymentType: 'CCARD', orderNumber, paymentState: state, soPaymentId: payment.id };
      for (const [k, v] of extra) {
        if (k && !k.includes(',') && !/^(secret|responsefingerprint(order)?)$/i.test(k)) fields[k] = v;
      }
      return safeEncode(Object.entries(signConfirmation(fields, DEMO_SECRET)));
    });
  const torn = fc.tuple(signed, fc.nat(), fc.constantFrom('truncate', 'duplicate', 'insert', 'drop', 'case', 'as-is')).chain(([body, at, how]) =>
    anyText(3).map((junk) => {
      const parts = body.split('&');
      const i = at % parts.length;
      switch (how) {
        case 'truncate':
          return body.slice(0, at % (body.length + 1));
        case 'duplicate':
          return [...parts, parts[i]].join('&');
        case 'insert':
          return body.slice(0, at % (body.length + 1)) + junk + body.slice(at % (body.length + 1));
        case 'drop':
          return parts.filter((_, j) => j !== i).join('&');
        case 'case':
          return body.toUpperCase();
        default:
          return body;
      }
    }),
  );
  return fc.oneof(
    { weight: 2, arbitrary: form(anyText(300)) },
    { weight: 1, arbitrary: form(fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a))) },
    { weight: 3, arbitrary: form(pairs.map((p) => safeEncode(p.filter(([k]) => k !== '')))) },
    { weight: 2, arbitrary: form(pairs.map((p) => p.map(([k, v]) => `${k}=${v}`).join('&'))) },
    { weight: 3, arbitrary: form(torn) },
    { weight: 1, arbitrary: form(signed) },
    {
      weight: 1,
      arbitrary: fc.record({
        body: fc.oneof(signed, anyText(100)).map((b): string | Buffer => b),
        contentType: fc.constantFrom('text/plain', 'application/json', 'multipart/form-data; boundary=x', `${FORM}; charset=iso-8859-1`, '', 'application/x-www-form-urlencoded ;;'),
      }),
    },
    { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 70_000 }).map((n): Case => ({ body: `amount=${'1'.repeat(n)}`, contentType: FORM })) },
  );
}

describe('POST /qenta/confirm under property-based fuzzing', () => {
  let pg: OwnPostgres;
  let ingester: IngesterProcess;
  let payments: Payment[];
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });

  beforeAll(async () => {
    pg = await startOwnPostgres();
    payments = await seedPayments(pg.url, 200);
    ingester = await startIngester('fuzz', { DATABASE_URL: pg.url });
  });
  afterAll(async () => {
    agent.destroy();
    await ingester?.kill('SIGKILL');
    await pg?.destroy();
  });

  it(`${FUZZ_RUNS} generated bodies: never a 5xx, never a crash`, async () => {
    const cases = fc.sample(fuzzCases(payments.slice(100)), { numRuns: FUZZ_RUNS, seed: SEED }); // the first 100 are the next test's
    const failures: { status: number; body: string; contentType: string }[] = [];
    let next = 0;
    const statuses = new Map<number, number>();
    const worker = async () => {
      while (next < cases.length && failures.length < 20) {
        const c = cases[next++];
        const answer = await post(agent, ingester.baseUrl, c.body, 10_000, c.contentType);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 0 || answer.status >= 500) {
          failures.push({ status: answer.status, body: Buffer.from(c.body).toString('base64').slice(0, 400), contentType: c.contentType });
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    console.log(`fuzz (seed ${SEED}): ${next} bodies; answers by status: ${[...statuses].sort((x, y) => x[0] - y[0]).map(([s, n]) => `${s}×${n}`).join(', ')}`);
    expect(failures).toEqual([]);
    expect(next).toBe(FUZZ_RUNS);
    expect(ingester.alive()).toBe(true);
    expect((await get(ingester.baseUrl, '/health/live')).status).toBe(200);
    expect((await get(ingester.baseUrl, '/health/ready')).status).toBe(200);
  });

  it('a signed confirmation with one character of its signed content changed is always rejected', async () => {
    const target = payments.slice(0, 100);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...target),
        fc.constantFrom('SUCCESS', 'PENDING', 'FAILURE', 'CANCEL'),
        fc.nat(),
        fc.nat(),
        fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), fc.constantFrom('0', 'a', 'A', ' ', '+', '&', '=', '%', ',')),
        async (payment, state, whichField, whichChar, replacement) => {
          const fields = signConfirmation(
            { amount: payment.amount, currency: 'EUR', paymentType: 'CCARD', orderNumber: String(1000 + whichChar % 9000), paymentState: state, maskedPan: '940000******0004', soPaymentId: payment.id },
            DEMO_SECRET,
          );
          // Signed content: every field named in responseFingerprintOrder (that order itself included) and the
          // fingerprint.
          const signedNames = [...fields['responseFingerprintOrder'].split(',').filter((n) => n !== 'secret'), 'responseFingerprint'];
          const field = signedNames[whichField % signedNames.length];
          const original = fields[field];
          const at = whichChar % original.length;
          let changed: string;
          if (field === 'responseFingerprint') {
            // Hex is compared case-insensitively: change the digit's value, not its case.
            const digit = parseInt(original[at], 16);
            changed = ((digit + 1 + (replacement.codePointAt(0) ?? 0) % 15) % 16).toString(16);
          } else {
            changed = replacement === original[at] ? (original[at] === 'x' ? 'y' : 'x') : replacement;
          }
          const mutated = { ...fields, [field]: original.slice(0, at) + changed + original.slice(at + 1) };
          expect(mutated[field]).not.toBe(original);
          const answer = await post(agent, ingester.baseUrl, encodeForm(mutated), 10_000);
          expect(answer.ok).toBe(false);
          expect(answer.status).toBe(403);
        },
      ),
      { numRuns: MUTATION_RUNS, seed: SEED },
    );
    // None of those payments was confirmed, and the unchanged confirmation is still accepted.
    const [row] = await sql<{ n: string }>(pg.url, `SELECT count(*) AS n FROM payments WHERE id = ANY($1::uuid[]) AND confirmation_count > 0`, [target.map((p) => p.id)]);
    expect(Number(row.n)).toBe(0);
    const control = encodeForm(
      signConfirmation({ amount: target[0].amount, currency: 'EUR', paymentType: 'CCARD', orderNumber: '77', paymentState: 'SUCCESS', soPaymentId: target[0].id }, DEMO_SECRET),
    );
    expect((await post(agent, ingester.baseUrl, control, 10_000)).ok).toBe(true);
  });
});
