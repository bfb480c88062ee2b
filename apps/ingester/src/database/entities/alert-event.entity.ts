import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ALERT_EVENT_KINDS, type AlertEventKind } from '@seamless-ops/contracts';
import { sqlIn } from '../enums';
import { Alert } from './alert.entity';

/** An alert's history, append-only (in id order): opened, updated (severity or summary changed), acknowledged, resolved, notified. */
@Entity('alert_events')
@Check('alert_events_kind_check', sqlIn('kind', ALERT_EVENT_KINDS))
@Index('alert_events_alert_idx', ['alertId', 'id'])
export class AlertEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'alert_events_pkey' })
  id!: string;

  @Column({ name: 'alert_id', type: 'bigint' })
  alertId!: string;

  @ManyToOne(() => Alert, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'alert_id', foreignKeyConstraintName: 'alert_events_alert_id_fkey' })
  alert?: Alert;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'text' })
  kind!: AlertEventKind;

  /** The operator's e-mail (acknowledged); null for the ingester's own doing. */
  @Column({ type: 'text', nullable: true })
  actor!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;
}
