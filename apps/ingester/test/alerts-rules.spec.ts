import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { AlertRunner } from '../src/alerts/alert-runner';
import { ReturnService } from '../src/returns/return.service';
import {
  alertRunner,
  alertsOf,
  completePayment,
  historyOf,
  initiatePayment,
  minutesAfter,
  onlyRules,
  type AlertDbRow,
} from './alerts-harness';
import { BETA, cardPayment, startCheckoutHarness, storeCard, type CheckoutHarness } from './checkout-harness';
import { postConfirmation, signedConfirmation } from './confirmation-fixtures';
import { abandonedStorage, waitForState } from './ops-fixtures';

// Each rule raises an alert on data made to trip it — through the checkout API, the in-process gateway
// simulator, signed confirmations, browser returns and the sweeper; by SQL only where history has to be
// backdated — and resolves it when the data no longer does. Every rule gets a database of its own, and a
// runner with only that rule switched on.

const hourStart = (d: Date): Date => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);

function ruleWorld(rule: string, settings: Record<string, string> = {}): { h: () => CheckoutHarness; runner: () => AlertRunner } {
  let h: CheckoutHarness;
  let runner: AlertRunner;
  beforeAll(async () => {
    h = await startCheckoutHarness();
    runner = alertRunner(h.app, onlyRules([rule], settings));
  });
  afterAll(async () => {
    await h?.close();
  });
  return { h: () => h, runner: () => runner };
}

/** Runs the tick of `now` and returns the rule's alerts afterwards. */
async function tick(world: { h: () => CheckoutHarness; runner: () => AlertRunner }, rule: string, now: Date): Promise<AlertDbRow[]> {
  const result = await world.runner().runOnce(now);
  expect(result.ran).toBe(true);
  expect(result.rules).toEqual([expect.objectContaining({ rule, result: 'ok' })]);
  return alertsOf(world.h(), rule);
}

async function waitForMismatch(h: CheckoutHarness, paymentId: string, kind: string): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if ((await h.sql(`SELECT 1 FROM mismatches WHERE payment_id = $1 AND kind = $2 AND status = 'open'`, [paymentId, kind])).length) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no open ${kind} mismatch for ${paymentId}`);
}

describe('stale_pending', () => {
  const w = ruleWorld('stale_pending');

  it('INITIATED after 45 min and PENDING after 240 min, per shop; resolved once the payments are final', async () => {
    const t0 = new Date();
    const waiting = await initiatePayment(w.h()); // the consumer never pays
    const pending = await initiatePayment(w.h());
    w.h().sim.state.knobs.addScoped({ orderIdent: pending.orderIdent }, { pendingDelayMs: 24 * 3600_000 });
    const { orderNumber } = await w.h().sim.completePayment(pending.sid, 'PENDING_SUCCESS');
    await waitForState(w.h(), pending.paymentId, 'PENDING');

    expect(await tick(w, 'stale_pending', minutesAfter(t0, 40))).toEqual([]);

    const opened = await tick(w, 'stale_pending', minutesAfter(t0, 47));
    expect(opened).toHaveLength(1);
    let alert = opened[0];
    expect(alert).toMatchObject({ scope: 'shop=alpha', shop_id: 'alpha', payment_type: null, severity: 'warning', status: 'open' });
    expect(alert.detail).toMatchObject({ stale: 1, initiated: 1, pending: 0, samplePaymentIds: [waiting.paymentId] });
    expect(alert.summary).toMatch(/^1 payment not final: 1 INITIATED for over 45 min; the oldest for 4[67] min$/);

    [alert] = await tick(w, 'stale_pending', minutesAfter(t0, 242));
    expect(alert.detail).toMatchObject({ stale: 2, initiated: 1, pending: 1 });
    expect(alert.summary).toMatch(/^2 payments not final: 1 INITIATED for over 45 min, 1 PENDING for over 4 h; the oldest for 4 h 0\d min$/);

    // The gateway confirms both (the consumer pays; the PENDING one settles).
    await completePayment(w.h(), waiting, 'SUCCESS');
    const settled = await postConfirmation(w.h().baseUrl, signedConfirmation(pending.paymentId, 'SUCCESS', { amount: '12.50', orderNumber: orderNumber ?? undefined }));
    expect(settled.body).toContain('result="OK"');
    await waitForState(w.h(), pending.paymentId, 'SUCCESS');

    const [resolved] = await tick(w, 'stale_pending', minutesAfter(t0, 243));
    expect(resolved).toMatchObject({ id: alert.id, status: 'resolved' });
    expect(resolved.resolved_at).toEqual(minutesAfter(t0, 243));
    expect(await historyOf(w.h(), alert.id)).toEqual(['opened', 'updated', 'resolved']);
  });
});

describe('return_without_confirmation', () => {
  const w = ruleWorld('return_without_confirmation');

  it('opens on a return whose confirmation never came (after the grace period); resolves when it arrives', async () => {
    const p = await initiatePayment(w.h());
    w.h().sim.state.knobs.addScoped({ orderIdent: p.orderIdent }, { confirmation: 'never' });
    const completion = await w.h().sim.completePayment(p.sid, 'SUCCESS');
    expect((await fetch(completion.location, { redirect: 'manual' })).status).toBe(303);
    const t0 = new Date();
    expect(await w.h().app.get(ReturnService).flagReturnsWithoutConfirmation(600, minutesAfter(t0, 11))).toBe(1);

    const [alert] = await tick(w, 'return_without_confirmation', minutesAfter(t0, 11));
    expect(alert).toMatchObject({ scope: 'shop=alpha', severity: 'warning', status: 'open' });
    expect(alert.detail).toMatchObject({ mismatchKind: 'return_without_confirmation', open: 1, samplePaymentIds: [p.paymentId] });
    expect(alert.summary).toMatch(/^1 consumer returned without a confirmation \(latest: returned to success page 1[01] min ago, no confirmation received\)$/);

    // The confirmation arrives late (e.g. the firewall was fixed): the mismatch resolves, and so does the alert.
    const late = await postConfirmation(w.h().baseUrl, signedConfirmation(p.paymentId, 'SUCCESS', { amount: '12.50', orderNumber: completion.orderNumber ?? undefined }));
    expect(late.body).toContain('result="OK"');
    const [resolved] = await tick(w, 'return_without_confirmation', minutesAfter(t0, 12));
    expect(resolved).toMatchObject({ id: alert.id, status: 'resolved' });
  });
});

describe('amount_mismatch', () => {
  const w = ruleWorld('amount_mismatch');

  it('a confirmation for another amount is critical; resolved with the mismatch', async () => {
    const p = await initiatePayment(w.h(), { shop: BETA });
    w.h().sim.state.knobs.addScoped({ orderIdent: p.orderIdent }, { alterAmount: '1.00' });
    await w.h().sim.completePayment(p.sid, 'SUCCESS');
    await waitForMismatch(w.h(), p.paymentId, 'amount_mismatch');
    const t0 = new Date();

    const [alert] = await tick(w, 'amount_mismatch', t0);
    expect(alert).toMatchObject({ scope: 'shop=beta', shop_id: 'beta', severity: 'critical', status: 'open' });
    expect(alert.detail).toMatchObject({ mismatchKind: 'amount_mismatch', open: 1, samplePaymentIds: [p.paymentId] });
    expect(alert.summary).toMatch(/^1 payment confirmed with another amount or currency \(latest: .+\)$/);

    // An operator settles the mismatch (no route does that yet: the projection is updated directly).
    await w.h().sql(`UPDATE mismatches SET status = 'resolved', resolved_at = now() WHERE payment_id = $1`, [p.paymentId]);
    expect(await tick(w, 'amount_mismatch', minutesAfter(t0, 1))).toEqual([expect.objectContaining({ id: alert.id, status: 'resolved' })]);
  });
});

describe('conflicting_final_states', () => {
  const w = ruleWorld('conflicting_final_states');

  it('FAILURE confirmed after SUCCESS is critical; resolved with the mismatch', async () => {
    const p = await initiatePayment(w.h());
    const { orderNumber } = await completePayment(w.h(), p, 'SUCCESS');
    const regression = await postConfirmation(w.h().baseUrl, signedConfirmation(p.paymentId, 'FAILURE', { amount: '12.50', orderNumber: orderNumber ?? undefined }));
    expect(regression.body).toContain('result="OK"');
    await waitForMismatch(w.h(), p.paymentId, 'conflicting_final_states');
    const t0 = new Date();

    const [alert] = await tick(w, 'conflicting_final_states', t0);
    expect(alert).toMatchObject({ scope: 'shop=alpha', severity: 'critical', status: 'open' });
    expect(alert.summary).toBe('1 payment with conflicting final states (latest: confirmed FAILURE after SUCCESS)');

    await w.h().sql(`UPDATE mismatches SET status = 'resolved', resolved_at = now() WHERE payment_id = $1`, [p.paymentId]);
    expect(await tick(w, 'conflicting_final_states', minutesAfter(t0, 1))).toEqual([expect.objectContaining({ id: alert.id, status: 'resolved' })]);
  });
});

describe('success_rate_drop', () => {
  const w = ruleWorld('success_rate_drop', { ALERT_SUCCESS_RATE_DROP_MIN_SAMPLE: '5' });

  it('the same hour over the previous 7 days as baseline, per shop and payment type; resolved when the rate recovers', async () => {
    const t0 = new Date();
    // History: 18 of 20 outcomes successful in this hour on each of the last 7 days (backdated rollup rows).
    for (let day = 1; day <= 7; day++) {
      await w.h().sql(`INSERT INTO funnel_hourly (bucket, shop_id, payment_type, shard, successes, failures) VALUES ($1, 'alpha', 'CCARD', 0, 18, 2)`, [
        new Date(hourStart(t0).getTime() - day * 86_400_000),
      ]);
    }
    // Now: 1 success, 4 failures through the gateway.
    for (const outcome of ['SUCCESS', 'FAILURE', 'FAILURE', 'FAILURE', 'FAILURE'] as const) await completePayment(w.h(), await initiatePayment(w.h()), outcome);

    const [alert, ...more] = await tick(w, 'success_rate_drop', new Date());
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ scope: 'shop=alpha,paymentType=CCARD', shop_id: 'alpha', payment_type: 'CCARD', severity: 'warning', status: 'open' });
    expect(alert.detail).toMatchObject({ successes: 1, finals: 5, successRate: 0.2, baselineRate: 0.9, baselineFinals: 140, baselineDays: 7, dropPoints: 70 });
    expect(alert.summary).toMatch(/^Success rate 20 % since \d\d:00 UTC \(usually 90 %; 5 final outcomes\)$/);

    // Nine more successes: 10 of 14 (71 %) is less than 20 points below 90 %.
    for (let i = 0; i < 9; i++) await completePayment(w.h(), await initiatePayment(w.h()), 'SUCCESS');
    expect(await tick(w, 'success_rate_drop', minutesAfter(new Date(), 1))).toEqual([expect.objectContaining({ id: alert.id, status: 'resolved' })]);
  });
});

describe('traffic_silence', () => {
  const w = ruleWorld('traffic_silence');

  it('no payment in the last hour where the previous days had some at this time; resolved by the next payment', async () => {
    const t0 = new Date();
    // Six PAYPAL payments half an hour before now on each of the last 7 days (backdated projection and rollup),
    // and the series' start a day before that.
    for (let day = 1; day <= 8; day++) {
      const at = new Date(t0.getTime() - 30 * 60_000 - day * 86_400_000);
      const n = day === 8 ? 1 : 6;
      for (let i = 0; i < n; i++) {
        await w.h().sql(
          `INSERT INTO payments (id, shop_id, payment_type, amount, currency, state, initiated_at, created_at) VALUES ($1, 'alpha', 'PAYPAL', '5.00', 'EUR', 'SUCCESS', $2, $2)`,
          [randomUUID(), at],
        );
      }
      await w.h().sql(`INSERT INTO funnel_hourly (bucket, shop_id, payment_type, shard, payments_initiated) VALUES ($1, 'alpha', 'PAYPAL', 0, $2)`, [hourStart(at), n]);
    }
    // CCARD traffic of alpha now, and none in the history: no expectation, no alert for it.
    await initiatePayment(w.h());

    const [alert, ...more] = await tick(w, 'traffic_silence', t0);
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ scope: 'shop=alpha,paymentType=PAYPAL', severity: 'warning', status: 'open', summary: 'No PAYPAL payment in the last 60 min (usually 6 at this time)' });
    expect(alert.detail).toMatchObject({ payments: 0, expected: 6, baselineDays: 7 });

    // A PAYPAL payment through the checkout API ends the silence.
    const paypal = await w.h().call('POST', '/api/checkout/payments', {
      body: { ...cardPayment('unused'), storageId: undefined, paymentType: 'PAYPAL' },
    });
    expect(paypal.status, paypal.text).toBe(201);
    expect(await tick(w, 'traffic_silence', minutesAfter(new Date(), 1))).toEqual([expect.objectContaining({ id: alert.id, status: 'resolved' })]);
  });
});

describe('rejected_confirmation', () => {
  const w = ruleWorld('rejected_confirmation');

  it('any rejected fingerprint in the last hour, per shop (global when no shop can be told); resolved an hour later', async () => {
    const p = await initiatePayment(w.h());
    const t0 = new Date();
    const forged = await postConfirmation(w.h().baseUrl, signedConfirmation(p.paymentId, 'SUCCESS', { amount: '12.50' }, 'not-the-shop-secret-000000000000'));
    expect(forged.status).toBe(403);
    const unknown = await postConfirmation(w.h().baseUrl, signedConfirmation(randomUUID(), 'SUCCESS', {}, 'not-the-shop-secret-000000000000'));
    expect(unknown.status).toBe(403);
    const rejected = await w.h().sql<{ shop_id: string | null }>(`SELECT shop_id FROM checkout_events WHERE kind = 'confirmation.rejected' ORDER BY id`);
    expect(rejected.map((r) => r.shop_id)).toEqual(['alpha', null]);

    const alerts = await tick(w, 'rejected_confirmation', minutesAfter(t0, 1));
    expect(alerts.map((a) => `${a.scope} ${a.severity} ${a.status}`).sort()).toEqual(['global critical open', 'shop=alpha critical open']);
    const alpha = alerts.find((a) => a.scope === 'shop=alpha') as AlertDbRow;
    expect(alpha.summary).toMatch(/^1 rejected confirmation in the last 60 min \(.+\)$/);
    expect(alpha.detail).toMatchObject({ rejected: 1, sourceAddresses: ['127.0.0.1'] });

    const later = await tick(w, 'rejected_confirmation', minutesAfter(t0, 62));
    expect(later.map((a) => a.status)).toEqual(['resolved', 'resolved']);
  });
});

describe('storage_expiry_spike', () => {
  const w = ruleWorld('storage_expiry_spike', { ALERT_STORAGE_EXPIRY_SPIKE_MIN_SAMPLE: '3' });

  it('storages dying without a payment above the threshold, per shop; resolved when the window has passed', async () => {
    const t0 = new Date();
    for (let i = 0; i < 4; i++) await abandonedStorage(w.h(), BETA);
    // One of alpha's storages is used for a payment: alpha's ratio stays 0.
    await initiatePayment(w.h());
    expect((await w.h().sweeper.sweep(minutesAfter(t0, 31))).expired).toBe(4);

    const [alert, ...more] = await tick(w, 'storage_expiry_spike', minutesAfter(t0, 32));
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ scope: 'shop=beta', severity: 'warning', status: 'open' });
    expect(alert.detail).toMatchObject({ expired: 4, initialized: 4, ratio: 1, baselineRatio: null, reason: 'threshold' });
    expect(alert.summary).toMatch(/^100 % of data storages expired since \d\d:00 UTC: 4 expired, 4 initialized$/);

    expect(await tick(w, 'storage_expiry_spike', minutesAfter(t0, 4 * 60))).toEqual([expect.objectContaining({ id: alert.id, status: 'resolved' })]);
  });
});

describe('init_error_rate', () => {
  const w = ruleWorld('init_error_rate', { ALERT_INIT_ERROR_RATE_MIN_SAMPLE: '4' });

  it('gateway init errors above 20 % of inits, per shop and payment type; resolved when the window has passed', async () => {
    const t0 = new Date();
    w.h().sim.state.knobs.setGlobal({ initError: { errorCode: '10098', message: 'Simulated gateway error.' }, initTarget: 'frontend' });
    for (let i = 0; i < 3; i++) {
      const storage = await w.h().call('POST', '/api/checkout/storages', { body: {}, key: BETA.apiKey });
      const storageId = storage.body['storageId'] as string;
      await storeCard(w.h().sim, storageId);
      await w.h().call('GET', `/api/checkout/storages/${storageId}`, { key: BETA.apiKey });
      const init = await w.h().call('POST', '/api/checkout/payments', { body: cardPayment(storageId), key: BETA.apiKey });
      expect(init.status).not.toBe(201);
    }
    w.h().sim.state.knobs.setGlobal({});
    await initiatePayment(w.h(), { shop: BETA });

    const [alert, ...more] = await tick(w, 'init_error_rate', new Date());
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ scope: 'shop=beta,paymentType=CCARD', severity: 'critical', status: 'open' });
    expect(alert.detail).toMatchObject({ initFailures: 3, paymentsInitiated: 4, errorRate: 0.75 });
    expect(alert.summary).toMatch(/^75 % of CCARD payment inits failed since \d\d:00 UTC \(3 of 4\)$/);

    expect(await tick(w, 'init_error_rate', minutesAfter(t0, 4 * 60))).toEqual([expect.objectContaining({ id: alert.id, status: 'resolved' })]);
  });
});

describe('confirmation_latency_p95', () => {
  const w = ruleWorld('confirmation_latency_p95', { ALERT_CONFIRMATION_LATENCY_P95_MIN_SAMPLE: '3' });

  it('p95 of init → first confirmation above 10 min, per shop and payment type; resolved when the window has passed', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await initiatePayment(w.h());
      await completePayment(w.h(), p, 'SUCCESS');
      ids.push(p.paymentId);
    }
    const t0 = new Date();
    expect(await tick(w, 'confirmation_latency_p95', t0)).toEqual([]); // milliseconds through the simulator

    // The consumers had taken 20 minutes on the payment page (backdated inits).
    await w.h().sql(`UPDATE payments SET initiated_at = initiated_at - interval '20 minutes' WHERE id = ANY($1::uuid[])`, [ids]);
    const [alert] = await tick(w, 'confirmation_latency_p95', minutesAfter(t0, 1));
    expect(alert).toMatchObject({ scope: 'shop=alpha,paymentType=CCARD', severity: 'warning', status: 'open' });
    expect(alert.detail).toMatchObject({ confirmed: 3, thresholdSeconds: 600 });
    expect(alert.detail['p95Seconds']).toBeGreaterThanOrEqual(1200);
    expect(alert.summary).toMatch(/^Confirmation latency p95 20 min over the last 60 min \(threshold 10 min; 3 payments\)$/);

    expect(await tick(w, 'confirmation_latency_p95', minutesAfter(t0, 62))).toEqual([expect.objectContaining({ id: alert.id, status: 'resolved' })]);
  });
});
