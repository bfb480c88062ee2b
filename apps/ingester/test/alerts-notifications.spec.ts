import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRunner } from '../src/alerts/alert-runner';
import type { AlertWebhookMessage } from '../src/alerts/alert-notifications';
import { findRepoRoot } from '../src/config/repo-root';
import { NotificationsService } from '../src/notifications/notifications.service';
import { startTestApp, testConfig, type TestApp } from './app';
import { historyOf, minutesAfter, onlyRules } from './alerts-harness';
import { startSmtpReceiver, type SmtpReceiver } from './alerts-smtp';
import { postConfirmation, queryRows, seedPayment, signedConfirmation } from './confirmation-fixtures';
import { createTestDatabase, type TestDatabase } from './database';
import { startNotificationReceiver, type NotificationReceiver } from './notifications-receiver';

// Alert notifications through the outbox: a webhook receiver and an SMTP server started here, the outbox
// worker driven by hand with an injected clock (processDue(now)), and the test-notification command.

describe('alert notifications', () => {
  let db: TestDatabase;
  let ingester: TestApp;
  let webhook: NotificationReceiver;
  let smtp: SmtpReceiver;
  /** The webhook's answer to its n-th request (default 200). */
  const answers: number[] = [];
  const base = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const at = (minutes: number): Date => minutesAfter(base, minutes);

  beforeAll(async () => {
    webhook = await startNotificationReceiver((r) => answers[r.n - 1] ?? 200);
    smtp = await startSmtpReceiver();
    db = await createTestDatabase();
    ingester = await startTestApp(
      db.url,
      testConfig({
        JOBS: 'off',
        LOG_LEVEL: 'fatal',
        PUBLIC_BASE_URL: 'https://ops.example',
        ALERT_WEBHOOK_URL: webhook.url,
        ALERT_SMTP_URL: smtp.url,
        ALERT_EMAIL_TO: 'ops@example.com, oncall@example.com',
        ALERT_EMAIL_FROM: 'alerts@example.com',
        ...onlyRules(['stale_pending']),
      }),
    );
  });
  afterAll(async () => {
    await ingester?.close();
    await db?.drop();
    await webhook?.close();
    await smtp?.close();
  });

  const outbox = (): Promise<{ id: string; kind: string; status: string; attempts: number; last_error: string | null }[]> =>
    queryRows(db.url, `SELECT id::text AS id, kind, status, attempts, last_error FROM outbox ORDER BY id`);

  let paymentId: string;
  let alertId: string;

  it('an opened alert reaches the webhook, also after its first attempts failed, and the e-mail recipients', async () => {
    answers.push(503, 503); // then 200
    paymentId = (await seedPayment(db.url)).id; // shop demo, INITIATED now
    const tick = await ingester.app.get(AlertRunner).runOnce(at(50));
    expect(tick.rules).toEqual([expect.objectContaining({ rule: 'stale_pending', result: 'ok', opened: 1 })]);
    [{ id: alertId }] = await queryRows<{ id: string }>(db.url, `SELECT id::text AS id FROM alerts`);
    expect((await outbox()).map((o) => `${o.kind} ${o.status}`)).toEqual(['alert.webhook pending', 'alert.email pending']);

    const worker = ingester.app.get(NotificationsService);
    expect(await worker.processDue(at(50))).toMatchObject({ claimed: 2, sent: 1, retried: 1 }); // e-mail sent, webhook 503
    expect(await worker.processDue(at(50))).toMatchObject({ claimed: 0 }); // the retry is not due yet
    expect(await worker.processDue(at(51))).toMatchObject({ claimed: 1, retried: 1 }); // 503 again
    expect(await worker.processDue(at(53))).toMatchObject({ claimed: 1, sent: 1 });

    expect(webhook.received).toHaveLength(3);
    const last = webhook.received[2];
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['x-seamless-attempt']).toBe('3');
    const [webhookRow, emailRow] = await outbox();
    expect(last.headers['x-seamless-delivery']).toBe(webhookRow.id);
    expect(webhookRow).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(emailRow).toMatchObject({ status: 'sent', attempts: 1 });
    const message = JSON.parse(last.body.toString('utf8')) as AlertWebhookMessage;
    expect(message).toMatchObject({
      event: 'alert.opened',
      alertId,
      rule: 'stale_pending',
      scope: 'shop=demo',
      shopId: 'demo',
      paymentType: null,
      severity: 'warning',
      status: 'open',
      openedAt: at(50).toISOString(),
      resolvedAt: null,
      link: 'https://ops.example/alerts',
      detail: expect.objectContaining({ stale: 1, samplePaymentIds: [paymentId] }),
    });
    expect(message.summary).toMatch(/^1 payment not final: 1 INITIATED for over 45 min/);
    expect(message.text).toBe(`Alert opened [warning] stale_pending · shop=demo: ${message.summary} <https://ops.example/alerts|Alerts>`);
    // Every attempt carried the same message.
    expect(webhook.received.map((r) => r.body.toString('utf8'))).toEqual(Array(3).fill(last.body.toString('utf8')));

    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail.from).toBe('alerts@example.com');
    expect(mail.to).toEqual(['ops@example.com', 'oncall@example.com']);
    expect(mail.data).toContain('Subject: [Seamless Ops] [WARNING] Opened: stale_pending (shop=demo)');
    expect(mail.data).toContain(message.summary);
    expect(mail.data).toContain('https://ops.example/alerts');

    // Delivered notifications are in the alert's history (failed attempts are the outbox's business).
    expect(await historyOf({ sql: (text, params) => queryRows(db.url, text, params) }, alertId)).toEqual(['opened', 'notified', 'notified']);
    const notified = await queryRows<{ detail: Record<string, unknown> }>(db.url, `SELECT detail FROM alert_events WHERE kind = 'notified' ORDER BY id`);
    expect(notified.map((n) => n.detail)).toEqual([
      { channel: 'email', event: 'alert.opened', ok: true, attempt: 1, outboxId: emailRow.id },
      { channel: 'webhook', event: 'alert.opened', ok: true, attempt: 3, outboxId: webhookRow.id },
    ]);
  });

  it('a re-evaluation notifies nobody; the resolution notifies both channels', async () => {
    await ingester.app.get(AlertRunner).runOnce(at(54));
    expect(await outbox()).toHaveLength(2);

    const confirmed = await postConfirmation(ingester.baseUrl, signedConfirmation(paymentId, 'SUCCESS'));
    expect(confirmed.body).toContain('result="OK"');
    await ingester.app.get(AlertRunner).runOnce(at(55));
    expect((await outbox()).map((o) => `${o.kind} ${o.status}`).slice(2)).toEqual(['alert.webhook pending', 'alert.email pending']);
    expect(await ingester.app.get(NotificationsService).processDue(at(55))).toMatchObject({ claimed: 2, sent: 2 });

    const resolved = JSON.parse(webhook.received[3].body.toString('utf8')) as AlertWebhookMessage;
    expect(resolved).toMatchObject({ event: 'alert.resolved', alertId, status: 'resolved', resolvedAt: at(55).toISOString(), openedAt: at(50).toISOString() });
    expect(resolved.text).toMatch(/^Alert resolved \[warning\] stale_pending · shop=demo: /);
    expect(smtp.received[1].data).toContain('Subject: [Seamless Ops] [WARNING] Resolved: stale_pending (shop=demo)');
  });

  /** `npm run ops -- alerts test-notification` on this database, with these settings. */
  function testNotification(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/ingester/scripts/ops.ts', 'alerts', 'test-notification'], {
        cwd: findRepoRoot(),
        env: { PATH: process.env.PATH, HOME: process.env.HOME, SWC_NODE_PROJECT: 'tsconfig.base.json', DATABASE_URL: db.url, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('the test-notification command reaches the receivers through the same outbox and sender', async () => {
    const before = webhook.received.length;
    const mails = smtp.received.length;
    const run = await testNotification({ ALERT_WEBHOOK_URL: webhook.url, ALERT_SMTP_URL: smtp.url, ALERT_EMAIL_TO: 'ops@example.com', PUBLIC_BASE_URL: 'https://ops.example' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^Sent the test notification by webhook to ${webhook.url.replace(/[/.]/g, '\\$&')} \\(outbox \\d+\\)$`)),
      expect.stringMatching(/^Sent the test notification by email to ops@example\.com \(outbox \d+\)$/),
    ]);
    expect(webhook.received).toHaveLength(before + 1);
    const message = JSON.parse(webhook.received[before].body.toString('utf8')) as AlertWebhookMessage;
    expect(message).toMatchObject({ event: 'alert.test', alertId: null, rule: 'test', scope: 'global', severity: 'info', link: 'https://ops.example/alerts' });
    expect(message.text).toBe('Test notification from Seamless Ops: alert notifications reach this channel <https://ops.example/alerts|Alerts>');
    expect(smtp.received).toHaveLength(mails + 1);
    expect(smtp.received[mails].data).toContain('Subject: [Seamless Ops] [INFO] Test notification');

    // A receiver that refuses: exit status 1, and the row stays queued for the ingester's worker.
    answers.length = webhook.received.length;
    answers.push(500);
    const failed = await testNotification({ ALERT_WEBHOOK_URL: webhook.url });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^The test notification by webhook to .+ failed: HTTP 500 \(outbox (\d+); the ingester's outbox worker retries it from .+\)\n$/);
    const [queued] = (await outbox()).slice(-1);
    expect(queued).toMatchObject({ kind: 'alert.webhook', status: 'pending', attempts: 1, last_error: 'HTTP 500' });

    const none = await testNotification({});
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toMatch(/no alert channel is configured/);
  });
});
