import { Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { OperatorsModule } from '../operators/operators.module';
import { AccessDeniedAuditInterceptor } from './access-denied.interceptor';
import { AuthClock } from './auth-clock';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle';
import { OperatorAuthGuard } from './operator-auth.guard';
import { SessionService } from './session.service';

/**
 * Operator authentication: login/logout/me, sessions, throttling, and the global guard and audit interceptor
 * that protect /api/ops and /api/auth. Brings the audit log (global) and operator accounts along.
 */
@Module({
  imports: [AuditModule, OperatorsModule],
  controllers: [AuthController],
  providers: [
    AuthClock,
    SessionService,
    LoginThrottle,
    AuthService,
    { provide: APP_GUARD, useClass: OperatorAuthGuard },
    { provide: APP_INTERCEPTOR, useClass: AccessDeniedAuditInterceptor },
  ],
  exports: [SessionService, AuthClock],
})
export class AuthModule {}
