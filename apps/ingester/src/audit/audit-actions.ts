/**
 * What the audit log records (`audit_log.action`, a CHECK constraint: adding one is a migration).
 * - login, login_failed (detail.reason: wrong_credentials | throttled), logout, session_expired (idle or absolute)
 * - operator_created, operator_disabled, password_reset (the CLI, or demo mode)
 * - access_denied: a 403 by role, shop scope, origin or CSRF check
 * - alert_acknowledged, export: recorded by the operator API through AuditService.record
 */
export const AUDIT_ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'session_expired',
  'operator_created',
  'operator_disabled',
  'password_reset',
  'access_denied',
  'alert_acknowledged',
  'export',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
