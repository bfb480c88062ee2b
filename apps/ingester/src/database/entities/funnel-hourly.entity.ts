import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Incremental funnel rollup per UTC hour × shop × payment type, bumped in the event's transaction so
 * funnel queries never scan checkout_events. Steps before a payment type is chosen count under
 * UNSPECIFIED_PAYMENT_TYPE.
 */
@Entity('funnel_hourly')
export class FunnelHourly {
  /** Start of the hour (UTC). */
  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'funnel_hourly_pkey' })
  bucket!: Date;

  @PrimaryColumn({ name: 'shop_id', type: 'text', primaryKeyConstraintName: 'funnel_hourly_pkey' })
  shopId!: string;

  @PrimaryColumn({ name: 'payment_type', type: 'text', primaryKeyConstraintName: 'funnel_hourly_pkey' })
  paymentType!: string;

  /**
   * Rows are spread over a few shards per hour × shop × type so concurrent confirmations do not queue on one
   * row lock; readers sum over the shards.
   */
  @PrimaryColumn({ type: 'smallint', default: 0, primaryKeyConstraintName: 'funnel_hourly_pkey' })
  shard!: number;

  @Column({ name: 'checkouts_started', type: 'integer', default: 0 })
  checkoutsStarted!: number;

  @Column({ name: 'storages_initialized', type: 'integer', default: 0 })
  storagesInitialized!: number;

  @Column({ name: 'storages_expired', type: 'integer', default: 0 })
  storagesExpired!: number;

  @Column({ name: 'payment_data_stored', type: 'integer', default: 0 })
  paymentDataStored!: number;

  @Column({ name: 'payments_initiated', type: 'integer', default: 0 })
  paymentsInitiated!: number;

  @Column({ type: 'integer', default: 0 })
  confirmations!: number;

  @Column({ type: 'integer', default: 0 })
  successes!: number;

  @Column({ type: 'integer', default: 0 })
  cancels!: number;

  @Column({ type: 'integer', default: 0 })
  failures!: number;

  @Column({ type: 'integer', default: 0 })
  pendings!: number;

  @Column({ name: 'init_failures', type: 'integer', default: 0 })
  initFailures!: number;

  @Column({ type: 'integer', default: 0 })
  returns!: number;
}
