import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextCheckAt } from '../src/janitor/backoff';
import { parseBackoff } from '../src/reconciliation/reconciliation.config';
import { checkEvents, payThrough, startReconciliationWorld, type Paid, type ReconciliationWorld } from './reconciliation-harness';

// The pending janitor against the in-process simulator over HTTP, with "now" injected: what is due and when
// (5m, 1h, 1d…), what it records, that gateway evidence settles a PENDING through the state machine (flagged in the
// event) and that nothing else ever gives a payment a final state.

const MINUTE = 60_000;

describe('janitor backoff schedule', () => {
  it('waits 5m, 1h, 1d after the 1st, 2nd, 3rd check, then 1d again', () => {
    const schedule = parseBackoff('5m,1h,1d') as number[];
    expect(schedule).toEqual([300, 3600, 86_400]);
    const now = new Date('2026-03-29T00:30:00Z');
    expect([1, 2, 3, 4, 9].map((n) => nextCheckAt(now, n, schedule).toISOString())).toEqual([
      '2026-03-29T00:35:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    for (const bad of ['', '5', '5x', '5m,,1h', '0s', '31d']) expect(parseBackoff(bad), bad).toBeUndefined();
    expect(parseBackoff('30s, 2m')).toEqual([30, 120]);
  });
});

describe('pending janitor', () => {
  let w: ReconciliationWorld;

  beforeAll(async () => {
    w = await startReconciliationWorld();
  });
  afterAll(async () => {
    await w?.closeAll();
  });

  const row = async (id: string) =>
    (
      await w.sql<{ state: string; final_at: Date | null; hold_reason: string | null; check_count: number | null; next_check_at: Date | null; last_outcome: string | null; attention_reason: string | null }>(
        `SELECT p.state, p.final_at, p.hold_reason, c.check_count, c.next_check_at, c.last_outcome, c.attention_reason
         FROM payments p LEFT JOIN payment_checks c ON c.payment_id = p.id WHERE p.id = $1`,
        [id],
      )
    )[0];
  const callsFor = (orderNumber: string | null) => w.proxy.calls.filter((c) => c.orderNumber === orderNumber).length;
  const successes = async () => Number((await w.sql<{ n: string }>(`SELECT coalesce(sum(successes), 0)::text AS n FROM funnel_hourly WHERE shop_id = 'alpha'`))[0]?.n);

  /** PENDING at our side; the gateway later settles it (SUCCESS or FAILURE) but sends no final confirmation. */
  async function stuckPending(outcome: 'PENDING_SUCCESS' | 'PENDING_FAILURE'): Promise<Paid> {
    const paid = await payThrough(w, { outcome, knobs: { pendingDelayMs: 300 }, until: (r) => r.state === 'PENDING' });
    w.sim.state.knobs.addScoped({ orderIdent: paid.orderIdent }, { confirmation: 'never' });
    await w.sim.idle();
    return paid;
  }

  it("settles a PENDING the gateway shows approved, through the state machine, flagged as the janitor's", async () => {
    const stuck = await stuckPending('PENDING_SUCCESS');
    const t0 = Date.now();
    // Reconciliation sees the disagreement first (it only reports).
    expect(await w.reconciliation.run()).toMatchObject({ outcomes: { disagrees: 1 } });
    const funnelBefore = await successes();

    expect(await w.janitor.run({ now: new Date(t0 + 30 * MINUTE) })).toMatchObject({ checked: 0 }); // PENDING for 30 minutes: not yet
    expect(callsFor(stuck.orderNumber)).toBe(1);

    w.proxy.mode = 'fail';
    try {
      expect(await w.janitor.run({ now: new Date(t0 + 61 * MINUTE) })).toMatchObject({ checked: 1, outcomes: { unknown: 1 } });
    } finally {
      w.proxy.mode = 'forward';
    }
    expect(await row(stuck.paymentId)).toMatchObject({ state: 'PENDING', check_count: 0, next_check_at: null, last_outcome: 'unknown' });

    const run = await w.janitor.run({ now: new Date(t0 + 62 * MINUTE) }); // the next tick asks again
    expect(run).toMatchObject({ checked: 1, outcomes: { settled: 1 }, settled: [stuck.paymentId] });
    const settled = await row(stuck.paymentId);
    expect(settled).toMatchObject({ state: 'SUCCESS', hold_reason: null, last_outcome: 'settled', check_count: 1, next_check_at: null });
    // final_at: when the gateway approved it (read from its Europe/Vienna timestamp), not when we noticed.
    expect(Math.abs((settled?.final_at as Date).getTime() - t0)).toBeLessThan(30_000);

    const events = await checkEvents(w, stuck.paymentId);
    expect(events.map((e) => [e.payload['check'], e.payload['outcome'], e.payment_state])).toEqual([
      ['reconciliation', 'disagrees', 'PENDING'],
      ['janitor', 'unknown', 'PENDING'],
      ['janitor', 'settled', 'SUCCESS'],
    ]);
    expect(events[2]).toMatchObject({
      source: 'system',
      payload: { settledByJanitor: true, from: 'PENDING', to: 'SUCCESS', ours: { state: 'PENDING' }, gateway: { answer: 'ok', paymentState: 'payment_approved' } },
    });
    // As a confirmed SUCCESS would: the funnel counts it, the open disagreement is resolved.
    expect(await successes()).toBe(funnelBefore + 1);
    const mismatches = await w.sql<{ status: string }>(`SELECT status FROM mismatches WHERE payment_id = $1 AND kind = 'gateway_disagrees'`, [stuck.paymentId]);
    expect(mismatches).toEqual([{ status: 'resolved' }]);
    // The janitor's check covered the new state: reconciliation does not ask again.
    expect(await w.reconciliation.run()).toMatchObject({ checked: 0 });
    expect(callsFor(stuck.orderNumber)).toBe(3);
    // A settled payment is not looked at again.
    expect(await w.janitor.run({ now: new Date(t0 + 3 * 86_400_000) })).not.toMatchObject({ settled: [stuck.paymentId] });
  });

  it('never gives a final state without gateway evidence, and backs off 5m, 1h, 1d per payment', async () => {
    const failed = await stuckPending('PENDING_FAILURE'); // the gateway never shows an order for it
    const abandoned = await payThrough(w, { outcome: null }); // INITIATED, no order number
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms);
    const checked = async (when: Date) => {
      await w.janitor.run({ now: when });
      return { failed: callsFor(failed.orderNumber), abandonedEvents: (await checkEvents(w, abandoned.paymentId)).length };
    };

    expect(await checked(at(30 * MINUTE))).toEqual({ failed: 0, abandonedEvents: 0 }); // neither is old enough
    // 46 minutes: the INITIATED one is due, but cannot be asked: marked for attention, no gateway call, no state.
    expect(await checked(at(46 * MINUTE))).toEqual({ failed: 0, abandonedEvents: 1 });
    const marked = await row(abandoned.paymentId);
    expect(marked).toMatchObject({ state: 'INITIATED', last_outcome: 'unresolvable', attention_reason: 'no orderNumber yet: the gateway can only be asked by order number' });
    const [unresolvable] = await checkEvents(w, abandoned.paymentId);
    expect(unresolvable).toMatchObject({ source: 'system', payment_state: 'INITIATED', payload: { check: 'janitor', outcome: 'unresolvable', gateway: null, attention: true } });

    // The PENDING one: due once PENDING for 60 minutes (checked by the run at 61), then 5 minutes after that check,
    // 1 hour after the next, 1 day after the next, and 1 day again.
    expect(await checked(at(59 * MINUTE))).toMatchObject({ failed: 0 });
    const schedule = [61 * MINUTE, 66 * MINUTE, 126 * MINUTE, 126 * MINUTE + 86_400_000, 126 * MINUTE + 2 * 86_400_000];
    for (const [i, due] of schedule.entries()) {
      if (i > 0) expect(await checked(at(due - 1000)), `just before check ${i + 1}`).toMatchObject({ failed: i });
      expect(await checked(at(due)), `check ${i + 1}`).toMatchObject({ failed: i + 1 });
      const r = await row(failed.paymentId);
      expect(r).toMatchObject({ state: 'PENDING', final_at: null, check_count: i + 1, last_outcome: 'agrees' });
      const wait = [5 * MINUTE, 60 * MINUTE, 86_400_000, 86_400_000, 86_400_000][i] as number;
      expect((r?.next_check_at as Date).getTime()).toBe(t0 + due + wait);
    }
    const events = await checkEvents(w, failed.paymentId);
    expect(events).toHaveLength(5);
    for (const e of events) expect(e).toMatchObject({ payment_state: 'PENDING', payload: { outcome: 'agrees', gateway: { found: false } } });
    // The abandoned one was never looked at again, and neither has a final state.
    expect((await checkEvents(w, abandoned.paymentId)).length).toBe(1);
    expect((await row(abandoned.paymentId))?.state).toBe('INITIATED');
    expect((await row(failed.paymentId))?.state).toBe('PENDING');
  });

  it('does not settle on evidence that disagrees with ours: a held payment, or a different amount', async () => {
    // The confirmation stated another amount: held (INITIATED, with an order number).
    const held = await payThrough(w, { amount: '12.50', knobs: { alterAmount: '10.00' }, until: (r) => r.confirmation_count >= 1 });
    // PENDING, gateway approved — but our initiated amount is not what the gateway approved.
    const other = await stuckPending('PENDING_SUCCESS');
    await w.sql(`UPDATE payments SET amount = 11.00 WHERE id = $1`, [other.paymentId]);
    const t0 = Date.now();
    const run = await w.janitor.run({ now: new Date(t0 + 61 * MINUTE) });
    expect(run.settled).toEqual([]);

    expect(await row(held.paymentId)).toMatchObject({ state: 'INITIATED', last_outcome: 'disagrees', check_count: 1 });
    expect(await row(other.paymentId)).toMatchObject({ state: 'PENDING', last_outcome: 'disagrees', check_count: 1, hold_reason: 'confirmed 12.50 EUR, initiated 11.00 EUR' });
    const reasons = Object.fromEntries(
      (await w.sql<{ payment_id: string; kind: string; reason: string }>(`SELECT payment_id, kind, reason FROM mismatches WHERE payment_id = ANY($1::uuid[]) AND status = 'open' ORDER BY kind`, [[held.paymentId, other.paymentId]])).map(
        (m) => [`${m.payment_id === held.paymentId ? 'held' : 'other'} ${m.kind}`, m.reason],
      ),
    );
    expect(reasons).toEqual({
      'held amount_mismatch': 'confirmed 10.00 EUR, initiated 12.50 EUR',
      'held gateway_disagrees': 'gateway shows payment_approved, ours is INITIATED; amounts differ: ours 10.00 EUR, gateway 12.50 EUR',
      'other amount_mismatch': 'confirmed 12.50 EUR, initiated 11.00 EUR',
      'other gateway_disagrees': 'gateway shows payment_approved, ours is PENDING; amounts differ: ours 11.00 EUR, gateway 12.50 EUR',
    });
  });

  it('runs on one instance at a time', async () => {
    const stuck = await stuckPending('PENDING_SUCCESS');
    const a = await w.startInstance();
    const b = await w.startInstance();
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const now = new Date(Date.now() + 61 * MINUTE);
    const running = a.janitor.run({ now, limiter: { acquire: async () => (entered(), await gate, 0) } });
    await inside;
    expect(await b.janitor.run({ now })).toEqual({ locked: false, checked: 0, outcomes: {}, settled: [] });
    release();
    expect((await running).settled).toContain(stuck.paymentId);
    await a.close();
    await b.close();
  });
});
