import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OPERATOR_ROLES, type OperatorRole } from '@seamless-ops/contracts';
import { AuditService } from '../audit/audit.service';
import { endOperatorSessions, modifyReturning } from '../auth/session-store';
import type { IngesterConfig } from '../config/config';
import { INGESTER_CONFIG } from '../config/config.module';
import { generatePassword, hashPassword, passwordProblem } from './passwords';

/** Refused input (unknown role or shop, duplicate email, weak password); the message is for the person. */
export class OperatorError extends Error {}

export interface OperatorView {
  id: string;
  email: string;
  role: OperatorRole;
  shopIds: string[] | null;
  disabledAt: Date | null;
  createdAt: Date;
  lastLoginAt: Date | null;
}

/** An operator row as the login needs it. */
export interface OperatorCredentials extends OperatorView {
  passwordHash: string;
}

export interface NewOperator {
  email: string;
  role: string;
  /** null or undefined: every shop. */
  shopIds?: string[] | null;
  password: string;
}

/** Who did it, kept in the audit entry's detail (e.g. `{ via: 'cli', osUser: 'alice' }`). */
export type Actor = Record<string, unknown>;

/** The email as stored and compared: trimmed and lower-cased (the unique constraint is on this form). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;
export const DEMO_ADMIN_EMAIL = 'admin@demo.local';

/**
 * Operator accounts. Used by the ingester (login, demo mode) and by the `npm run ops` command, which builds it
 * on a plain DataSource, so nothing here depends on a request.
 */
@Injectable()
export class OperatorsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {}

  async create(input: NewOperator, actor: Actor): Promise<OperatorView> {
    const email = normalizeEmail(input.email);
    const problems: string[] = [];
    if (!EMAIL.test(email) || email.length > 254) problems.push(`"${input.email}" is not an email address`);
    const role = OPERATOR_ROLES.find((r) => r === input.role);
    if (!role) problems.push(`role must be one of ${OPERATOR_ROLES.join(', ')} (got "${input.role}")`);
    const shopIds = input.shopIds ?? null;
    if (shopIds !== null) {
      const known = new Set(this.config.shops.map((s) => s.id));
      if (shopIds.length === 0) problems.push('give at least one shop, or none for every shop');
      const unknown = shopIds.filter((id) => !known.has(id));
      if (unknown.length) problems.push(`unknown shop(s): ${unknown.join(', ')} (configured: ${[...known].join(', ') || 'none'})`);
    }
    const weak = passwordProblem(input.password);
    if (weak) problems.push(weak);
    if (problems.length) throw new OperatorError(problems.join('; '));

    const passwordHash = await hashPassword(input.password);
    const uniqueShops = shopIds && [...new Set(shopIds)];
    return this.dataSource.transaction(async (manager) => {
      const rows: RawOperator[] = await manager.query(
        `INSERT INTO operators (id, email, password_hash, role, shop_ids) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
        [randomUUID(), email, passwordHash, role, uniqueShops],
      );
      if (!rows[0]) throw new OperatorError(`an operator with the email ${email} already exists`);
      const created = view(rows[0]);
      await this.audit.record({ action: 'operator_created', target: `operator:${email}`, detail: { operatorId: created.id, role, shopIds: uniqueShops, ...actor } }, manager);
      return created;
    });
  }

  async list(): Promise<OperatorView[]> {
    const rows: RawOperator[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM operators ORDER BY created_at, email`);
    return rows.map(view);
  }

  async findByEmail(email: string): Promise<OperatorCredentials | null> {
    const rows: (RawOperator & { password_hash: string })[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, password_hash FROM operators WHERE email = $1`,
      [normalizeEmail(email)],
    );
    return rows[0] ? { ...view(rows[0]), passwordHash: rows[0].password_hash } : null;
  }

  /** Disables the account and ends its open sessions at once. Disabling a disabled operator changes nothing. */
  async disable(email: string, actor: Actor): Promise<{ operator: OperatorView; sessionsEnded: number; alreadyDisabled: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const rows: RawOperator[] = await manager.query(`SELECT ${COLUMNS} FROM operators WHERE email = $1 FOR UPDATE`, [normalizeEmail(email)]);
      if (!rows[0]) throw new OperatorError(`no operator with the email ${normalizeEmail(email)}`);
      const before = view(rows[0]);
      if (before.disabledAt) return { operator: before, sessionsEnded: 0, alreadyDisabled: true };
      const [updated] = await modifyReturning<RawOperator>(manager, `UPDATE operators SET disabled_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [before.id]);
      const sessionsEnded = await endOperatorSessions(manager, before.id, 'operator_disabled');
      await this.audit.record({ action: 'operator_disabled', target: `operator:${before.email}`, detail: { operatorId: before.id, sessionsEnded, ...actor } }, manager);
      return { operator: view(updated), sessionsEnded, alreadyDisabled: false };
    });
  }

  /** Sets a new password and ends the operator's open sessions (whoever had the old one is logged out). */
  async resetPassword(email: string, password: string, actor: Actor): Promise<{ operator: OperatorView; sessionsEnded: number }> {
    const weak = passwordProblem(password);
    if (weak) throw new OperatorError(weak);
    const passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (manager) => {
      const rows = await modifyReturning<RawOperator>(manager, `UPDATE operators SET password_hash = $2 WHERE email = $1 RETURNING ${COLUMNS}`, [
        normalizeEmail(email),
        passwordHash,
      ]);
      if (!rows[0]) throw new OperatorError(`no operator with the email ${normalizeEmail(email)}`);
      const operator = view(rows[0]);
      const sessionsEnded = await endOperatorSessions(manager, operator.id, 'password_reset');
      await this.audit.record({ action: 'password_reset', target: `operator:${operator.email}`, detail: { operatorId: operator.id, sessionsEnded, ...actor } }, manager);
      return { operator, sessionsEnded };
    });
  }

  /** After a successful login: the time, and a hash with outdated parameters replaced. */
  async recordLogin(operatorId: string, upgradedHash: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE operators SET last_login_at = now(), password_hash = coalesce($2, password_hash) WHERE id = $1`, [operatorId, upgradedHash]);
  }

  /**
   * Demo mode: an admin with a random password when there is no operator at all. Returns the credentials to
   * print, or null when operators exist (also when another replica created the admin at the same moment).
   */
  async createDemoAdmin(): Promise<{ email: string; password: string } | null> {
    const [{ any }]: { any: boolean }[] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM operators) AS any`);
    if (any) return null;
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (manager) => {
      const rows: RawOperator[] = await manager.query(
        `INSERT INTO operators (id, email, password_hash, role, shop_ids)
         SELECT $1, $2, $3, 'admin', NULL WHERE NOT EXISTS (SELECT 1 FROM operators)
         ON CONFLICT (email) DO NOTHING RETURNING ${COLUMNS}`,
        [randomUUID(), DEMO_ADMIN_EMAIL, passwordHash],
      );
      if (!rows[0]) return null;
      await this.audit.record({ action: 'operator_created', target: `operator:${DEMO_ADMIN_EMAIL}`, detail: { operatorId: rows[0].id, role: 'admin', shopIds: null, via: 'demo-mode' } }, manager);
      return { email: DEMO_ADMIN_EMAIL, password };
    });
  }
}

const COLUMNS = 'id, email, role, shop_ids, disabled_at, created_at, last_login_at';

interface RawOperator {
  id: string;
  email: string;
  role: OperatorRole;
  shop_ids: string[] | null;
  disabled_at: Date | null;
  created_at: Date;
  last_login_at: Date | null;
}

function view(row: RawOperator): OperatorView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    shopIds: row.shop_ids,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
  };
}
