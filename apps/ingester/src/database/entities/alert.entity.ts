import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ALERT_SEVERITIES, ALERT_STATUSES, type AlertSeverity, type AlertStatus } from '@seamless-ops/contracts';
import { sqlIn } from '../enums';

/**
 * An alert raised by a scheduled rule (src/alerts). While it is open or acknowledged it is the only live alert of
 * its rule and scope (partial unique index); once resolved, a new trip of the same condition opens a new row.
 */
@Entity('alerts')
@Check('alerts_severity_check', sqlIn('severity', ALERT_SEVERITIES))
@Check('alerts_status_check', sqlIn('status', ALERT_STATUSES))
@Check('alerts_resolved_check', `("status" = 'resolved') = ("resolved_at" IS NOT NULL)`)
@Index('alerts_live_rule_scope_key', ['rule', 'scope'], { unique: true, where: `"status" <> 'resolved'` })
/** Operator API: newest opened first, optionally by status. */
@Index('alerts_opened_idx', ['openedAt', 'id'])
@Index('alerts_status_opened_idx', ['status', 'openedAt'])
export class Alert {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'alerts_pkey' })
  id!: string;

  /** The rule's id, e.g. `success_rate_drop`. */
  @Column({ type: 'text' })
  rule!: string;

  /** `shop=demo,paymentType=CCARD`, `shop=demo` or `global`. */
  @Column({ type: 'text' })
  scope!: string;

  /** The scope's shop; null for a global alert. */
  @Column({ name: 'shop_id', type: 'text', nullable: true })
  shopId!: string | null;

  @Column({ name: 'payment_type', type: 'text', nullable: true })
  paymentType!: string | null;

  @Column({ type: 'text' })
  severity!: AlertSeverity;

  @Column({ type: 'text', default: 'open' })
  status!: AlertStatus;

  @Column({ type: 'text' })
  summary!: string;

  /** The figures that tripped the rule, as of its latest evaluation. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  /** The latest evaluation that still found the condition. */
  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  /** E-mail of the operator who acknowledged it (the audit log has the operator's id). */
  @Column({ name: 'acknowledged_by', type: 'text', nullable: true })
  acknowledgedBy!: string | null;

  @Column({ name: 'ack_comment', type: 'text', nullable: true })
  ackComment!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
