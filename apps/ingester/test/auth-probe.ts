import { Controller, ForbiddenException, Get, Module, Param, Post, Query } from '@nestjs/common';
import { vi } from 'vitest';
import { AppModule } from '../src/app.module';
import type { IngesterConfig } from '../src/config/config';
import { canSeeShop, CurrentOperator, RequireRoles, shopScope, type AuthenticatedOperator } from '../src/auth/operator-access';
import { startTestApp, type TestApp } from './app';

// Test-only operator routes, so the guard's rules are exercised whatever the operator API offers today: every
// role, admin only (on the handler and on the controller), a POST, and shop scope both ways.

@Controller('api/ops/auth-probe')
class AuthProbeController {
  @Get('any')
  any(@CurrentOperator() operator: AuthenticatedOperator): { email: string } {
    return { email: operator.email };
  }

  @Get('admin')
  @RequireRoles('admin')
  admin(): { ok: true } {
    return { ok: true };
  }

  @Get('finance')
  @RequireRoles('finance', 'admin')
  finance(): { ok: true } {
    return { ok: true };
  }

  @Post('change')
  @RequireRoles('operator', 'admin')
  change(): { changed: true } {
    return { changed: true };
  }

  @Get('shops/:shopId')
  shop(@CurrentOperator() operator: AuthenticatedOperator, @Param('shopId') shopId: string): { shopId: string } {
    if (!canSeeShop(operator, shopId)) throw new ForbiddenException(`no access to shop "${shopId}"`);
    return { shopId };
  }

  @Get('scoped')
  scoped(@CurrentOperator() operator: AuthenticatedOperator, @Query('shopId') shopId?: string): { shops: string[] | null } {
    return { shops: shopScope(operator, shopId) };
  }
}

@Controller('api/ops/auth-probe-admin')
@RequireRoles('admin')
class AdminProbeController {
  @Get()
  index(): { ok: true } {
    return { ok: true };
  }

  @Get('viewer-too')
  @RequireRoles('viewer', 'admin')
  viewerToo(): { ok: true } {
    return { ok: true };
  }
}

@Module({ controllers: [AuthProbeController, AdminProbeController] })
class AuthProbeModule {}

/** startTestApp (the real createIngesterApp) with the probe routes added to the app module. */
export async function startAppWithProbes(databaseUrl: string, config: IngesterConfig): Promise<TestApp> {
  const forRoot = AppModule.forRoot.bind(AppModule);
  const spy = vi.spyOn(AppModule, 'forRoot').mockImplementation((c, url) => {
    const module = forRoot(c, url);
    return { ...module, imports: [...(module.imports ?? []), AuthProbeModule] };
  });
  try {
    return await startTestApp(databaseUrl, config);
  } finally {
    spy.mockRestore();
  }
}
