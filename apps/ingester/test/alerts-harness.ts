import type { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { expect } from 'vitest';
import type { PaymentState } from '@seamless-ops/contracts';
import { AlertRunner } from '../src/alerts/alert-runner';
import { ALERT_RULES, type AlertRuleDefinition } from '../src/alerts/alert-rules';
import { loadAlertsConfig, type AlertsConfig } from '../src/alerts/alerts.config';
import type { IngesterConfig } from '../src/config/config';
import { INGESTER_CONFIG } from '../src/config/config.module';
import { EventStore } from '../src/events/event-store';
import { ALPHA, cardPayment, storeCard, type CheckoutHarness } from './checkout-harness';
import { waitForState } from './ops-fixtures';

// Helpers of the alerting tests: a runner of their own with chosen rule settings (as another replica with
// another configuration would have), time arithmetic, and payments through the real checkout path.

/** The alerting configuration from an environment (as loadConfig reads it); fails on any problem. */
export function alertsConfig(env: Record<string, string> = {}, rules: readonly AlertRuleDefinition[] = ALERT_RULES): AlertsConfig {
  const problems: string[] = [];
  const config = loadAlertsConfig(env, problems, rules);
  if (problems.length) throw new Error(problems.join('; '));
  return config;
}

/** Environment that switches every rule off but `rules`, plus `settings` (ALERT_… variables). */
export function onlyRules(rules: string[], settings: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...settings };
  for (const rule of ALERT_RULES) if (!rules.includes(rule.id)) env[`ALERT_${rule.id.toUpperCase()}_ENABLED`] = 'off';
  return env;
}

/** A runner on the app's database with the app's configuration but these alerting settings (jobs off). */
export function alertRunner(app: INestApplication, env: Record<string, string> = {}, rules?: readonly AlertRuleDefinition[]): AlertRunner {
  const base = app.get<IngesterConfig>(INGESTER_CONFIG);
  const own = alertsConfig(env, rules);
  const alerts = { ...own, webhookUrl: own.webhookUrl ?? base.alerts.webhookUrl, email: own.email ?? base.alerts.email };
  return new AlertRunner(app.get(EventStore), app.get(SchedulerRegistry), { ...base, jobs: { enabled: false }, alerts }, rules);
}

export const minutesAfter = (base: Date, minutes: number): Date => new Date(base.getTime() + minutes * 60_000);

export interface AlertDbRow {
  id: string;
  rule: string;
  scope: string;
  shop_id: string | null;
  payment_type: string | null;
  severity: string;
  status: string;
  summary: string;
  detail: Record<string, unknown>;
  opened_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
}

type SqlRunner = { sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]> };

/** Every alert of a rule (all rules when omitted), oldest first. */
export function alertsOf(h: SqlRunner, rule?: string): Promise<AlertDbRow[]> {
  return h.sql<AlertDbRow>(
    `SELECT id::text AS id, rule, scope, shop_id, payment_type, severity, status, summary, detail, opened_at, last_seen_at, resolved_at
       FROM alerts WHERE ($1::text IS NULL OR rule = $1) ORDER BY id`,
    [rule ?? null],
  );
}

/** An alert's history as `kind` strings, oldest first. */
export async function historyOf(h: SqlRunner, alertId: string): Promise<string[]> {
  const rows = await h.sql<{ kind: string }>(`SELECT kind FROM alert_events WHERE alert_id = $1 ORDER BY id`, [alertId]);
  return rows.map((r) => r.kind);
}

export interface Initiated {
  paymentId: string;
  storageId: string;
  orderIdent: string;
  /** The simulator's session of the payment page. */
  sid: string;
}

/** Storage, card stored at the gateway, storage read, payment init — the consumer is now on the payment page. */
export async function initiatePayment(h: CheckoutHarness, options: { shop?: { id: string; apiKey: string }; amount?: string } = {}): Promise<Initiated> {
  const shop = options.shop ?? ALPHA;
  const storage = await h.call('POST', '/api/checkout/storages', { body: {}, key: shop.apiKey });
  expect(storage.status).toBe(201);
  const storageId = storage.body['storageId'] as string;
  await storeCard(h.sim, storageId);
  expect((await h.call('GET', `/api/checkout/storages/${storageId}`, { key: shop.apiKey })).status).toBe(200);
  const init = await h.call('POST', '/api/checkout/payments', { body: cardPayment(storageId, options.amount ? { amount: options.amount } : {}), key: shop.apiKey });
  expect(init.status, init.text).toBe(201);
  const sid = new URL(init.body['redirectUrl'] as string).searchParams.get('SID') as string;
  return { paymentId: init.body['paymentId'] as string, storageId, orderIdent: storage.body['orderIdent'] as string, sid };
}

/** The consumer picks `outcome` on the payment page; waits for the state the confirmation sets. */
export async function completePayment(h: CheckoutHarness, payment: Initiated, outcome: 'SUCCESS' | 'FAILURE' | 'CANCEL', state: PaymentState = outcome): Promise<{ orderNumber: string | null; location: string }> {
  const completion = await h.sim.completePayment(payment.sid, outcome);
  await waitForState(h, payment.paymentId, state);
  return { orderNumber: completion.orderNumber, location: completion.location };
}
