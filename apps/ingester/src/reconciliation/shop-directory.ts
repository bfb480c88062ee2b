import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ShopsService } from '../shops/shops.service';

/**
 * Keeps the `shops` reference table (id, name, time zone) in line with the configuration, at every start: the
 * reporting views need each shop's time zone in SQL, and the configuration (not the database) is where shops are
 * defined. Shops that left the configuration stay, marked `configured = false`, so their payments keep a day.
 * Runs on every replica; the upsert is idempotent.
 */
@Injectable()
export class ShopDirectory implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly shops: ShopsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.sync();
  }

  async sync(): Promise<void> {
    const shops = this.shops.shops;
    // The reports compute local days in SQL: every zone must be one PostgreSQL knows (its tzdata may lag the
    // JavaScript runtime's). Refuse to start rather than fail on the first report.
    const known = (await this.dataSource.query(`SELECT name FROM pg_timezone_names WHERE name = ANY($1::text[])`, [shops.map((s) => s.timeZone)])) as { name: string }[];
    const unknown = shops.filter((s) => s.timeZone !== 'UTC' && !known.some((k) => k.name === s.timeZone));
    if (unknown.length) throw new Error(`PostgreSQL does not know the time zone of shop(s) ${unknown.map((s) => `${s.id} (${s.timeZone})`).join(', ')}`);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO shops (id, name, time_zone, configured, synced_at)
         SELECT * , true, now() FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, configured = true, synced_at = now()`,
        [shops.map((s) => s.id), shops.map((s) => s.name), shops.map((s) => s.timeZone)],
      );
      await manager.query(`UPDATE shops SET configured = false, synced_at = now() WHERE configured AND id <> ALL($1::text[])`, [shops.map((s) => s.id)]);
    });
  }
}
