import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { SESSION_END_REASONS, type SessionEndReason } from '../../auth/session-end-reasons';
import { sqlIn } from '../enums';
import { Operator } from './operator.entity';

/**
 * A logged-in browser. The cookie carries a random 32-byte token; only its SHA-256 is stored, so a copy of
 * this table opens no session. The CSRF token is derived from the token (never stored either).
 */
@Entity('sessions')
@Unique('sessions_token_hash_key', ['tokenHash'])
@Check('sessions_ended_reason_check', sqlIn('ended_reason', SESSION_END_REASONS))
@Check('sessions_ended_check', '("ended_at" IS NULL) = ("ended_reason" IS NULL)')
@Index('sessions_operator_idx', ['operatorId'])
export class OperatorSession {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'sessions_pkey' })
  id!: string;

  @Column({ name: 'operator_id', type: 'uuid' })
  operatorId!: string;

  @ManyToOne(() => Operator, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id', foreignKeyConstraintName: 'sessions_operator_id_fkey' })
  operator?: Operator;

  /** sha256(token) */
  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Updated at most once a minute; the idle timeout counts from it. */
  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** The absolute end, fixed at login. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'ended_reason', type: 'text', nullable: true })
  endedReason!: SessionEndReason | null;

  @Column({ type: 'inet', nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent!: string | null;
}
