import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AUDIT_ACTIONS, type AuditAction } from '../../audit/audit-actions';
import { sqlIn } from '../enums';

/**
 * Append-only record of who did what (AuditService.record). No foreign key to operators: the log outlives
 * whatever it mentions, and `email` keeps the name that was used, also for unknown accounts.
 */
@Entity('audit_log')
@Check('audit_log_action_check', sqlIn('action', AUDIT_ACTIONS))
@Index('audit_log_occurred_idx', ['occurredAt'])
@Index('audit_log_operator_idx', ['operatorId', 'occurredAt'])
@Index('audit_log_action_idx', ['action', 'occurredAt'])
export class AuditLogEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'audit_log_pkey' })
  id!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  @Column({ name: 'operator_id', type: 'uuid', nullable: true })
  operatorId!: string | null;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text' })
  action!: AuditAction;

  /** What the action was about, e.g. `GET /api/ops/payments/…`, `alert:42`, `operator:a@b.c`. */
  @Column({ type: 'text', nullable: true })
  target!: string | null;

  @Column({ type: 'inet', nullable: true })
  ip!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;
}
