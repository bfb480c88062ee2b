import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { EventStore, type EventTransaction } from '../events/event-store';
import { applyFindings, type Notify } from './alert-lifecycle';
import { alertMessage, enqueueAlertNotifications } from './alert-notifications';
import { ALERT_RULES, type AlertRuleDefinition } from './alert-rules';
import type { AlertRuleConfig } from './alerts.config';

/** pg_try_advisory_xact_lock key of the alert runner (the storage sweeper has 7_405_338_201). */
export const ALERT_RUNNER_LOCK_KEY = 7_405_338_501;

/** Injection token of the rules the runner evaluates (ALERT_RULES unless a test provides others). */
export const ALERT_RULE_DEFINITIONS = Symbol('ALERT_RULE_DEFINITIONS');

/** No statement of a tick may take longer (a rule's query stuck on a lock fails that rule, not the runner). */
const STATEMENT_TIMEOUT_MS = 30_000;

export interface RuleRunOutcome {
  rule: string;
  result: 'ok' | 'error';
  durationMs: number;
  findings: number;
  opened: number;
  resolved: number;
  message: string | null;
}

export interface TickResult {
  /** Start of the interval `now` falls in: the tick's identity across replicas. */
  tickAt: Date;
  /** False when this call did nothing: another runner holds the lock, or this tick has run already. */
  ran: boolean;
  skipped?: 'locked' | 'already-ran';
  rules: RuleRunOutcome[];
  /** Live alerts of rules that are switched off, resolved by this tick. */
  resolvedOfDisabledRules: number;
}

/**
 * Runs the alert rules every ALERTS_INTERVAL_SECONDS when background jobs are on. A tick is one transaction
 * under `pg_try_advisory_xact_lock`: a replica that does not get the lock skips the tick, and one that gets it
 * after another replica has finished the same tick (same tick_at in alert_rule_runs) does nothing either — so
 * however many replicas run, each tick evaluates each rule once. Each rule runs in a savepoint and is timed and
 * recorded in alert_rule_runs; a failing rule is recorded as an error and the others go on. Alerts and their
 * notifications (outbox) commit with the tick. Skipped ticks are recorded nowhere.
 */
@Injectable()
export class AlertRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  static readonly JOB = 'alerts.runner';
  private readonly logger = new Logger('Alerts');
  private running: Promise<unknown> | undefined;
  private readonly rules: readonly AlertRuleDefinition[];

  constructor(
    private readonly events: EventStore,
    private readonly scheduler: SchedulerRegistry,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
    @Optional() @Inject(ALERT_RULE_DEFINITIONS) rules?: readonly AlertRuleDefinition[],
  ) {
    this.rules = rules ?? ALERT_RULES;
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobs.enabled) return;
    this.scheduler.addInterval(AlertRunner.JOB, setInterval(() => this.tick(), this.config.alerts.intervalMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.scheduler.doesExist('interval', AlertRunner.JOB)) this.scheduler.deleteInterval(AlertRunner.JOB);
    await this.running;
  }

  /** One scheduled tick; skipped while the previous one still runs. Never throws. */
  private tick(): void {
    if (this.running) return;
    this.running = this.runOnce()
      .catch((error: unknown) => this.logger.error(`Alert tick failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => (this.running = undefined));
  }

  /** Runs the tick that `now` falls in, unless another runner holds it or has run it. Tests pass `now`. */
  async runOnce(now: Date = new Date()): Promise<TickResult> {
    const interval = this.config.alerts.intervalMs;
    const tickAt = new Date(Math.floor(now.getTime() / interval) * interval);
    const result = await this.events.transaction(async (tx): Promise<TickResult> => {
      const [lock] = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [ALERT_RUNNER_LOCK_KEY]);
      if (!lock?.locked) return { tickAt, ran: false, skipped: 'locked', rules: [], resolvedOfDisabledRules: 0 };
      const done = await tx.query('SELECT 1 FROM alert_rule_runs WHERE tick_at = $1 LIMIT 1', [tickAt]);
      if (done.length) return { tickAt, ran: false, skipped: 'already-ran', rules: [], resolvedOfDisabledRules: 0 };
      await tx.query(`SELECT set_config('statement_timeout', $1, true)`, [String(STATEMENT_TIMEOUT_MS)]);

      const notify: Notify = async (alert, event) => {
        await enqueueAlertNotifications(tx, this.config.alerts, alertMessage(alert, event, this.config.http.publicBaseUrl));
      };
      const outcomes: RuleRunOutcome[] = [];
      const enabled: string[] = [];
      for (const rule of this.rules) {
        const settings = this.config.alerts.rules[rule.id];
        if (!settings?.enabled) continue;
        enabled.push(rule.id);
        outcomes.push(await this.runRule(tx, rule, settings, now, tickAt, notify));
      }
      const resolvedOfDisabledRules = await this.resolveSwitchedOff(tx, enabled, now, notify);
      return { tickAt, ran: true, rules: outcomes, resolvedOfDisabledRules };
    });
    if (result.ran) this.report(result);
    return result;
  }

  private async runRule(tx: EventTransaction, rule: AlertRuleDefinition, settings: AlertRuleConfig, now: Date, tickAt: Date, notify: Notify): Promise<RuleRunOutcome> {
    const startedAt = new Date();
    const started = performance.now();
    const outcome: RuleRunOutcome = { rule: rule.id, result: 'ok', durationMs: 0, findings: 0, opened: 0, resolved: 0, message: null };
    await tx.query('SAVEPOINT alert_rule');
    try {
      const findings = await rule.evaluate({ sql: tx, now, settings: settings.settings });
      const applied = await applyFindings(tx, { rule: rule.id, severity: settings.severity, findings, now, notify });
      await tx.query('RELEASE SAVEPOINT alert_rule');
      Object.assign(outcome, { findings: new Set(findings.map((f) => f.scope)).size, opened: applied.opened, resolved: applied.resolved });
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT alert_rule');
      outcome.result = 'error';
      outcome.message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    }
    outcome.durationMs = Math.max(0, Math.round(performance.now() - started));
    await tx.query(
      `INSERT INTO alert_rule_runs (rule, tick_at, started_at, duration_ms, result, findings, alerts_opened, alerts_resolved, message)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [rule.id, tickAt, startedAt, outcome.durationMs, outcome.result, outcome.findings, outcome.opened, outcome.resolved, outcome.message],
    );
    // Keep the newest ALERT_RUNS_KEPT runs of the rule (by the unique (rule, tick) order).
    await tx.query(
      `DELETE FROM alert_rule_runs
        WHERE rule = $1 AND tick_at <= (SELECT tick_at FROM alert_rule_runs WHERE rule = $1 ORDER BY tick_at DESC OFFSET $2 LIMIT 1)`,
      [rule.id, this.config.alerts.runsKept],
    );
    return outcome;
  }

  /** Live alerts of a rule that is switched off (or no longer exists) would never clear: resolve them. */
  private async resolveSwitchedOff(tx: EventTransaction, enabled: string[], now: Date, notify: Notify): Promise<number> {
    const rules = await tx.query<{ rule: string; severity: 'info' | 'warning' | 'critical' }>(
      `SELECT DISTINCT ON (rule) rule, severity FROM alerts WHERE status <> 'resolved' AND NOT (rule = ANY($1::text[])) ORDER BY rule`,
      [enabled],
    );
    let resolved = 0;
    for (const { rule, severity } of rules) {
      resolved += (await applyFindings(tx, { rule, severity, findings: [], now, notify, resolveReason: 'the rule is switched off' })).resolved;
    }
    return resolved;
  }

  private report(result: TickResult): void {
    for (const r of result.rules) {
      if (r.result === 'error') this.logger.error(`Alert rule ${r.rule} failed (${r.durationMs} ms): ${r.message}`);
      else if (r.opened || r.resolved) this.logger.log(`Alert rule ${r.rule}: ${r.opened} opened, ${r.resolved} resolved (${r.durationMs} ms)`);
    }
    if (result.resolvedOfDisabledRules) this.logger.log(`${result.resolvedOfDisabledRules} alert(s) of switched-off rules resolved`);
  }
}
