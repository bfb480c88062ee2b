import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OperatorRole } from '@seamless-ops/contracts';
import { AuditService } from '../audit/audit.service';
import type { IngesterConfig } from '../config/config';
import { INGESTER_CONFIG } from '../config/config.module';
import { AuthClock } from './auth-clock';
import type { AuthenticatedOperator } from './operator-access';
import type { SessionEndReason } from './session-end-reasons';
import { newSessionToken, sessionTokenHash } from './session-cookie';
import { modifyReturning } from './session-store';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** last_seen_at is written at most this often, so a busy dashboard does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sessions: the browser holds a random token, the table its SHA-256. A session ends on logout,
 * after `SESSION_IDLE_MINUTES` without a request, `SESSION_ABSOLUTE_HOURS` after login, or when its operator
 * is disabled or gets a new password. Expiry is noticed when the session is next presented (and audited then).
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: AuthClock,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {}

  /** A new session; the token goes into the cookie and is never seen again here. */
  async start(operatorId: string, client: ClientInfo): Promise<{ id: string; token: string; expiresAt: Date }> {
    const now = this.clock.now();
    const id = randomUUID();
    const token = newSessionToken();
    const expiresAt = new Date(now.getTime() + this.config.auth.sessionAbsoluteSeconds * 1000);
    await this.dataSource.query(
      `INSERT INTO sessions (id, operator_id, token_hash, created_at, last_seen_at, expires_at, ip, user_agent)
       VALUES ($1, $2, $3, $4, $4, $5, $6, $7)`,
      [id, operatorId, sessionTokenHash(token), now, expiresAt, client.ip, client.userAgent?.slice(0, 512) ?? null],
    );
    return { id, token, expiresAt };
  }

  /** The operator behind a session token, or null when it is unknown, ended, expired or its operator disabled. */
  async resolve(token: string, client: ClientInfo): Promise<AuthenticatedOperator | null> {
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT s.id, s.operator_id, s.last_seen_at, s.expires_at, s.ended_at, o.email, o.role, o.shop_ids, o.disabled_at
         FROM sessions s JOIN operators o ON o.id = s.operator_id
        WHERE s.token_hash = $1`,
      [sessionTokenHash(token)],
    );
    const row = rows[0];
    if (!row || row.ended_at || row.disabled_at) return null;
    const now = this.clock.now().getTime();
    const operator: AuthenticatedOperator = { id: row.operator_id, email: row.email, role: row.role, shopIds: row.shop_ids, sessionId: row.id };

    const expiry: SessionEndReason | null =
      now >= row.expires_at.getTime() ? 'absolute_timeout' : now - row.last_seen_at.getTime() >= this.config.auth.sessionIdleSeconds * 1000 ? 'idle_timeout' : null;
    if (expiry) {
      if (await this.end(row.id, expiry)) {
        await this.audit.record({ action: 'session_expired', operator, ip: client.ip, target: `session:${row.id}`, detail: { reason: expiry, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at } });
      }
      return null;
    }
    if (now - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) {
      await this.dataSource.query(`UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL`, [row.id, new Date(now)]);
    }
    return operator;
  }

  /** Ends one session; false when it had already ended. */
  async end(sessionId: string, reason: SessionEndReason): Promise<boolean> {
    const rows = await modifyReturning(this.dataSource, `UPDATE sessions SET ended_at = $2, ended_reason = $3 WHERE id = $1 AND ended_at IS NULL RETURNING id`, [
      sessionId,
      this.clock.now(),
      reason,
    ]);
    return rows.length > 0;
  }
}

interface SessionRow {
  id: string;
  operator_id: string;
  last_seen_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  email: string;
  role: OperatorRole;
  shop_ids: string[] | null;
  disabled_at: Date | null;
}
