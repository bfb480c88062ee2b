import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Failed logins inside the throttling window (auth/login-throttle.ts): counted per account and address and per
 * address over a sliding window, and pruned once older than it. The audit log keeps the history.
 */
@Entity('login_failures')
@Index('login_failures_email_idx', ['email', 'attemptedAt'])
@Index('login_failures_ip_idx', ['ip', 'attemptedAt'])
@Index('login_failures_attempted_idx', ['attemptedAt'])
export class LoginFailure {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'login_failures_pkey' })
  id!: string;

  @Column({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt!: Date;

  /** As typed, normalised (trimmed, lower-cased), whether or not such an operator exists. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'inet', nullable: true })
  ip!: string | null;
}
