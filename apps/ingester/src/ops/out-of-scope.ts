import { HttpException, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { catchError, defer, type Observable } from 'rxjs';
import { AuditService } from '../audit/audit.service';
import { clientAddress } from '../auth/client-address';
import type { OperatorRequest } from '../auth/operator-access';
import { requestTarget } from '../auth/operator-auth.guard';
import { opsError } from './ops-query';

/**
 * A resource asked for by id that belongs to a shop outside the operator's scope. The client gets exactly the
 * 404 of an unknown id (existence is not revealed); {@link OutOfScopeAuditInterceptor} records the attempt in
 * the audit log as `access_denied`, as the guard does for the 403s.
 */
export class OutOfScope extends HttpException {
  constructor(
    readonly what: string,
    readonly shopId: string,
  ) {
    const notFound = opsError(404, `${what} not found`);
    super(notFound.getResponse(), 404);
  }
}

@Injectable()
export class OutOfScopeAuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) =>
        defer(async () => {
          const req = context.switchToHttp().getRequest<Request & OperatorRequest>();
          if (error instanceof OutOfScope && req.operator) {
            await this.audit.record({
              action: 'access_denied',
              operator: req.operator,
              ip: clientAddress(req),
              target: requestTarget(req),
              detail: { reason: `${error.what} of a shop outside the operator's shops`, shopId: error.shopId, answered: 404 },
            });
          }
          throw error;
        }),
      ),
    );
  }
}
