import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { OUTBOX_STATUSES, sqlIn, type OutboxStatus } from '../enums';

/** Notifications to send (e.g. the signed outcome notification to a shop), written with the event that causes them. */
@Entity('outbox')
@Check('outbox_status_check', sqlIn('status', OUTBOX_STATUSES))
@Check('outbox_attempts_check', '"attempts" >= 0')
@Index('outbox_status_next_attempt_idx', ['status', 'nextAttemptAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'outbox_pkey' })
  id!: string;

  /** What is sent; the notification issue defines the kinds (and may then constrain them). */
  @Column({ type: 'text' })
  kind!: string;

  /** Where it is sent, e.g. the shop's notification URL. */
  @Column({ type: 'text' })
  target!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'text', default: 'pending' })
  status!: OutboxStatus;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
