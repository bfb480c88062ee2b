import type { EntityManager } from 'typeorm';
import type { SessionEndReason } from './session-end-reasons';

/** The rows of an UPDATE/DELETE … RETURNING: TypeORM answers those on PostgreSQL with `[rows, rowCount]`. */
export async function modifyReturning<T>(manager: Pick<EntityManager, 'query'>, sql: string, parameters: unknown[]): Promise<T[]> {
  const [rows] = (await manager.query(sql, parameters)) as [T[], number];
  return rows;
}

/** Ends every open session of an operator (disabling, password reset); returns how many were open. */
export async function endOperatorSessions(manager: EntityManager, operatorId: string, reason: SessionEndReason, at: Date = new Date()): Promise<number> {
  const rows = await modifyReturning(manager, `UPDATE sessions SET ended_at = $3, ended_reason = $2 WHERE operator_id = $1 AND ended_at IS NULL RETURNING id`, [
    operatorId,
    reason,
    at,
  ]);
  return rows.length;
}
