import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { sqlIn } from '../enums';

export const ALERT_RULE_RUN_RESULTS = ['ok', 'error'] as const;
export type AlertRuleRunResult = (typeof ALERT_RULE_RUN_RESULTS)[number];

/**
 * One evaluation of one rule by the alert runner (src/alerts). A tick runs each enabled rule once across all
 * replicas: (tick_at, rule) is unique, and a runner that finds rows of its tick does nothing. The last
 * ALERT_RUNS_KEPT rows per rule are kept.
 */
@Entity('alert_rule_runs')
@Check('alert_rule_runs_result_check', sqlIn('result', ALERT_RULE_RUN_RESULTS))
@Check('alert_rule_runs_counts_check', '"duration_ms" >= 0 AND "findings" >= 0 AND "alerts_opened" >= 0 AND "alerts_resolved" >= 0')
@Index('alert_rule_runs_tick_rule_key', ['tickAt', 'rule'], { unique: true })
@Index('alert_rule_runs_rule_tick_idx', ['rule', 'tickAt'])
export class AlertRuleRun {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'alert_rule_runs_pkey' })
  id!: string;

  @Column({ type: 'text' })
  rule!: string;

  /** Start of the interval the tick belongs to (the evaluated instant rounded down to the interval). */
  @Column({ name: 'tick_at', type: 'timestamptz' })
  tickAt!: Date;

  /** Wall-clock start of the evaluation. */
  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @Column({ type: 'text' })
  result!: AlertRuleRunResult;

  /** Scopes for which the condition held. */
  @Column({ type: 'integer', default: 0 })
  findings!: number;

  @Column({ name: 'alerts_opened', type: 'integer', default: 0 })
  alertsOpened!: number;

  @Column({ name: 'alerts_resolved', type: 'integer', default: 0 })
  alertsResolved!: number;

  /** The error of a failed run. */
  @Column({ type: 'text', nullable: true })
  message!: string | null;
}
