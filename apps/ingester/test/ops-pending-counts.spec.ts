import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_AGE_BUCKETS, type PendingAgeBucket } from '@seamless-ops/contracts';
import { postConfirmation, signedConfirmation } from './confirmation-fixtures';
import { BETA, checkout, operatorOf, startOpsWorld, waitForState, type CheckedOut, type OpsWorld } from './ops-fixtures';

// The pending counts — the age buckets and total of GET /api/ops/pending, the overview's pending, the funnel's
// still pending — against a count taken directly over the payments projection (the age buckets by the CASE over
// the exact age that the endpoint used before it counted by timestamps), with ages on the buckets' exact
// boundaries, shop scope, filters and state changes through real confirmations. Real PostgreSQL, payments from
// the checkout API and the gateway simulator.

const all = operatorOf(null);
const alphaOnly = operatorOf(['alpha']);

describe('pending counts equal a count over the payments', () => {
  let w: OpsWorld;
  const alpha: CheckedOut[] = [];
  const beta: CheckedOut[] = [];
  let now: Date;

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => w.sql<T>(text, params);

  /** The reference: every open payment that matches, bucketed by its exact age at `now`. */
  async function counted(filter: { shops?: readonly string[]; paymentType?: string; from?: Date; to?: Date } = {}): Promise<{ ageBuckets: { bucket: PendingAgeBucket; count: number }[]; total: number }> {
    const rows = await sql<{ bucket: PendingAgeBucket; n: string }>(
      `SELECT CASE WHEN age < 300 THEN '<5m' WHEN age < 900 THEN '5-15m' WHEN age < 3600 THEN '15-60m'
                   WHEN age < 21600 THEN '1-6h' WHEN age < 86400 THEN '6-24h' ELSE '>24h' END AS bucket, count(*) AS n
       FROM (SELECT extract(epoch FROM $1::timestamptz - created_at) AS age FROM payments
             WHERE state IN ('INITIATED', 'PENDING', 'UNKNOWN') AND ($2::text[] IS NULL OR shop_id = ANY($2))
               AND ($3::text IS NULL OR payment_type = $3) AND ($4::timestamptz IS NULL OR created_at >= $4)
               AND ($5::timestamptz IS NULL OR created_at < $5)) aged
       GROUP BY 1`,
      [now, filter.shops ?? null, filter.paymentType ?? null, filter.from ?? null, filter.to ?? null],
    );
    const n = new Map(rows.map((r) => [r.bucket, Number(r.n)]));
    const ageBuckets = PENDING_AGE_BUCKETS.map((bucket) => ({ bucket, count: n.get(bucket) ?? 0 }));
    return { ageBuckets, total: ageBuckets.reduce((s, b) => s + b.count, 0) };
  }

  /** Sets created_at to `now` minus `seconds` (microseconds count; negative: in the future). */
  const age = (p: CheckedOut, seconds: number) =>
    sql(`UPDATE payments SET created_at = $2::timestamptz - make_interval(secs => $3::double precision) WHERE id = $1`, [p.paymentId, now, seconds]);

  async function pendingMatches(): Promise<void> {
    for (const [op, query, filter] of [
      [all, {}, {}],
      [alphaOnly, {}, { shops: ['alpha'] }],
      [all, { shopId: 'beta' }, { shops: ['beta'] }],
      [all, { paymentType: 'CCARD' }, { paymentType: 'CCARD' }],
      [all, { paymentType: 'PAYPAL' }, { paymentType: 'PAYPAL' }],
      [all, { from: new Date(now.getTime() - 7200_000).toISOString() }, { from: new Date(now.getTime() - 7200_000) }],
      [all, { to: new Date(now.getTime() - 3600_000).toISOString() }, { to: new Date(now.getTime() - 3600_000) }],
    ] as const) {
      const page = await w.ops.pending.list(op, query, now);
      const expected = await counted(filter);
      expect({ ageBuckets: page.ageBuckets, total: page.total }, JSON.stringify(query)).toEqual(expected);
    }
  }

  beforeAll(async () => {
    w = await startOpsWorld();
    for (let i = 0; i < 12; i++) alpha.push(await checkout(w, { outcome: null }));
    for (let i = 0; i < 3; i++) beta.push(await checkout(w, { shop: BETA, outcome: null }));
    await checkout(w, { outcome: 'SUCCESS' });
    await checkout(w, { shop: BETA, outcome: 'FAILURE' });
    now = new Date();
  }, 120_000);
  afterAll(() => w?.close());

  it('age buckets and total, with ages on and beside every bucket boundary, by scope and filters', async () => {
    const seconds = [-5, 0, 299.999999, 300, 899.999999, 900, 3599.999999, 3600, 21600, 86399.999999, 86400, 30 * 86400];
    for (const [i, s] of seconds.entries()) await age(alpha[i], s);
    await age(beta[0], 10);
    await age(beta[1], 2 * 86400);
    await age(beta[2], 6 * 3600 - 1);
    const page = await w.ops.pending.list(all, {}, now);
    expect(page.total).toBe(15);
    // Each boundary belongs to the older bucket; a payment from the future is in the youngest.
    expect(page.ageBuckets).toEqual([
      { bucket: '<5m', count: 4 },
      { bucket: '5-15m', count: 2 },
      { bucket: '15-60m', count: 2 },
      { bucket: '1-6h', count: 2 },
      { bucket: '6-24h', count: 2 },
      { bucket: '>24h', count: 3 },
    ]);
    // The rows' own buckets agree with the counts.
    const perRow = new Map<string, number>();
    for (const item of page.items) perRow.set(item.ageBucket, (perRow.get(item.ageBucket) ?? 0) + 1);
    expect(page.ageBuckets.map((b) => b.count)).toEqual(PENDING_AGE_BUCKETS.map((b) => perRow.get(b) ?? 0));
    await pendingMatches();
  });

  it('after confirmations move payments out of the open states (and PENDING within them)', async () => {
    const confirm = async (p: CheckedOut, state: 'SUCCESS' | 'FAILURE' | 'PENDING') => {
      expect((await postConfirmation(w.baseUrl, signedConfirmation(p.paymentId, state, { amount: '12.50' }))).status).toBe(200);
      await waitForState(w, p.paymentId, state);
    };
    await confirm(alpha[1], 'SUCCESS'); // <5m
    await confirm(alpha[5], 'FAILURE'); // 15-60m
    await confirm(alpha[10], 'SUCCESS'); // >24h
    await confirm(alpha[7], 'PENDING'); // 1-6h, still open
    const page = await w.ops.pending.list(all, {}, now);
    expect(page.total).toBe(12);
    expect(page.items.find((p) => p.paymentId === alpha[7].paymentId)?.state).toBe('PENDING');
    await pendingMatches();

    // The overview's pending (whatever the range) and the funnel's still pending (initiated in the range).
    const [open] = await sql<{ n: string }>(`SELECT count(*) AS n FROM payments WHERE state IN ('INITIATED', 'PENDING', 'UNKNOWN')`);
    expect((await w.ops.funnel.overview(all, {})).pending).toBe(Number(open.n));
    const [alphaOpen] = await sql<{ n: string }>(`SELECT count(*) AS n FROM payments WHERE shop_id = 'alpha' AND state IN ('INITIATED', 'PENDING', 'UNKNOWN')`);
    expect((await w.ops.funnel.overview(alphaOnly, {})).pending).toBe(Number(alphaOpen.n));
    const funnel = await w.ops.funnel.funnel(all, { from: new Date(now.getTime() - 3 * 86400_000).toISOString() });
    const [inRange] = await sql<{ n: string }>(
      `SELECT count(*) AS n FROM payments WHERE state IN ('INITIATED', 'PENDING', 'UNKNOWN') AND created_at >= $1 AND created_at < $2`,
      [funnel.from, funnel.to],
    );
    expect(funnel.dropOffs.stillPending).toBe(Number(inRange.n));
    expect(Number(inRange.n)).toBeGreaterThan(0);
  });
});
