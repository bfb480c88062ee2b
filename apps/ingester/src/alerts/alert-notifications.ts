import type { AlertSeverity, AlertStatus } from '@seamless-ops/contracts';
import type { EventTransaction } from '../events/event-store';
import type { AlertsConfig } from './alerts.config';

// What an alert notification says, and how it gets into the outbox. The outbox worker (src/notifications)
// sends the rows with its retries and backoff; AlertNotifier (alert-notifier.ts) is its sender for these kinds.

/** Outbox kinds of the alert notifications. */
export const ALERT_WEBHOOK = 'alert.webhook';
export const ALERT_EMAIL = 'alert.email';

export type AlertNotificationEvent = 'alert.opened' | 'alert.resolved' | 'alert.test';

/**
 * The JSON body POSTed to ALERT_WEBHOOK_URL. `text` is what Slack (and Mattermost, Rocket.Chat, Teams' incoming
 * webhooks, …) show; the other fields are for receivers that parse it.
 */
export interface AlertWebhookMessage {
  text: string;
  event: AlertNotificationEvent;
  /** null for a test notification. */
  alertId: string | null;
  rule: string;
  scope: string;
  shopId: string | null;
  paymentType: string | null;
  severity: AlertSeverity;
  status: AlertStatus;
  summary: string;
  detail: Record<string, unknown>;
  openedAt: string;
  resolvedAt: string | null;
  /** The dashboard's Alerts page. */
  link: string;
}

/** An outbox row's payload for both kinds: the message, plus routing keys the receiver never sees. */
export interface AlertOutboxPayload {
  /** Routing key (the outbox worker records it on its notification events); not sent. */
  shopId: string | null;
  alertId: string | null;
  message: AlertWebhookMessage;
}

/** The alert fields a message is made of (an `alerts` row, or the test notification's stand-in). */
export interface AlertFacts {
  id: string | null;
  rule: string;
  scope: string;
  shopId: string | null;
  paymentType: string | null;
  severity: AlertSeverity;
  status: AlertStatus;
  summary: string;
  detail: Record<string, unknown>;
  openedAt: Date;
  resolvedAt: Date | null;
}

export function alertsLink(publicBaseUrl: string): string {
  return `${publicBaseUrl}/alerts`;
}

export function alertMessage(alert: AlertFacts, event: AlertNotificationEvent, publicBaseUrl: string): AlertWebhookMessage {
  const link = alertsLink(publicBaseUrl);
  const head =
    event === 'alert.test'
      ? 'Test notification from Seamless Ops'
      : `${event === 'alert.opened' ? 'Alert opened' : 'Alert resolved'} [${alert.severity}] ${alert.rule} · ${alert.scope}`;
  return {
    text: `${head}: ${alert.summary} <${link}|Alerts>`,
    event,
    alertId: alert.id,
    rule: alert.rule,
    scope: alert.scope,
    shopId: alert.shopId,
    paymentType: alert.paymentType,
    severity: alert.severity,
    status: alert.status,
    summary: alert.summary,
    detail: alert.detail,
    openedAt: alert.openedAt.toISOString(),
    resolvedAt: alert.resolvedAt ? alert.resolvedAt.toISOString() : null,
    link,
  };
}

/** Subject and plain-text body of the e-mail for a message. */
export function alertEmail(message: AlertWebhookMessage): { subject: string; text: string } {
  const what = message.event === 'alert.test' ? 'Test notification' : `${message.event === 'alert.opened' ? 'Opened' : 'Resolved'}: ${message.rule} (${message.scope})`;
  const subject = `[Seamless Ops] [${message.severity.toUpperCase()}] ${what}`;
  const lines = [
    message.summary,
    '',
    `Rule:     ${message.rule}`,
    `Scope:    ${message.scope}`,
    `Severity: ${message.severity}`,
    `Status:   ${message.status}`,
    `Opened:   ${message.openedAt}`,
    ...(message.resolvedAt ? [`Resolved: ${message.resolvedAt}`] : []),
    '',
    ...Object.entries(message.detail).map(([k, v]) => `  ${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`),
    '',
    message.link,
  ];
  return { subject: subject.replace(/[\r\n]+/g, ' ').slice(0, 200), text: `${lines.join('\n')}\n` };
}

/** The outbox target of an e-mail: its recipients (the SMTP server comes from the configuration when sending). */
export function mailtoTarget(to: readonly string[]): string {
  return `mailto:${to.join(',')}`;
}

/**
 * Queues the message for every configured channel in the caller's transaction (sent only if it commits).
 * Returns the outbox ids, webhook first.
 */
export async function enqueueAlertNotifications(tx: Pick<EventTransaction, 'query'>, config: AlertsConfig, message: AlertWebhookMessage): Promise<string[]> {
  const payload: AlertOutboxPayload = { shopId: message.shopId, alertId: message.alertId, message };
  const rows: [string, string][] = [];
  if (config.webhookUrl) rows.push([ALERT_WEBHOOK, config.webhookUrl]);
  if (config.email) rows.push([ALERT_EMAIL, mailtoTarget(config.email.to)]);
  const ids: string[] = [];
  for (const [kind, target] of rows) {
    const [row] = await tx.query<{ id: string }>(`INSERT INTO outbox (kind, target, payload) VALUES ($1, $2, $3) RETURNING id::text AS id`, [kind, target, JSON.stringify(payload)]);
    ids.push(row.id);
  }
  return ids;
}
