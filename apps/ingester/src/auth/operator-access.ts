import { createParamDecorator, ForbiddenException, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { OperatorRole } from '@seamless-ops/contracts';

/**
 * The contract between authentication (src/auth: sessions, the guard) and the operator API (src/ops): the guard
 * puts the logged-in operator on the request; handlers declare who may call them and check shop scope.
 */
export interface AuthenticatedOperator {
  id: string;
  email: string;
  role: OperatorRole;
  /** null: every shop. */
  shopIds: string[] | null;
  sessionId: string;
}

export interface OperatorRequest {
  operator?: AuthenticatedOperator;
}

export const ROLES_KEY = 'seamless:roles';

/** Roles allowed on a route (or controller). Routes under /api/ops without it are open to every role. */
export const RequireRoles = (...roles: OperatorRole[]) => SetMetadata(ROLES_KEY, roles);

/** The operator the guard authenticated; handlers behind the guard always have one. */
export const CurrentOperator = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedOperator => {
  const operator = ctx.switchToHttp().getRequest<OperatorRequest>().operator;
  if (!operator) throw new ForbiddenException('no operator on the request');
  return operator;
});

export function canSeeShop(operator: AuthenticatedOperator, shopId: string | null | undefined): boolean {
  if (operator.shopIds === null) return true;
  return shopId != null && operator.shopIds.includes(shopId);
}

/**
 * The shops a query may read for this operator: the requested one (refused when out of scope), else all the
 * operator's shops (null = no restriction).
 */
export function shopScope(operator: AuthenticatedOperator, requested: string | undefined): string[] | null {
  if (requested) {
    if (!canSeeShop(operator, requested)) throw new ForbiddenException(`no access to shop "${requested}"`);
    return [requested];
  }
  return operator.shopIds;
}
