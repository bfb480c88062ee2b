import { ForbiddenException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { defer, type Observable, catchError } from 'rxjs';
import { AuditService } from '../audit/audit.service';
import { clientAddress } from './client-address';
import type { OperatorRequest } from './operator-access';
import { requestTarget } from './operator-auth.guard';

/**
 * Audits a 403 that a handler raises for a logged-in operator (shopScope() refusing a shop, or any
 * ForbiddenException), as the guard audits its own. Global (APP_INTERCEPTOR); other errors pass untouched.
 */
@Injectable()
export class AccessDeniedAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) =>
        defer(async () => {
          const req = context.switchToHttp().getRequest<Request & OperatorRequest>();
          if (error instanceof ForbiddenException && req.operator) {
            const response = error.getResponse();
            const reason = typeof response === 'object' && response !== null && 'message' in response ? String(response.message) : error.message;
            await this.audit.record({ action: 'access_denied', operator: req.operator, ip: clientAddress(req), target: requestTarget(req), detail: { reason } });
          }
          throw error;
        }),
      ),
    );
  }
}
