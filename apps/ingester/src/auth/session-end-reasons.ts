/** Why a session ended (`sessions.ended_reason`). */
export const SESSION_END_REASONS = ['logout', 'idle_timeout', 'absolute_timeout', 'operator_disabled', 'password_reset'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];
