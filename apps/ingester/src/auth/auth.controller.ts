import { Body, Catch, Controller, Get, HttpCode, Inject, Post, Req, Res, UseFilters, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { MeResponse } from '@seamless-ops/contracts';
import type { IngesterConfig } from '../config/config';
import { INGESTER_CONFIG } from '../config/config.module';
import { AuthService, parseLoginRequest, TooManyLoginAttemptsException } from './auth.service';
import { clientAddress } from './client-address';
import { CurrentOperator, type AuthenticatedOperator } from './operator-access';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from './session-cookie';
import type { ClientInfo } from './session.service';

/** 429 with Retry-After. */
@Catch(TooManyLoginAttemptsException)
class RetryAfterFilter implements ExceptionFilter {
  catch(exception: TooManyLoginAttemptsException, host: ArgumentsHost): void {
    host.switchToHttp().getResponse<Response>().status(429).setHeader('Retry-After', String(exception.retryAfterSeconds)).json(exception.getResponse());
  }
}

/** `/api/auth`: login, logout, me. Who may call what is the global guard's business (operator-auth.guard.ts). */
@Controller('api/auth')
@UseFilters(RetryAfterFilter)
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<MeResponse> {
    const { me, token } = await this.auth.login(parseLoginRequest(body), client(req));
    res.setHeader('Set-Cookie', sessionCookie(token, this.config.auth.secureCookies)).setHeader('Cache-Control', 'no-store');
    return me;
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@CurrentOperator() operator: AuthenticatedOperator, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(operator, client(req));
    res.setHeader('Set-Cookie', clearedSessionCookie(this.config.auth.secureCookies));
  }

  @Get('me')
  me(@CurrentOperator() operator: AuthenticatedOperator, @Req() req: Request): MeResponse {
    return this.auth.me(operator, readSessionCookie(req) ?? '');
  }
}

function client(req: Request): ClientInfo {
  return { ip: clientAddress(req), userAgent: req.headers['user-agent'] ?? null };
}
