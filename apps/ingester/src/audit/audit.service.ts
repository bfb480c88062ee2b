import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { asIp } from '../auth/client-address';
import { sanitize } from '../confirmation/sanitize';
import type { AuditAction } from './audit-actions';

export interface AuditEntry {
  action: AuditAction;
  /** Who did it (id and email are recorded); a failed login has only an `email`. */
  operator?: { id: string; email: string } | null;
  email?: string | null;
  /** What it was about, e.g. `alert:42`, `GET /api/ops/reconciliation/daily`, `operator:a@b.c`. */
  target?: string | null;
  /** clientAddress(req) from src/auth/client-address.ts; anything that is not an IP address is dropped. */
  ip?: string | null;
  /** Anything else worth keeping; passed through the card-data guard like every stored payload. */
  detail?: Record<string, unknown>;
  /** Defaults to the database's now(). */
  occurredAt?: Date;
}

/**
 * The audit log (`audit_log`, append-only). The operator API records acknowledgements and exports here:
 *
 *   await this.audit.record({ action: 'export', operator, target: 'reconciliation/daily', ip: clientAddress(req), detail: { from, to } });
 *
 * Pass the transaction's EntityManager to record atomically with the change it describes.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (occurred_at, operator_id, email, action, target, ip, detail)
       VALUES (coalesce($1::timestamptz, now()), $2, $3, $4, $5, $6, $7)`,
      [
        entry.occurredAt ?? null,
        entry.operator?.id ?? null,
        entry.operator?.email ?? entry.email ?? null,
        entry.action,
        entry.target ?? null,
        asIp(entry.ip),
        JSON.stringify(sanitize(entry.detail ?? {})),
      ],
    );
  }
}
