import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { GATEWAY_CHECK_OUTCOMES, PAYMENT_STATES, type GatewayCheckOutcome, type PaymentState } from '@seamless-ops/contracts';
import { sqlIn } from '../enums';

/**
 * Where a payment stands with the gateway checks (src/reconciliation, src/janitor): one row per payment ever
 * checked. Each check is also a `reconciliation.checked` event; this row only says what is due next.
 */
@Entity('payment_checks')
@Check('payment_checks_last_outcome_check', sqlIn('last_outcome', GATEWAY_CHECK_OUTCOMES))
@Check('payment_checks_checked_state_check', sqlIn('checked_state', PAYMENT_STATES))
@Check('payment_checks_check_count_check', '"check_count" >= 0')
/** The janitor's due payments. */
@Index('payment_checks_next_check_idx', ['nextCheckAt'])
export class PaymentCheck {
  @PrimaryColumn({ name: 'payment_id', type: 'uuid', primaryKeyConstraintName: 'payment_checks_pkey' })
  paymentId!: string;

  @Column({ name: 'shop_id', type: 'text' })
  shopId!: string;

  /** The last time the gateway was asked (or found impossible to ask), whatever came of it. */
  @Column({ name: 'last_checked_at', type: 'timestamptz', nullable: true })
  lastCheckedAt!: Date | null;

  @Column({ name: 'last_outcome', type: 'text', nullable: true })
  lastOutcome!: GatewayCheckOutcome | null;

  /**
   * Our state when the gateway last gave a usable answer (agrees, disagrees, settled). Gateway reconciliation
   * checks a payment again only once its state differs from this.
   */
  @Column({ name: 'checked_state', type: 'text', nullable: true })
  checkedState!: PaymentState | null;

  /** Janitor: how many times it asked the gateway about this payment. */
  @Column({ name: 'check_count', type: 'integer', default: 0 })
  checkCount!: number;

  /** Janitor: not before this (the backoff schedule, e.g. 5m, 1h, 1d…); null = due once old enough. */
  @Column({ name: 'next_check_at', type: 'timestamptz', nullable: true })
  nextCheckAt!: Date | null;

  /** Set when the gateway cannot resolve the payment (e.g. INITIATED without an orderNumber): a person must look. */
  @Column({ name: 'attention_at', type: 'timestamptz', nullable: true })
  attentionAt!: Date | null;

  @Column({ name: 'attention_reason', type: 'text', nullable: true })
  attentionReason!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
