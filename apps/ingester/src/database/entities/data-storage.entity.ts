import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { STORAGE_STATUSES, sqlIn, type StorageStatus } from '../enums';

/** Projection: one row per gateway data storage. It lives 30 minutes after its last access. */
@Entity('storages')
@Check('storages_status_check', sqlIn('status', STORAGE_STATUSES))
@Index('storages_status_expires_idx', ['status', 'expiresAt'])
@Index('storages_shop_initialized_idx', ['shopId', 'initializedAt'])
/** Operator API: expired storages, newest expiry first. */
@Index('storages_expired_idx', ['expiredAt', 'storageId'], { where: `"status" = 'expired'` })
export class DataStorage {
  /** The gateway's storageId. */
  @PrimaryColumn({ name: 'storage_id', type: 'text', primaryKeyConstraintName: 'storages_pkey' })
  storageId!: string;

  @Column({ name: 'shop_id', type: 'text' })
  shopId!: string;

  @Column({ name: 'order_ident', type: 'text' })
  orderIdent!: string;

  @Column({ type: 'text', default: 'active' })
  status!: StorageStatus;

  @Column({ name: 'payment_type', type: 'text', nullable: true })
  paymentType!: string | null;

  @Column({ name: 'initialized_at', type: 'timestamptz' })
  initializedAt!: Date;

  @Column({ name: 'last_access_at', type: 'timestamptz' })
  lastAccessAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  /** First time a read showed stored payment data (the funnel's "payment data stored" step). */
  @Column({ name: 'payment_data_stored_at', type: 'timestamptz', nullable: true })
  paymentDataStoredAt!: Date | null;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;

  @Column({ name: 'expired_at', type: 'timestamptz', nullable: true })
  expiredAt!: Date | null;

  /** The payment that consumed this storage. */
  @Column({ name: 'payment_id', type: 'uuid', nullable: true })
  paymentId!: string | null;
}
