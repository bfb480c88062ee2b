import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchedulerRegistry } from '@nestjs/schedule';
import { QentaClient } from '@seamless-ops/qenta';
import { GatewayCallLimiter } from '../src/reconciliation/gateway-backend';
import { RateLimiter } from '../src/reconciliation/rate-limiter';
import { SECRET } from './checkout-harness';
import {
  BACKEND_PASSWORD,
  BETA,
  checkEvents,
  insertPayment,
  payThrough,
  startReconciliationWorld,
  VirtualClock,
  type ReconciliationWorld,
} from './reconciliation-harness';

// Gateway reconciliation against the in-process simulator over HTTP: the disagreements the simulator's knobs (and
// a few forced projections) create are found, exactly; unknown answers are no disagreements and are asked again;
// a restart resumes at the checkpoint; two instances run it once; the rate limit holds.

describe('gateway reconciliation', () => {
  let w: ReconciliationWorld;

  beforeAll(async () => {
    w = await startReconciliationWorld();
  });
  afterAll(async () => {
    await w?.closeAll();
  });

  const openDisagreements = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await w.sql<{ payment_id: string; reason: string }>(`SELECT payment_id, reason FROM mismatches WHERE kind = 'gateway_disagrees' AND status = 'open'`)).map((m) => [
        m.payment_id,
        m.reason,
      ]),
    );
  const backend = () => new QentaClient({ baseUrl: `${w.sim.url}/seamless`, credentials: { customerId: 'D200001', shopId: 'seamless', secret: SECRET, password: BACKEND_PASSWORD } });

  it('finds exactly the disagreements the simulator was made to show, and records every check', async () => {
    const agreeing = [
      await payThrough(w),
      await payThrough(w, { outcome: 'FAILURE' }),
      await payThrough(w, { outcome: 'CANCEL' }),
      await payThrough(w, { shop: BETA, outcome: 'PENDING_SUCCESS' }),
    ];
    // Ours SUCCESS, an order number the gateway never heard of.
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    const ghost = await insertPayment(w, { state: 'SUCCESS', amount: '12.50', orderNumber: '99999991', initiatedAt: minutesAgo(5), firstConfirmationAt: minutesAgo(4), finalAt: minutesAgo(4) });
    // The confirmation states another amount (knob alterAmount): held; then our projection is forced to SUCCESS.
    const altered = await payThrough(w, { amount: '12.50', knobs: { alterAmount: '10.00' }, until: (r) => r.confirmation_count >= 1 });
    await w.sql(`UPDATE payments SET state = 'SUCCESS', final_at = now() WHERE id = $1`, [altered.paymentId]);
    // The gateway approved it; our projection is forced to FAILURE.
    const forcedFailure = await payThrough(w);
    await w.sql(`UPDATE payments SET state = 'FAILURE' WHERE id = $1`, [forcedFailure.paymentId]);
    // PENDING, then the gateway approves but its final confirmation never comes (knob confirmation: never).
    const stuck = await payThrough(w, { outcome: 'PENDING_SUCCESS', knobs: { pendingDelayMs: 300 }, until: (r) => r.state === 'PENDING' });
    w.sim.state.knobs.addScoped({ orderIdent: stuck.orderIdent }, { confirmation: 'never' });
    await w.sim.idle();
    expect(w.sim.state.orders.get(stuck.orderNumber as string)?.payments[0]?.state).toBe('payment_approved');
    // Ours SUCCESS; the approval was reversed at the gateway (back-end approveReversal).
    const reversed = await payThrough(w);
    expect((await backend().approveReversal(reversed.orderNumber as string)).outcome).toBe('success');
    // Ours SUCCESS; the gateway's order shows no payment at all.
    const emptied = await payThrough(w);
    (w.sim.state.orders.get(emptied.orderNumber as string) as { payments: unknown[] }).payments = [];

    // CANCEL and FAILURE confirmations carry no order number (PROTOCOL.md §8.3): the gateway cannot be asked about
    // them, so they are not among the payments reconciled.
    const unaskable = await w.sql<{ id: string }>(`SELECT id FROM payments WHERE id = ANY($1::uuid[]) AND order_number IS NULL`, [agreeing.map((p) => p.paymentId)]);
    expect(unaskable.map((u) => u.id).sort()).toEqual([agreeing[1]?.paymentId, agreeing[2]?.paymentId].sort());
    const asked = 10 - unaskable.length;

    const callsBefore = w.proxy.calls.length;
    const run = await w.reconciliation.run();
    expect(run).toMatchObject({ locked: true, checked: asked, passComplete: true, outcomes: { agrees: 4 - unaskable.length, disagrees: 6 } });
    expect(w.proxy.calls.length - callsBefore).toBe(asked);

    expect(await openDisagreements()).toEqual({
      [ghost]: 'gateway has no order 99999991',
      [altered.paymentId]: 'amounts differ: ours 10.00 EUR, gateway 12.50 EUR',
      [forcedFailure.paymentId]: 'gateway shows payment_approved, ours is FAILURE',
      [stuck.paymentId]: 'gateway shows payment_approved, ours is PENDING',
      [reversed.paymentId]: 'ours is SUCCESS, gateway shows payment_closed',
      [emptied.paymentId]: 'ours is SUCCESS, gateway shows nothing',
    });
    const [flagged] = await w.sql<{ has_mismatch: boolean }>('SELECT has_mismatch FROM payments WHERE id = $1', [ghost]);
    expect(flagged?.has_mismatch).toBe(true);

    for (const p of agreeing) {
      const events = await checkEvents(w, p.paymentId);
      if (unaskable.some((u) => u.id === p.paymentId)) {
        expect(events).toHaveLength(0);
        continue;
      }
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ source: 'system', payload: { check: 'reconciliation', outcome: 'agrees', reasons: [] } });
    }
    const [ghostEvent] = await checkEvents(w, ghost);
    expect(ghostEvent?.payload).toMatchObject({ outcome: 'disagrees', gateway: { answer: 'ok', found: false }, reasons: ['gateway has no order 99999991'] });
    const [stuckEvent] = await checkEvents(w, stuck.paymentId);
    expect(stuckEvent?.payload).toMatchObject({
      outcome: 'disagrees',
      ours: { state: 'PENDING', amount: '12.50', currency: 'EUR' },
      gateway: { answer: 'ok', found: true, paymentState: 'payment_approved', order: { amount: '12.50', currency: 'EUR', state: 'ORDERED' } },
      matched: ['amount: 12.50 EUR'],
    });
    const timeCreated = (stuckEvent?.payload['gateway'] as { order: { timeCreated: { raw: string; utc: string } } }).order.timeCreated;
    expect(timeCreated.raw).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(Math.abs(Date.parse(timeCreated.utc) - Date.now())).toBeLessThan(5 * 60_000); // read in Europe/Vienna
    const everything = JSON.stringify(await w.sql(`SELECT payload FROM checkout_events WHERE kind = 'reconciliation.checked'`));
    expect(everything).not.toContain(BACKEND_PASSWORD);

    const checks = await w.sql<{ n: number }>(`SELECT count(*)::int AS n FROM payment_checks WHERE last_checked_at IS NOT NULL AND checked_state IS NOT NULL`);
    expect(checks[0]?.n).toBe(asked);

    // Nothing new: the next run asks nothing.
    const again = await w.reconciliation.run();
    expect(again).toMatchObject({ locked: true, checked: 0, passComplete: true });
    expect(w.proxy.calls.length - callsBefore).toBe(asked);

    // Our record is corrected: its state changed, so it is checked again, agrees, and the mismatch resolves.
    await w.sql(`UPDATE payments SET state = 'SUCCESS', final_at = now() WHERE id = $1`, [forcedFailure.paymentId]);
    const recheck = await w.reconciliation.run();
    expect(recheck).toMatchObject({ checked: 1, outcomes: { agrees: 1 } });
    expect(Object.keys(await openDisagreements())).not.toContain(forcedFailure.paymentId);
    const [fixed] = await w.sql<{ has_mismatch: boolean }>('SELECT has_mismatch FROM payments WHERE id = $1', [forcedFailure.paymentId]);
    expect(fixed?.has_mismatch).toBe(false);
  });

  it('records unknown answers (gateway down, timeout) as no disagreement, and asks again on the next run', async () => {
    const a = await payThrough(w);
    const b = await payThrough(w);
    const before = await openDisagreements();
    w.proxy.mode = 'fail';
    try {
      expect(await w.reconciliation.run()).toMatchObject({ checked: 2, outcomes: { unknown: 2 } });
      w.proxy.mode = 'hang';
      expect(await w.reconciliation.run()).toMatchObject({ checked: 2, outcomes: { unknown: 2 } });
    } finally {
      w.proxy.mode = 'forward';
    }
    expect(await openDisagreements()).toEqual(before);
    const events = await checkEvents(w, a.paymentId);
    expect(events.map((e) => (e.payload['gateway'] as { reason: string }).reason)).toEqual(['http_status', 'timeout']);
    expect(events.map((e) => e.payload['outcome'])).toEqual(['unknown', 'unknown']);
    const [row] = await w.sql<{ last_outcome: string; checked_state: string | null }>('SELECT last_outcome, checked_state FROM payment_checks WHERE payment_id = $1', [b.paymentId]);
    expect(row).toEqual({ last_outcome: 'unknown', checked_state: null });

    expect(await w.reconciliation.run()).toMatchObject({ checked: 2, outcomes: { agrees: 2 } });
    expect((await checkEvents(w, b.paymentId)).map((e) => e.payload['outcome'])).toEqual(['unknown', 'unknown', 'agrees']);
  });

  it('resumes after a restart where it stopped (checkpoint), without asking twice', async () => {
    const paid = [];
    for (let i = 0; i < 5; i++) paid.push(await payThrough(w));
    const first = await w.startInstance();
    const start = w.proxy.calls.length;
    expect(await first.reconciliation.run({ maxPayments: 2 })).toMatchObject({ checked: 2, passComplete: false });
    const [checkpoint] = await w.sql<{ position_id: string }>(`SELECT position_id FROM job_checkpoints WHERE job = 'gateway-reconciliation'`);
    expect(checkpoint?.position_id).toBe(paid[1]?.paymentId);
    await first.close(); // "crash" between ticks

    const second = await w.startInstance();
    expect(await second.reconciliation.run({ maxPayments: 2 })).toMatchObject({ checked: 2, passComplete: false });
    expect(await second.reconciliation.run({ maxPayments: 2 })).toMatchObject({ checked: 1, passComplete: true });
    const [cleared] = await w.sql<{ position_id: string | null }>(`SELECT position_id FROM job_checkpoints WHERE job = 'gateway-reconciliation'`);
    expect(cleared?.position_id).toBeNull();
    // Asked in confirmation order, each once.
    expect(w.proxy.calls.slice(start).map((c) => c.orderNumber)).toEqual(paid.map((p) => p.orderNumber));
    await second.close();
  });

  it('runs once across two instances: the second finds the tick lock taken', async () => {
    const paid = [await payThrough(w), await payThrough(w), await payThrough(w)];
    const a = await w.startInstance();
    const b = await w.startInstance();
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const start = w.proxy.calls.length;
    const running = a.reconciliation.run({
      limiter: {
        acquire: async () => {
          if (first) {
            first = false;
            entered();
            await gate;
          }
          return 0;
        },
      },
    });
    await inside; // a holds the lock and is about to ask the gateway
    expect(await b.reconciliation.run()).toEqual({ locked: false, checked: 0, outcomes: {}, changedMeanwhile: 0, passComplete: false });
    expect(await b.janitor.run()).toMatchObject({ locked: true }); // another job, another lock
    release();
    expect(await running).toMatchObject({ locked: true, checked: 3 });
    expect(w.proxy.calls.length - start).toBe(3);

    // Both at once, ungated: between them every payment is asked about exactly once.
    const more = [await payThrough(w), await payThrough(w)];
    const before = w.proxy.calls.length;
    const both = await Promise.all([a.reconciliation.run(), b.reconciliation.run()]);
    expect(both.reduce((n, r) => n + r.checked, 0)).toBe(2);
    expect(w.proxy.calls.length - before).toBe(2);
    for (const p of [...paid, ...more]) expect(await checkEvents(w, p.paymentId)).toHaveLength(1);
    await a.close();
    await b.close();
  });

  it('is scheduled with the jobs (JOBS=on), and not when the pool is too small to hold the tick lock', async () => {
    const on = await w.startInstance({ JOBS: 'on' });
    expect(on.app.get(SchedulerRegistry).getIntervals()).toEqual(expect.arrayContaining(['gateway-reconciliation', 'pending-janitor']));
    await on.close();
    const small = await w.startInstance({ JOBS: 'on', DB_POOL_SIZE: '2' });
    const intervals = small.app.get(SchedulerRegistry).getIntervals();
    expect(intervals).not.toContain('gateway-reconciliation');
    expect(intervals).not.toContain('pending-janitor');
    await small.close();
  });

  it('respects the rate limit: each call waits for the limiter, spaced 1/rate apart', async () => {
    for (let i = 0; i < 6; i++) await payThrough(w);
    // Virtual time: the limiter's sleeps move the clock, never the test.
    const clock = new VirtualClock();
    const limiter = new RateLimiter(4, clock);
    const grants: { at: number; callsSoFar: number }[] = [];
    const start = w.proxy.calls.length;
    const run = await w.reconciliation.run({
      limiter: {
        acquire: async () => {
          const at = await limiter.acquire();
          grants.push({ at, callsSoFar: w.proxy.calls.length - start });
          return at;
        },
      },
    });
    expect(run.checked).toBe(6);
    expect(grants.map((g) => g.at)).toEqual([0, 250, 500, 750, 1000, 1250]);
    expect(grants.map((g) => g.callsSoFar)).toEqual([0, 1, 2, 3, 4, 5]); // one call per grant, after it
    expect(clock.sleeps).toEqual([250, 250, 250, 250, 250]);

    // Real time, the process's own limiter at RECONCILIATION_CALLS_PER_SECOND=20: its grants are at least 50 ms
    // apart on its clock (Date.now()), no call is let go before its grant, and each reaches the gateway after that.
    // (Gaps between the moments the awaits resume are not asserted: on a busy machine one resume can come late and
    // make the next gap look short, though the limiter kept its schedule.)
    for (let i = 0; i < 5; i++) await payThrough(w);
    const limited = await w.startInstance({ RECONCILIATION_CALLS_PER_SECOND: '20' });
    const processLimiter = limited.app.get(GatewayCallLimiter);
    const released: { grantedAt: number; wallClock: number; monotonic: number }[] = [];
    const acquire = processLimiter.acquire.bind(processLimiter);
    processLimiter.acquire = async () => {
      const grantedAt = await acquire();
      released.push({ grantedAt, wallClock: Date.now(), monotonic: performance.now() });
      return grantedAt;
    };
    const from = w.proxy.calls.length;
    expect(await limited.reconciliation.run()).toMatchObject({ checked: 5 });
    const arrivals = w.proxy.calls.slice(from).map((c) => c.at);
    expect(arrivals).toHaveLength(5);
    expect(released).toHaveLength(5);
    for (let i = 1; i < released.length; i++) expect(released[i].grantedAt - released[i - 1].grantedAt).toBeGreaterThanOrEqual(50);
    // Timers fire on a monotonic clock in whole milliseconds: allow 1 ms of rounding against Date.now().
    for (const r of released) expect(r.wallClock).toBeGreaterThanOrEqual(r.grantedAt - 1);
    for (let i = 0; i < arrivals.length; i++) expect(arrivals[i] as number).toBeGreaterThanOrEqual(released[i].monotonic);
    await limited.close();
  });
});
