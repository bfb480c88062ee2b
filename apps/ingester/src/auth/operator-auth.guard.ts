import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { OperatorRole } from '@seamless-ops/contracts';
import { AuditService } from '../audit/audit.service';
import type { IngesterConfig } from '../config/config';
import { INGESTER_CONFIG } from '../config/config.module';
import { clientAddress } from './client-address';
import { ROLES_KEY, type AuthenticatedOperator, type OperatorRequest } from './operator-access';
import { isStateChanging, sameOriginProblem } from './same-origin';
import { clearedSessionCookie, CSRF_HEADER, csrfTokenMatches, readSessionCookie } from './session-cookie';
import { SessionService } from './session.service';

const LOGIN_PATH = '/api/auth/login';

/**
 * Operator routes: everything under /api/ops, and /api/auth/* except login. Decided on the route as declared
 * (express's `req.route.path`) and on the path as requested, both lower-cased (express matches routes
 * case-insensitively), so no spelling of a URL reaches an operator route unguarded.
 */
export function isOperatorRoute(path: string): boolean {
  const p = path.toLowerCase().replace(/\/{2,}/g, '/');
  return p === '/api/ops' || p.startsWith('/api/ops/') || (p.startsWith('/api/auth/') && p !== LOGIN_PATH && p !== `${LOGIN_PATH}/`);
}

/**
 * The global guard (APP_GUARD). On operator routes: a live session (else 401), then for state-changing methods
 * a same-origin request with the session's CSRF token (else 403), then the route's RequireRoles (else 403).
 * Puts the operator on `req.operator`. Other routes (checkout API, gateway callbacks, health, metrics, static
 * files) pass untouched, except that the login refuses a foreign Origin.
 */
@Injectable()
export class OperatorAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request & OperatorRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const declared: unknown = req.route?.path;
    const paths = [req.path, ...(typeof declared === 'string' ? [declared] : [])];

    if (!paths.some(isOperatorRoute)) {
      if (paths.some((p) => p.toLowerCase() === LOGIN_PATH) && sameOriginProblem(req, this.config.http.publicBaseUrl, false)) {
        throw new ForbiddenException('cross-origin login refused');
      }
      return true;
    }

    const ip = clientAddress(req);
    const token = readSessionCookie(req);
    const operator = token ? await this.sessions.resolve(token, { ip, userAgent: req.headers['user-agent'] ?? null }) : null;
    if (!token || !operator) {
      if (req.headers.cookie?.includes('so_session=')) res.setHeader('Set-Cookie', clearedSessionCookie(this.config.auth.secureCookies));
      throw new UnauthorizedException('log in first');
    }
    req.operator = operator;
    // Operator answers are per person: never kept by a shared cache (a handler may still say otherwise).
    res.setHeader('Cache-Control', 'no-store');

    if (isStateChanging(req.method)) {
      const problem =
        sameOriginProblem(req, this.config.http.publicBaseUrl, true) ??
        (csrfTokenMatches(token, headerValue(req.headers[CSRF_HEADER])) ? null : 'missing or wrong X-CSRF-Token');
      if (problem) await this.deny(req, operator, problem, {});
    }

    const roles = this.reflector.getAllAndOverride<OperatorRole[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(operator.role)) {
      await this.deny(req, operator, `this needs the role ${roles.join(' or ')}`, { role: operator.role, requiredRoles: roles });
    }
    return true;
  }

  private async deny(req: Request, operator: AuthenticatedOperator, reason: string, detail: Record<string, unknown>): Promise<never> {
    await this.audit.record({ action: 'access_denied', operator, ip: clientAddress(req), target: requestTarget(req), detail: { reason, ...detail } });
    throw new ForbiddenException(reason);
  }
}

/** `METHOD /path?query` for the audit log, bounded. */
export function requestTarget(req: Request): string {
  return `${req.method} ${req.originalUrl}`.slice(0, 500);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? undefined : value;
}
