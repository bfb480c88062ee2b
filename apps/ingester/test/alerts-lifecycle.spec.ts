import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDetailResponse, AlertItem, AlertRulesResponse, ApiError, OverviewResponse, Page } from '@seamless-ops/contracts';
import type { AlertRuleDefinition } from '../src/alerts/alert-rules';
import { ALERT_RULES } from '../src/alerts/alert-rules';
import type { AlertRunner } from '../src/alerts/alert-runner';
import { alertRunner, alertsOf, historyOf, minutesAfter, onlyRules } from './alerts-harness';
import { auditRows, loginAs, type LoggedIn } from './auth-helpers';
import { startCheckoutHarness, type CheckoutHarness } from './checkout-harness';
import { postConfirmation, seedPayment, signedConfirmation, type SeededPayment } from './confirmation-fixtures';

// The alert lifecycle and the operator API over it, on one database and one timeline (each test's ticks come
// after the previous test's: a tick runs once). Rules: stale_pending (payments seeded as the checkout API leaves
// them, confirmed through POST /qenta/confirm) and rejected_confirmation (a day's window, for a global alert).

describe('alert lifecycle and the alerts API', () => {
  let h: CheckoutHarness;
  let runner: AlertRunner;
  let operator: LoggedIn;
  let viewer: LoggedIn;
  let alphaOnly: LoggedIn;
  // Ticks are whole minutes: the timeline starts at one, so `at(51)` and 20 s later are the same tick.
  const base = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const at = (minutes: number): Date => minutesAfter(base, minutes);
  const ENV = onlyRules(['stale_pending', 'rejected_confirmation'], { ALERT_REJECTED_CONFIRMATION_WINDOW_MINUTES: '1440' });
  let first: SeededPayment;
  let firstAlertId: string;

  beforeAll(async () => {
    h = await startCheckoutHarness();
    runner = alertRunner(h.app, ENV);
    operator = await loginAs(h, 'operator');
    viewer = await loginAs(h, 'viewer');
    alphaOnly = await loginAs(h, 'admin', ['alpha']);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function json<T>(session: LoggedIn, path: string, init?: Parameters<LoggedIn['fetch']>[1]): Promise<{ status: number; body: T }> {
    const res = await session.fetch(path, init);
    return { status: res.status, body: (await res.json()) as T };
  }

  it('dedup: the same condition on two ticks is one alert, refreshed; each rule run is recorded; a tick runs once', async () => {
    first = await seedPayment(h.db.url, { shopId: 'alpha' });
    const one = await runner.runOnce(at(50));
    expect(one).toMatchObject({ ran: true, resolvedOfDisabledRules: 0 });
    expect(one.rules.map((r) => [r.rule, r.result, r.findings, r.opened])).toEqual([
      ['stale_pending', 'ok', 1, 1],
      ['rejected_confirmation', 'ok', 0, 0],
    ]);
    const two = await runner.runOnce(at(51));
    expect(two.rules.find((r) => r.rule === 'stale_pending')).toMatchObject({ findings: 1, opened: 0, resolved: 0 });
    // Another call within the same tick does nothing.
    expect(await runner.runOnce(new Date(at(51).getTime() + 20_000))).toMatchObject({ ran: false, skipped: 'already-ran' });

    const alerts = await alertsOf(h, 'stale_pending');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ scope: 'shop=alpha', status: 'open', opened_at: at(50), last_seen_at: at(51) });
    expect(alerts[0].summary).toMatch(/the oldest for 5[01] min$/); // the figures are the latest evaluation's
    firstAlertId = alerts[0].id;
    expect(await historyOf(h, firstAlertId)).toEqual(['opened']); // a changed figure is history at most every 15 min

    const runs = await h.sql<{ rule: string; tick_at: Date; result: string; duration_ms: number }>(`SELECT rule, tick_at, result, duration_ms FROM alert_rule_runs ORDER BY tick_at, rule`);
    expect(runs.map((r) => `${r.rule} ${r.result}`)).toEqual(['rejected_confirmation ok', 'stale_pending ok', 'rejected_confirmation ok', 'stale_pending ok']);
    expect(runs[1].tick_at.getTime()).toBe(Math.floor(at(50).getTime() / 60_000) * 60_000);
    expect(runs.every((r) => r.duration_ms >= 0)).toBe(true);
  });

  it('acknowledged with a comment by an operator (audited, not by a viewer), then resolved automatically when the condition clears', async () => {
    const path = `/api/ops/alerts/${firstAlertId}/ack`;
    expect((await viewer.fetch(path, { method: 'POST', body: { comment: 'mine' } })).status).toBe(403);
    const bad = await json<ApiError>(operator, path, { method: 'POST', body: { comment: 42, note: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual(['unknown field "note"', 'comment must be a string']);

    const acked = await json<AlertItem>(operator, path, { method: 'POST', body: { comment: '  Gateway confirms late today; watching  ' } });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({
      id: firstAlertId,
      rule: 'stale_pending',
      scope: 'shop=alpha',
      status: 'acknowledged',
      acknowledgedBy: operator.operator.email,
      ackComment: 'Gateway confirms late today; watching',
      resolvedAt: null,
      shopId: 'alpha',
      paymentType: null,
    });
    expect(Date.parse(acked.body.acknowledgedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    const audit = await auditRows(h.db.url, `action = 'alert_acknowledged'`);
    expect(audit).toEqual([
      expect.objectContaining({
        operator_id: operator.operator.id,
        email: operator.operator.email,
        target: `alert:${firstAlertId}`,
        ip: '127.0.0.1',
        detail: { rule: 'stale_pending', scope: 'shop=alpha', severity: 'warning', comment: 'Gateway confirms late today; watching' },
      }),
    ]);
    const again = await json<ApiError>(operator, path, { method: 'POST', body: {} });
    expect(again).toEqual({ status: 409, body: expect.objectContaining({ message: `alert is already acknowledged by ${operator.operator.email}` }) });

    // Still stale: acknowledged stays acknowledged.
    await runner.runOnce(at(52));
    expect((await alertsOf(h, 'stale_pending'))[0].status).toBe('acknowledged');

    // The gateway confirms the payment: the condition clears and the acknowledged alert resolves.
    const confirmed = await postConfirmation(h.baseUrl, signedConfirmation(first.id, 'SUCCESS'));
    expect(confirmed.body).toContain('result="OK"');
    const tick = await runner.runOnce(at(53));
    expect(tick.rules.find((r) => r.rule === 'stale_pending')).toMatchObject({ findings: 0, resolved: 1 });
    expect((await alertsOf(h, 'stale_pending'))[0]).toMatchObject({ status: 'resolved', resolved_at: at(53) });
    expect(await json(operator, path, { method: 'POST', body: { comment: 'late' } })).toEqual({ status: 409, body: expect.objectContaining({ message: 'alert is already resolved' }) });

    const detail = await json<AlertDetailResponse>(viewer, `/api/ops/alerts/${firstAlertId}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ status: 'resolved', resolvedAt: at(53).toISOString(), acknowledgedBy: operator.operator.email });
    expect(detail.body.history.map((e) => [e.kind, e.actor])).toEqual([
      ['opened', null],
      ['acknowledged', operator.operator.email],
      ['resolved', null],
    ]);
    expect(detail.body.history[1].detail).toEqual({ comment: 'Gateway confirms late today; watching', operatorId: operator.operator.id });
    expect(detail.body.history[2].detail).toMatchObject({ reason: 'the condition cleared', wasStatus: 'acknowledged', lastSeenAt: at(52).toISOString() });
  });

  it('a new trip after the resolution opens a new alert; the list filters by status', async () => {
    await seedPayment(h.db.url, { shopId: 'alpha' });
    await runner.runOnce(at(100));
    const alerts = await alertsOf(h, 'stale_pending');
    expect(alerts.map((a) => [a.id === firstAlertId, a.status])).toEqual([
      [true, 'resolved'],
      [false, 'open'],
    ]);
    const open = await json<Page<AlertItem>>(viewer, '/api/ops/alerts?status=open');
    expect(open.body.items.map((a) => a.id)).toEqual([alerts[1].id]);
    const resolved = await json<Page<AlertItem>>(viewer, '/api/ops/alerts?status=resolved');
    expect(resolved.body.items.map((a) => a.id)).toEqual([firstAlertId]);
    expect(open.body.items[0]).toMatchObject({ lastSeenAt: at(100).toISOString(), ackComment: null, detail: expect.objectContaining({ stale: 1 }) });
    // from/to: the alerts live at some time in the range.
    const live = async (query: string): Promise<string[]> => (await json<Page<AlertItem>>(viewer, `/api/ops/alerts?${query}`)).body.items.map((a) => a.id);
    expect(await live(`from=${at(60).toISOString()}`)).toEqual([alerts[1].id]); // the first was resolved at +53
    expect(await live(`from=${at(52).toISOString()}&to=${at(60).toISOString()}`)).toEqual([firstAlertId]);
    expect(await live(`to=${at(50).toISOString()}`)).toEqual([]); // nothing was open before +50
  });

  it('shop scope: an operator of alpha sees alpha’s and global alerts, never beta’s (by id: an audited 404)', async () => {
    await seedPayment(h.db.url, { shopId: 'beta' });
    // A forged confirmation for no payment of ours: no shop can be told, the alert is global.
    expect((await postConfirmation(h.baseUrl, signedConfirmation(randomUUID(), 'SUCCESS', {}, 'forged-secret-000000000000000000'))).status).toBe(403);
    await runner.runOnce(at(101));
    const live = (await alertsOf(h)).filter((a) => a.status !== 'resolved');
    expect(live.map((a) => `${a.rule} ${a.scope}`).sort()).toEqual(['rejected_confirmation global', 'stale_pending shop=alpha', 'stale_pending shop=beta']);
    const beta = live.find((a) => a.scope === 'shop=beta')!;

    const everything = await json<Page<AlertItem>>(viewer, '/api/ops/alerts');
    expect(everything.body.items.map((a) => a.scope).sort()).toEqual(['global', 'shop=alpha', 'shop=alpha', 'shop=beta']);
    const mine = await json<Page<AlertItem>>(alphaOnly, '/api/ops/alerts');
    expect(mine.body.items.map((a) => a.scope).sort()).toEqual(['global', 'shop=alpha', 'shop=alpha']);
    const betaFilter = await json<Page<AlertItem>>(viewer, '/api/ops/alerts?shopId=beta&paymentType=CCARD');
    expect(betaFilter.body.items.map((a) => a.scope).sort()).toEqual(['global', 'shop=beta']);
    expect((await alphaOnly.fetch('/api/ops/alerts?shopId=beta')).status).toBe(403);

    expect((await alphaOnly.fetch(`/api/ops/alerts/${beta.id}`)).status).toBe(404);
    expect((await alphaOnly.fetch(`/api/ops/alerts/${beta.id}/ack`, { method: 'POST', body: {} })).status).toBe(404);
    expect((await viewer.fetch('/api/ops/alerts/999999')).status).toBe(404);
    expect((await viewer.fetch('/api/ops/alerts/not-an-id')).status).toBe(404);
    const denials = await auditRows(h.db.url, `action = 'access_denied' AND operator_id = $1`, [alphaOnly.operator.id]);
    expect(denials.map((d) => d.target)).toEqual(expect.arrayContaining([`GET /api/ops/alerts/${beta.id}`, `POST /api/ops/alerts/${beta.id}/ack`]));
    expect((await alertsOf(h, 'stale_pending')).find((a) => a.id === beta.id)?.status).toBe('open');

    // Keyset pages of one, newest opened first, without gaps.
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page<AlertItem> } = await json<Page<AlertItem>>(viewer, `/api/ops/alerts?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...page.body.items.map((a) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual(everything.body.items.map((a) => a.id));
    expect((await viewer.fetch('/api/ops/alerts?status=closed')).status).toBe(400);

    // The overview counts open and acknowledged alerts in scope.
    expect((await json<OverviewResponse>(viewer, '/api/ops/overview')).body.openAlerts).toBe(3);
    expect((await json<OverviewResponse>(alphaOnly, '/api/ops/overview')).body.openAlerts).toBe(2);
  });

  it('GET /api/ops/alerts/rules: every rule with its settings and last run', async () => {
    const { status, body } = await json<AlertRulesResponse>(viewer, '/api/ops/alerts/rules');
    expect(status).toBe(200);
    expect(body).toMatchObject({ intervalSeconds: 60, scheduled: false, notifications: { webhook: false, email: false } });
    expect(body.rules.map((r) => r.rule)).toEqual(ALERT_RULES.map((r) => r.id));
    const stale = body.rules.find((r) => r.rule === 'stale_pending')!;
    // The app's own configuration (all rules on); the runs come from this file's runner.
    expect(stale).toMatchObject({ enabled: true, severity: 'warning', live: { open: 2, acknowledged: 0 } });
    expect(stale.settings.find((s) => s.key === 'initiatedMinutes')).toEqual({
      key: 'initiatedMinutes',
      value: 45,
      default: 45,
      unit: 'minutes',
      env: 'ALERT_STALE_PENDING_INITIATED_MINUTES',
      description: expect.any(String),
    });
    expect(stale.lastRun).toMatchObject({ tickAt: new Date(Math.floor(at(101).getTime() / 60_000) * 60_000).toISOString(), result: 'ok', findings: 2, alertsOpened: 1, alertsResolved: 0, message: null });
    expect(stale.lastRun!.durationMs).toBeGreaterThanOrEqual(0);
    expect(body.rules.find((r) => r.rule === 'traffic_silence')!.lastRun).toBeNull();
    const alphaView = await json<AlertRulesResponse>(alphaOnly, '/api/ops/alerts/rules');
    expect(alphaView.body.rules.find((r) => r.rule === 'stale_pending')!.live).toEqual({ open: 1, acknowledged: 0 });
  });

  it('a failing rule is recorded as an error; the other rules of the tick still run and commit', async () => {
    const broken: AlertRuleDefinition = {
      id: 'broken_rule',
      title: 'Broken',
      description: 'Reads a table that does not exist.',
      severity: 'info',
      settings: {},
      evaluate: async ({ sql }) => {
        await sql.query('SELECT * FROM no_such_table');
        return [];
      },
    };
    const withBroken = alertRunner(h.app, ENV, [broken, ...ALERT_RULES]);
    const tick = await withBroken.runOnce(at(110));
    expect(tick.rules.map((r) => [r.rule, r.result])).toEqual([
      ['broken_rule', 'error'],
      ['stale_pending', 'ok'],
      ['rejected_confirmation', 'ok'],
    ]);
    expect(tick.rules[0].message).toMatch(/no_such_table/);
    const runs = await h.sql<{ rule: string; result: string; message: string | null }>(`SELECT rule, result, message FROM alert_rule_runs WHERE tick_at = $1 ORDER BY id`, [
      new Date(Math.floor(at(110).getTime() / 60_000) * 60_000),
    ]);
    expect(runs.map((r) => `${r.rule} ${r.result}`)).toEqual(['broken_rule error', 'stale_pending ok', 'rejected_confirmation ok']);
    expect((await alertsOf(h, 'stale_pending')).filter((a) => a.status === 'open')).toHaveLength(2);
    for (const a of await alertsOf(h, 'stale_pending')) if (a.status === 'open') expect(a.last_seen_at).toEqual(at(110));
  });

  it('switching a rule off resolves its live alerts; only the newest ALERT_RUNS_KEPT runs per rule are kept', async () => {
    const staleOff = alertRunner(h.app, onlyRules(['rejected_confirmation'], { ALERT_REJECTED_CONFIRMATION_WINDOW_MINUTES: '1440', ALERT_RUNS_KEPT: '2' }));
    const tick = await staleOff.runOnce(at(120));
    expect(tick.resolvedOfDisabledRules).toBe(2);
    const stale = await alertsOf(h, 'stale_pending');
    expect(stale.every((a) => a.status === 'resolved')).toBe(true);
    const last = stale[stale.length - 1];
    const [resolvedEvent] = await h.sql<{ detail: Record<string, unknown> }>(`SELECT detail FROM alert_events WHERE alert_id = $1 AND kind = 'resolved'`, [last.id]);
    expect(resolvedEvent.detail).toMatchObject({ reason: 'the rule is switched off' });
    await staleOff.runOnce(at(121));
    await staleOff.runOnce(at(122));
    const counts = await h.sql<{ rule: string; n: number }>(`SELECT rule, count(*)::int AS n FROM alert_rule_runs GROUP BY rule ORDER BY rule`);
    expect(counts.find((c) => c.rule === 'rejected_confirmation')?.n).toBe(2);
    // The global alert is still live: the rule still finds the forged confirmation in its window.
    expect((await alertsOf(h, 'rejected_confirmation')).map((a) => a.status)).toEqual(['open']);
  });
});
