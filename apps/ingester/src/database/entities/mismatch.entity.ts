import { Check, Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { MISMATCH_KINDS, MISMATCH_STATUSES, sqlIn, type MismatchKind, type MismatchStatus } from '../enums';

/**
 * Projection: one row per detected problem. A payment has at most one row per kind (a recurrence reopens
 * it); rows without a payment (nulls are distinct in a unique constraint) are not limited.
 */
@Entity('mismatches')
@Check('mismatches_kind_check', sqlIn('kind', MISMATCH_KINDS))
@Check('mismatches_status_check', sqlIn('status', MISMATCH_STATUSES))
@Unique('mismatches_payment_kind_key', ['paymentId', 'kind'])
@Index('mismatches_status_detected_idx', ['status', 'detectedAt'])
@Index('mismatches_shop_detected_idx', ['shopId', 'detectedAt'])
/** Operator API: every mismatch (open and resolved), newest first. */
@Index('mismatches_detected_idx', ['detectedAt', 'id'])
export class Mismatch {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'mismatches_pkey' })
  id!: string;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId!: string | null;

  @Column({ name: 'shop_id', type: 'text' })
  shopId!: string;

  @Column({ type: 'text' })
  kind!: MismatchKind;

  /** Shown to operators inline, e.g. "returned to success page, confirmed FAILURE". */
  @Column({ type: 'text' })
  reason!: string;

  /** What differs, e.g. `{ "expected": "10.00 EUR", "confirmed": "1.00 EUR" }`. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;

  @Column({ type: 'text', default: 'open' })
  status!: MismatchStatus;

  @Column({ name: 'detected_at', type: 'timestamptz', default: () => 'now()' })
  detectedAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
