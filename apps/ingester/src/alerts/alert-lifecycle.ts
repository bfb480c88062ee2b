import type { AlertEventKind, AlertSeverity, AlertStatus } from '@seamless-ops/contracts';
import type { Sql } from '../ops/ops-sql';
import type { Finding } from './alert-rules';
import type { AlertFacts, AlertNotificationEvent } from './alert-notifications';

// The lifecycle of alerts, as statements on the caller's transaction:
//
//   (no live alert) ──rule reports the scope──► open ──operator acknowledges (comment, audited)──► acknowledged
//        ▲                                       │                                                  │
//        └──── rule reports it again ◄── resolved ◄────────── rule no longer reports the scope ─────┘
//
// One live (open or acknowledged) alert per rule and scope (partial unique index alerts_live_rule_scope_key);
// a re-evaluation that still finds the condition refreshes its figures; history goes to alert_events.

export interface AlertRow {
  id: string;
  rule: string;
  scope: string;
  shop_id: string | null;
  payment_type: string | null;
  severity: AlertSeverity;
  status: AlertStatus;
  summary: string;
  detail: Record<string, unknown>;
  opened_at: Date;
  last_seen_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  ack_comment: string | null;
  resolved_at: Date | null;
}

export const ALERT_COLUMNS = `id::text AS id, rule, scope, shop_id, payment_type, severity, status, summary, detail, opened_at, last_seen_at,
  acknowledged_at, acknowledged_by, ack_comment, resolved_at`;

/**
 * A changed summary (the figures move with every evaluation) is written to the history at most this often; a
 * changed severity always.
 */
export const UPDATE_HISTORY_INTERVAL_MS = 15 * 60_000;

export function factsOf(row: AlertRow): AlertFacts {
  return {
    id: row.id,
    rule: row.rule,
    scope: row.scope,
    shopId: row.shop_id,
    paymentType: row.payment_type,
    severity: row.severity,
    status: row.status,
    summary: row.summary,
    detail: row.detail,
    openedAt: new Date(row.opened_at),
    resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null,
  };
}

export async function addAlertEvent(sql: Sql, alertId: string, kind: AlertEventKind, at: Date | null, actor: string | null, detail: Record<string, unknown>): Promise<void> {
  await sql.query(`INSERT INTO alert_events (alert_id, occurred_at, kind, actor, detail) VALUES ($1, coalesce($2, now()), $3, $4, $5)`, [
    alertId,
    at,
    kind,
    actor,
    JSON.stringify(detail),
  ]);
}

export interface ApplyResult {
  opened: number;
  resolved: number;
}

/** What to do when an alert opens or resolves (queue its notifications, in the same transaction). */
export type Notify = (alert: AlertFacts, event: AlertNotificationEvent) => Promise<void>;

/**
 * Brings the live alerts of `rule` in line with what it found at `now`: a new scope opens an alert, a known one
 * is refreshed, a live alert whose scope was not found is resolved (`reason`, e.g. the rule was switched off).
 */
export async function applyFindings(
  sql: Sql,
  options: { rule: string; severity: AlertSeverity; findings: readonly Finding[]; now: Date; notify: Notify; resolveReason?: string },
): Promise<ApplyResult> {
  const { rule, severity, now, notify } = options;
  const live = await sql.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE rule = $1 AND status <> 'resolved' ORDER BY id FOR UPDATE`, [rule]);
  const liveByScope = new Map(live.map((a) => [a.scope, a]));
  const found = new Set<string>();
  const result: ApplyResult = { opened: 0, resolved: 0 };

  for (const f of options.findings) {
    if (found.has(f.scope)) continue; // a rule reports a scope once; be safe
    found.add(f.scope);
    const existing = liveByScope.get(f.scope);
    if (existing) {
      await sql.query(`UPDATE alerts SET last_seen_at = $2, summary = $3, detail = $4, severity = $5 WHERE id = $1`, [existing.id, now, f.summary, JSON.stringify(f.detail), severity]);
      if (existing.severity !== severity || (existing.summary !== f.summary && (await historyIsStale(sql, existing.id, now)))) {
        await addAlertEvent(sql, existing.id, 'updated', now, null, { summary: f.summary, severity, previousSeverity: existing.severity, detail: f.detail });
      }
      continue;
    }
    const [opened] = await sql.query<AlertRow>(
      `INSERT INTO alerts (rule, scope, shop_id, payment_type, severity, status, summary, detail, opened_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $8)
       ON CONFLICT (rule, scope) WHERE status <> 'resolved' DO NOTHING
       RETURNING ${ALERT_COLUMNS}`,
      [rule, f.scope, f.shopId, f.paymentType, severity, f.summary, JSON.stringify(f.detail), now],
    );
    if (!opened) continue; // opened meanwhile by someone else (cannot happen under the runner's lock)
    await addAlertEvent(sql, opened.id, 'opened', now, null, { summary: f.summary, severity, detail: f.detail });
    await notify(factsOf(opened), 'alert.opened');
    result.opened++;
  }

  for (const alert of live) {
    if (found.has(alert.scope)) continue;
    await sql.query(`UPDATE alerts SET status = 'resolved', resolved_at = $2 WHERE id = $1`, [alert.id, now]);
    const reason = options.resolveReason ?? 'the condition cleared';
    await addAlertEvent(sql, alert.id, 'resolved', now, null, { reason, lastSeenAt: new Date(alert.last_seen_at).toISOString(), wasStatus: alert.status });
    await notify({ ...factsOf(alert), status: 'resolved', resolvedAt: now }, 'alert.resolved');
    result.resolved++;
  }
  return result;
}

async function historyIsStale(sql: Sql, alertId: string, now: Date): Promise<boolean> {
  const [row] = await sql.query<{ latest: Date | null }>(`SELECT max(occurred_at) AS latest FROM alert_events WHERE alert_id = $1 AND kind IN ('opened', 'updated')`, [alertId]);
  return !row?.latest || now.getTime() - new Date(row.latest).getTime() >= UPDATE_HISTORY_INTERVAL_MS;
}
