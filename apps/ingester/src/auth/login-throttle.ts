import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Failed logins allowed within a sliding window, per account from one address, per address over all accounts
 * (one machine trying many accounts), and per account over all addresses (many machines trying one account;
 * high enough that locking someone out takes a deliberate flood, which the audit log shows).
 */
export const LOGIN_LIMITS = {
  windowSeconds: 15 * 60,
  perAccountAndAddress: 5,
  perAddress: 20,
  perAccount: 50,
} as const;

/** Failed-login throttling on the `login_failures` table (shared by every replica). */
@Injectable()
export class LoginThrottle {
  constructor(private readonly dataSource: DataSource) {}

  /** Seconds until another attempt is allowed, or null when it is allowed now. */
  async retryAfter(email: string, ip: string | null, now: Date): Promise<number | null> {
    const windowStart = new Date(now.getTime() - LOGIN_LIMITS.windowSeconds * 1000);
    // For each limit: the failure that would have to leave the window (the limit-th most recent) before one more
    // attempt is allowed. None: that limit is not reached.
    const [row]: { pair: Date | null; address: Date | null; account: Date | null }[] = await this.dataSource.query(
      `WITH recent AS (
         SELECT attempted_at, email = $1 AS same_account, ip IS NOT DISTINCT FROM $2::inet AS same_address
           FROM login_failures
          WHERE attempted_at > $3 AND (email = $1 OR ip IS NOT DISTINCT FROM $2::inet))
       SELECT (SELECT attempted_at FROM recent WHERE same_account AND same_address ORDER BY attempted_at DESC OFFSET $4 LIMIT 1) AS pair,
              (SELECT attempted_at FROM recent WHERE same_address ORDER BY attempted_at DESC OFFSET $5 LIMIT 1) AS address,
              (SELECT attempted_at FROM recent WHERE same_account ORDER BY attempted_at DESC OFFSET $6 LIMIT 1) AS account`,
      [email, ip, windowStart, LOGIN_LIMITS.perAccountAndAddress - 1, LOGIN_LIMITS.perAddress - 1, LOGIN_LIMITS.perAccount - 1],
    );
    const blocking = [row.pair, row.address, row.account].filter((t): t is Date => t !== null);
    if (blocking.length === 0) return null;
    const freeAt = Math.max(...blocking.map((t) => t.getTime())) + LOGIN_LIMITS.windowSeconds * 1000;
    return Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
  }

  async recordFailure(email: string, ip: string | null, now: Date): Promise<void> {
    await this.dataSource.query(`INSERT INTO login_failures (attempted_at, email, ip) VALUES ($1, $2, $3)`, [now, email, ip]);
    // Older failures can never count again (the audit log keeps the history).
    await this.dataSource.query(`DELETE FROM login_failures WHERE attempted_at < $1`, [new Date(now.getTime() - LOGIN_LIMITS.windowSeconds * 1000)]);
  }

  /** A successful login forgives that account's failures from that address. */
  async forgive(email: string, ip: string | null): Promise<void> {
    await this.dataSource.query(`DELETE FROM login_failures WHERE email = $1 AND ip IS NOT DISTINCT FROM $2::inet`, [email, ip]);
  }
}
