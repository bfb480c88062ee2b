import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { DataSource } from 'typeorm';
import type { IngesterConfig } from '../config/config';
import { INGESTER_CONFIG } from '../config/config.module';
import type { EventTransaction } from '../events/event-store';
import { describeTarget, postNotification, type DeliveryResult } from '../notifications/notification-delivery';
import { DELIVERY_HEADER } from '../notifications/notification-signature';
import { NotificationsService, type OutboxDelivery, type OutboxSender } from '../notifications/notifications.service';
import { addAlertEvent } from './alert-lifecycle';
import { ALERT_EMAIL, ALERT_WEBHOOK, alertEmail, alertMessage, enqueueAlertNotifications, type AlertOutboxPayload } from './alert-notifications';
import type { AlertEmailConfig } from './alerts.config';

/** A webhook or SMTP exchange that takes longer counts as a failed attempt (retried by the outbox worker). */
export const ALERT_DELIVERY_TIMEOUT_MS = 10_000;

/** What became of one channel's test notification after its first attempt. */
export interface TestDelivery {
  outboxId: string;
  channel: 'webhook' | 'email';
  /** The webhook URL without credentials or query, or the e-mail recipients. */
  target: string;
  delivered: boolean;
  error: string | null;
  /** When the outbox worker tries again (a running ingester does); null when delivered or given up. */
  nextAttemptAt: Date | null;
}

/**
 * Sends alert notifications for the outbox worker (src/notifications), which claims the rows, retries with
 * backoff and records every attempt: `alert.webhook` as a JSON POST to the row's target (ALERT_WEBHOOK_URL when it
 * was queued), `alert.email` over SMTP (the server of ALERT_SMTP_URL at sending time; the recipients are the row's
 * target). A delivered notification, or one given up on, is written to the alert's history (`notified`).
 */
@Injectable()
export class AlertNotifier implements OnModuleInit {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly dataSource: DataSource,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {}

  onModuleInit(): void {
    this.notifications.registerSender(ALERT_WEBHOOK, this.sender((d) => this.sendWebhook(d), 'webhook'));
    this.notifications.registerSender(ALERT_EMAIL, this.sender((d) => this.sendEmail(d), 'email'));
  }

  /**
   * The test notification: queued exactly like an alert's (same message, same outbox kinds, same sender), then
   * the worker is asked to deliver those rows now. A failed first attempt stays queued for the ingester's outbox
   * worker, which retries it on its schedule.
   */
  async sendTest(now: Date = new Date()): Promise<TestDelivery[]> {
    const alerts = this.config.alerts;
    if (!alerts.webhookUrl && !alerts.email) throw new Error('no alert channel is configured: set ALERT_WEBHOOK_URL and/or ALERT_SMTP_URL with ALERT_EMAIL_TO');
    const message = alertMessage(
      {
        id: null,
        rule: 'test',
        scope: 'global',
        shopId: null,
        paymentType: null,
        severity: 'info',
        status: 'open',
        summary: 'alert notifications reach this channel',
        detail: { sentAt: now.toISOString() },
        openedAt: now,
        resolvedAt: null,
      },
      'alert.test',
      this.config.http.publicBaseUrl,
    );
    const outboxIds = await this.dataSource.transaction((manager) => enqueueAlertNotifications({ query: (sql, p) => manager.query(sql, p) }, alerts, message));
    // The rows are due from the database's clock at their insert: attempt them at that clock or later.
    const [{ dbNow }] = await this.dataSource.query<{ dbNow: Date }[]>('SELECT clock_timestamp() AS "dbNow"');
    await this.notifications.processDue(new Date(Math.max(now.getTime(), new Date(dbNow).getTime())), { ids: outboxIds });
    const rows: { id: string; kind: string; target: string; status: string; last_error: string | null; next_attempt_at: Date }[] = await this.dataSource.query(
      `SELECT id::text AS id, kind, target, status, last_error, next_attempt_at FROM outbox WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [outboxIds],
    );
    return rows.map((r) => ({
      outboxId: r.id,
      channel: r.kind === ALERT_EMAIL ? 'email' : 'webhook',
      target: r.kind === ALERT_EMAIL ? r.target.replace(/^mailto:/, '') : describeTarget(r.target),
      delivered: r.status === 'sent',
      error: r.last_error,
      nextAttemptAt: r.status === 'pending' ? new Date(r.next_attempt_at) : null,
    }));
  }

  private sender(send: (delivery: OutboxDelivery) => Promise<DeliveryResult>, channel: 'webhook' | 'email'): OutboxSender {
    return {
      send,
      recorded: async (tx: EventTransaction, delivery, outcome) => {
        const payload = delivery.payload as unknown as AlertOutboxPayload;
        if (!payload.alertId || (!outcome.ok && !outcome.final)) return; // retries are the outbox's business
        await addAlertEvent(tx, payload.alertId, 'notified', outcome.at, null, {
          channel,
          event: payload.message?.event ?? null,
          ok: outcome.ok,
          attempt: delivery.attempt,
          outboxId: delivery.id,
          ...(outcome.ok ? {} : { error: outcome.error }),
        });
      },
    };
  }

  private async sendWebhook(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const { message } = delivery.payload as unknown as AlertOutboxPayload;
    return postNotification(
      delivery.target,
      Buffer.from(JSON.stringify(message), 'utf8'),
      { [DELIVERY_HEADER]: delivery.id, 'X-Seamless-Attempt': String(delivery.attempt), 'User-Agent': 'seamless-ops-alerts/1' },
      ALERT_DELIVERY_TIMEOUT_MS,
    );
  }

  private async sendEmail(delivery: OutboxDelivery): Promise<DeliveryResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    const email = this.config.alerts.email;
    if (!email) return { ok: false, status: null, error: 'ALERT_SMTP_URL is not configured', durationMs: 0 };
    const { message } = delivery.payload as unknown as AlertOutboxPayload;
    const { subject, text } = alertEmail(message);
    const to = delivery.target.replace(/^mailto:/, '').split(',').filter(Boolean);
    const transport = createTransport(smtpOptions(email));
    try {
      await transport.sendMail({ from: email.from, to, subject, text, headers: { [DELIVERY_HEADER]: delivery.id } });
      return { ok: true, status: null, error: null, durationMs: elapsed() };
    } catch (error) {
      return { ok: false, status: null, error: describeSmtpError(error), durationMs: elapsed() };
    } finally {
      transport.close();
    }
  }
}

/** nodemailer's options for ALERT_SMTP_URL: smtps:// is TLS from the start; smtp:// upgrades with STARTTLS when offered. */
export function smtpOptions(email: AlertEmailConfig): Parameters<typeof createTransport>[0] {
  const url = new URL(email.smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: ALERT_DELIVERY_TIMEOUT_MS,
    greetingTimeout: ALERT_DELIVERY_TIMEOUT_MS,
    socketTimeout: ALERT_DELIVERY_TIMEOUT_MS,
  };
}

/** The SMTP failure without credentials: the server's code and answer, or the network error. */
function describeSmtpError(error: unknown): string {
  const e = error as { responseCode?: unknown; response?: unknown; code?: unknown; message?: unknown };
  if (typeof e.responseCode === 'number') return `SMTP ${e.responseCode}: ${String(e.response ?? '').slice(0, 200)}`;
  const code = typeof e.code === 'string' ? `${e.code}: ` : '';
  return `SMTP error ${code}${String(e.message ?? error).replace(/\/\/[^@\s]*@/g, '//***@').slice(0, 200)}`;
}
