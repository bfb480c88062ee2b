import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Reference copy of the configured shops (id, name, time zone) for SQL: the reporting views compute each shop's
 * local day from it. The configuration stays the source of truth (secrets never come here); the ingester upserts
 * every configured shop at start (src/reconciliation/shop-directory.ts) and keeps shops no longer configured with
 * `configured = false`, so their payments still have a time zone.
 */
@Entity('shops')
export class ShopReference {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'shops_pkey' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** IANA zone, e.g. `Europe/Vienna`: day boundaries of the reports. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  /** False once the shop is no longer in the configuration (its row stays for the reports). */
  @Column({ type: 'boolean', default: true })
  configured!: boolean;

  @Column({ name: 'synced_at', type: 'timestamptz', default: () => 'now()' })
  syncedAt!: Date;
}
