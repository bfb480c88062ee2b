import type { AlertEventKind, AlertItem, AlertStatus } from '@seamless-ops/contracts';
import { ALERT_COLUMNS, type AlertRow } from '../../alerts/alert-lifecycle';
import type { Cursor, ListRange } from '../ops-query';
import { Conditions, iso, isoRequired, sortKey, type Sql } from '../ops-sql';

// The alerts tables for the operator API. Shop scope: an operator restricted to some shops sees the alerts of
// those shops and the global ones (shop_id null); a shop filter works the same way.

export interface AlertFilter {
  scope: string[] | null;
  /** Alerts live at some time in [from, to): opened before `to`, not resolved before `from`. */
  range: ListRange;
  status?: AlertStatus;
  /** Alerts of this payment type, and those that concern a whole shop or everything (no payment type). */
  paymentType?: string;
}

function alertScope(c: Conditions, scope: string[] | null): Conditions {
  if (scope !== null) c.add(`(a.shop_id IS NULL OR a.shop_id = ANY(${c.param(scope)}::text[]))`);
  return c;
}

/** Newest opened first by (opened_at, id); `limit + 1` rows. */
export function listAlerts(sql: Sql, f: AlertFilter & { cursor?: Cursor; limit: number }): Promise<(AlertRow & { sortAt: string })[]> {
  const c = alertScope(new Conditions(), f.scope);
  // An alert opened last week and still open belongs to today's list: overlap, not opened-within.
  if (f.range.to) c.add(`a.opened_at < ${c.param(f.range.to)}::timestamptz`);
  if (f.range.from) c.add(`(a.resolved_at IS NULL OR a.resolved_at >= ${c.param(f.range.from)}::timestamptz)`);
  if (f.status) c.add(`a.status = ${c.param(f.status)}`);
  if (f.paymentType) c.add(`(a.payment_type IS NULL OR a.payment_type = ${c.param(f.paymentType)})`);
  c.after('a.opened_at', 'a.id', f.cursor, 'desc', 'bigint');
  return sql.query(
    `SELECT ${ALERT_COLUMNS}, ${sortKey('a.opened_at')} AS "sortAt"
       FROM alerts a ${c.where}
      ORDER BY a.opened_at DESC, a.id DESC
      LIMIT ${c.param(f.limit + 1)}`,
    c.params,
  );
}

export async function findAlert(sql: Sql, id: string): Promise<AlertRow | undefined> {
  const [row] = await sql.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1`, [id]);
  return row;
}

export interface AlertEventRow {
  id: string;
  occurred_at: Date;
  kind: AlertEventKind;
  actor: string | null;
  detail: Record<string, unknown>;
}

/** An alert's history in the order it was written (ids; the runner's clock and the database's may differ in tests). */
export function alertHistory(sql: Sql, alertId: string): Promise<AlertEventRow[]> {
  return sql.query(`SELECT id::text AS id, occurred_at, kind, actor, detail FROM alert_events WHERE alert_id = $1 ORDER BY id`, [alertId]);
}

/** Open plus acknowledged alerts within the scope (the overview's `openAlerts`). */
export async function countLiveAlerts(sql: Sql, scope: string[] | null): Promise<number> {
  const c = alertScope(new Conditions(), scope).add(`a.status <> 'resolved'`);
  const [row] = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM alerts a ${c.where}`, c.params);
  return Number(row?.n ?? 0);
}

/** Live alerts per rule and status within the scope. */
export function liveAlertsByRule(sql: Sql, scope: string[] | null): Promise<{ rule: string; status: AlertStatus; n: string }[]> {
  const c = alertScope(new Conditions(), scope).add(`a.status <> 'resolved'`);
  return sql.query(`SELECT a.rule, a.status, count(*) AS n FROM alerts a ${c.where} GROUP BY a.rule, a.status`, c.params);
}

export interface RuleRunRow {
  rule: string;
  tick_at: Date;
  started_at: Date;
  duration_ms: number;
  result: 'ok' | 'error';
  findings: number;
  alerts_opened: number;
  alerts_resolved: number;
  message: string | null;
}

/** The latest run of each rule (alert_rule_runs_rule_tick_idx). */
export function lastRuleRuns(sql: Sql): Promise<RuleRunRow[]> {
  return sql.query(
    `SELECT DISTINCT ON (rule) rule, tick_at, started_at, duration_ms, result, findings, alerts_opened, alerts_resolved, message
       FROM alert_rule_runs
      ORDER BY rule, tick_at DESC`,
  );
}

export function toAlertItem(row: AlertRow): AlertItem {
  return {
    id: row.id,
    rule: row.rule,
    scope: row.scope,
    severity: row.severity,
    status: row.status,
    summary: row.summary,
    openedAt: isoRequired(row.opened_at),
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    resolvedAt: iso(row.resolved_at),
    shopId: row.shop_id,
    paymentType: row.payment_type,
    detail: row.detail ?? {},
    lastSeenAt: isoRequired(row.last_seen_at),
    ackComment: row.ack_comment,
  };
}
