import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { EVENT_KINDS, EVENT_SOURCES, PAYMENT_STATES, sqlIn, type EventKind, type EventSource, type PaymentState } from '../enums';

/**
 * Append-only: one row per thing that happened, never updated or deleted. The projections (payments,
 * storages, mismatches, funnel_hourly) are written in the same transaction and can be re-derived from here.
 * No foreign keys: events arrive in any order, also for payments we have no record of.
 */
@Entity('checkout_events')
@Check('checkout_events_kind_check', sqlIn('kind', EVENT_KINDS))
@Check('checkout_events_source_check', sqlIn('source', EVENT_SOURCES))
@Check('checkout_events_payment_state_check', sqlIn('payment_state', PAYMENT_STATES))
@Index('checkout_events_payment_idx', ['paymentId', 'occurredAt'])
@Index('checkout_events_storage_idx', ['storageId', 'occurredAt'])
@Index('checkout_events_shop_idx', ['shopId', 'occurredAt'])
@Index('checkout_events_kind_idx', ['kind', 'occurredAt'])
export class CheckoutEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'checkout_events_pkey' })
  id!: string;

  /** When it happened according to its source (e.g. the gateway's timestamp), else when we saw it. */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;

  @Column({ type: 'text' })
  kind!: EventKind;

  @Column({ type: 'text' })
  source!: EventSource;

  /** Null only when the shop cannot be told (e.g. a confirmation rejected before its fingerprint was checked). */
  @Column({ name: 'shop_id', type: 'text', nullable: true })
  shopId!: string | null;

  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId!: string | null;

  @Column({ name: 'storage_id', type: 'text', nullable: true })
  storageId!: string | null;

  @Column({ name: 'order_ident', type: 'text', nullable: true })
  orderIdent!: string | null;

  @Column({ name: 'order_number', type: 'text', nullable: true })
  orderNumber!: string | null;

  @Column({ name: 'payment_state', type: 'text', nullable: true })
  paymentState!: PaymentState | null;

  /** Decimal string as sent; numeric never rounds, so an amount that differs by a fraction still differs. */
  @Column({ type: 'numeric', nullable: true })
  amount!: string | null;

  @Column({ type: 'char', length: 3, nullable: true })
  currency!: string | null;

  @Column({ name: 'payment_type', type: 'text', nullable: true })
  paymentType!: string | null;

  /** The request or callback body after redaction (no card numbers, no secrets). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload!: Record<string, unknown>;

  /** Identity of a delivery (e.g. a confirmation's fingerprint), so a redelivery is recognised, not re-stored. */
  @Index('checkout_events_dedup_key_key', { unique: true })
  @Column({ name: 'dedup_key', type: 'text', nullable: true })
  dedupKey!: string | null;

  @Column({ name: 'source_address', type: 'inet', nullable: true })
  sourceAddress!: string | null;
}
