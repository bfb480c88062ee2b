import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ALERT_STATUSES,
  type AlertDetailResponse,
  type AlertItem,
  type AlertRuleItem,
  type AlertRulesResponse,
  type Page,
} from '@seamless-ops/contracts';
import { AuditService } from '../../audit/audit.service';
import { canSeeShop, shopScope, type AuthenticatedOperator } from '../../auth/operator-access';
import type { IngesterConfig } from '../../config/config';
import { INGESTER_CONFIG } from '../../config/config.module';
import { addAlertEvent, ALERT_COLUMNS, type AlertRow } from '../../alerts/alert-lifecycle';
import { ALERT_RULES } from '../../alerts/alert-rules';
import { settingEnvName } from '../../alerts/alerts.config';
import { BIGINT_PATTERN, notFound, opsError, QueryReader, type RawQuery } from '../ops-query';
import { count, isoRequired, toPage, type Sql } from '../ops-sql';
import { OutOfScope } from '../out-of-scope';
import { alertHistory, findAlert, lastRuleRuns, listAlerts, liveAlertsByRule, toAlertItem } from './alerts.queries';

const LIST_PARAMETERS = ['status', 'from', 'to', 'shopId', 'paymentType', 'cursor', 'limit'] as const;
const MAX_COMMENT_LENGTH = 1000;

/**
 * `GET /api/ops/alerts`, `GET /api/ops/alerts/rules`, `GET /api/ops/alerts/:id` and `POST /api/ops/alerts/:id/ack`
 * over the tables the alert runner (src/alerts) fills. An operator restricted to shops sees their shops' alerts
 * and the global ones; an alert of another shop by id is a 404 (audited, like a payment of another shop).
 */
@Injectable()
export class AlertsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {}

  async list(operator: AuthenticatedOperator, query: RawQuery): Promise<Page<AlertItem>> {
    const r = new QueryReader(query, LIST_PARAMETERS);
    const status = r.oneOf('status', ALERT_STATUSES);
    const range = r.listRange();
    const shopId = r.shopId();
    const paymentType = r.paymentType();
    const cursor = r.cursor('alerts', BIGINT_PATTERN);
    const limit = r.limit();
    r.done();
    const scope = shopScope(operator, shopId);
    const rows = await listAlerts(this.dataSource, { scope, range, status, paymentType, cursor, limit });
    return toPage('alerts', rows, limit, (row) => row.id, toAlertItem);
  }

  async detail(operator: AuthenticatedOperator, alertId: string): Promise<AlertDetailResponse> {
    const alert = await this.visibleAlert(this.dataSource, operator, alertId);
    const history = await alertHistory(this.dataSource, alert.id);
    return {
      ...toAlertItem(alert),
      history: history.map((e) => ({ id: e.id, occurredAt: isoRequired(e.occurred_at), kind: e.kind, actor: e.actor, detail: e.detail ?? {} })),
    };
  }

  /** open → acknowledged, with the operator and comment on the alert, in its history and in the audit log. */
  async acknowledge(operator: AuthenticatedOperator, alertId: string, body: unknown = {}, ip: string | null = null): Promise<AlertItem> {
    const comment = readComment(body);
    return this.dataSource.transaction(async (manager) => {
      const sql: Sql = { query: (text, parameters) => manager.query(text, parameters) };
      const alert = await this.visibleAlert(sql, operator, alertId, true);
      if (alert.status === 'resolved') throw opsError(409, 'alert is already resolved');
      if (alert.status === 'acknowledged') throw opsError(409, `alert is already acknowledged by ${alert.acknowledged_by ?? 'someone'}`);
      await manager.query(`UPDATE alerts SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2, ack_comment = $3 WHERE id = $1`, [
        alert.id,
        operator.email,
        comment,
      ]);
      await addAlertEvent(sql, alert.id, 'acknowledged', null, operator.email, { comment, operatorId: operator.id });
      await this.audit.record(
        { action: 'alert_acknowledged', operator, target: `alert:${alert.id}`, ip, detail: { rule: alert.rule, scope: alert.scope, severity: alert.severity, comment } },
        manager,
      );
      const updated = (await findAlert(sql, alert.id)) as AlertRow;
      return toAlertItem(updated);
    });
  }

  /** Every rule with its settings, its latest run and its live alerts (within the operator's scope). */
  async rules(operator: AuthenticatedOperator): Promise<AlertRulesResponse> {
    const scope = shopScope(operator, undefined);
    const [runs, live] = await Promise.all([lastRuleRuns(this.dataSource), liveAlertsByRule(this.dataSource, scope)]);
    const alerts = this.config.alerts;
    const rules: AlertRuleItem[] = ALERT_RULES.map((rule) => {
      const configured = alerts.rules[rule.id];
      const run = runs.find((r) => r.rule === rule.id);
      const liveCount = (status: string): number => count(live.find((l) => l.rule === rule.id && l.status === status)?.n);
      return {
        rule: rule.id,
        title: rule.title,
        description: rule.description,
        enabled: configured?.enabled ?? false,
        severity: configured?.severity ?? rule.severity,
        settings: Object.entries(rule.settings).map(([key, spec]) => ({
          key,
          value: configured?.settings[key] ?? spec.default,
          default: spec.default,
          unit: spec.unit,
          env: settingEnvName(rule.id, key),
          description: spec.description,
        })),
        lastRun: run
          ? {
              tickAt: isoRequired(run.tick_at),
              startedAt: isoRequired(run.started_at),
              durationMs: run.duration_ms,
              result: run.result,
              findings: run.findings,
              alertsOpened: run.alerts_opened,
              alertsResolved: run.alerts_resolved,
              message: run.message,
            }
          : null,
        live: { open: liveCount('open'), acknowledged: liveCount('acknowledged') },
      };
    });
    return {
      intervalSeconds: alerts.intervalMs / 1000,
      scheduled: this.config.jobs.enabled,
      notifications: { webhook: Boolean(alerts.webhookUrl), email: Boolean(alerts.email) },
      rules,
    };
  }

  /** The alert by id, if the operator may see it: unknown ids are 404, other shops' alerts an audited 404. */
  private async visibleAlert(sql: Sql, operator: AuthenticatedOperator, alertId: string, forUpdate = false): Promise<AlertRow> {
    if (!BIGINT_PATTERN.test(alertId)) throw notFound('alert');
    const [alert] = await sql.query<AlertRow>(`SELECT ${ALERT_COLUMNS} FROM alerts WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [alertId]);
    if (!alert) throw notFound('alert');
    if (alert.shop_id !== null && !canSeeShop(operator, alert.shop_id)) throw new OutOfScope('alert', alert.shop_id);
    return alert;
  }
}

/** `{ comment?: string }` (AcknowledgeAlertRequest): anything else is a 400. An empty comment is none. */
function readComment(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  if (typeof body !== 'object' || Array.isArray(body)) throw opsError(400, 'the body must be a JSON object: { "comment": "…" }');
  const problems: string[] = [];
  for (const key of Object.keys(body)) if (key !== 'comment') problems.push(`unknown field "${key}"`);
  const raw = (body as { comment?: unknown }).comment;
  if (raw !== undefined && raw !== null && typeof raw !== 'string') problems.push('comment must be a string');
  const comment = typeof raw === 'string' ? raw.trim() : '';
  if (comment.length > MAX_COMMENT_LENGTH) problems.push(`comment must be at most ${MAX_COMMENT_LENGTH} characters`);
  if (problems.length) throw opsError(400, problems.length === 1 ? problems[0] : `the body has ${problems.length} problems`, problems);
  return comment || null;
}
