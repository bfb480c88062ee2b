import { BadRequestException, HttpException, HttpStatus, Injectable, UnauthorizedException, type OnModuleInit } from '@nestjs/common';
import type { LoginRequest, MeResponse } from '@seamless-ops/contracts';
import { AuditService } from '../audit/audit.service';
import { OperatorsService, normalizeEmail } from '../operators/operators.service';
import { generatePassword, hashPassword, needsRehash, PASSWORD_MAX_LENGTH, verifyPassword } from '../operators/passwords';
import { ShopsService } from '../shops/shops.service';
import { AuthClock } from './auth-clock';
import { LoginThrottle } from './login-throttle';
import type { AuthenticatedOperator } from './operator-access';
import { csrfTokenFor } from './session-cookie';
import { SessionService, type ClientInfo } from './session.service';

/** 429 with the seconds to wait (the controller's filter turns it into Retry-After). */
export class TooManyLoginAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ statusCode: 429, error: 'Too Many Requests', message: 'too many failed logins; try again later' }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** The one answer for an unknown email, a wrong password and a disabled account. */
const LOGIN_REFUSED = 'email or password is wrong';

@Injectable()
export class AuthService implements OnModuleInit {
  /** Verified against when the email is unknown, so that answer takes as long as a wrong password. */
  private dummyHash = '';

  constructor(
    private readonly operators: OperatorsService,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly shops: ShopsService,
    private readonly clock: AuthClock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.dummyHash = await hashPassword(generatePassword());
  }

  async login(request: LoginRequest, client: ClientInfo): Promise<{ me: MeResponse; token: string }> {
    const email = normalizeEmail(request.email);
    const now = this.clock.now();
    const retryAfter = await this.throttle.retryAfter(email, client.ip, now);
    if (retryAfter !== null) {
      await this.audit.record({ action: 'login_failed', email, ip: client.ip, detail: { reason: 'throttled', retryAfterSeconds: retryAfter } });
      throw new TooManyLoginAttemptsException(retryAfter);
    }

    const operator = await this.operators.findByEmail(email);
    const passwordOk = await verifyPassword(operator?.passwordHash ?? this.dummyHash, request.password);
    if (!operator || !passwordOk || operator.disabledAt) {
      await this.throttle.recordFailure(email, client.ip, now);
      const reason = !operator ? 'unknown_email' : operator.disabledAt ? 'operator_disabled' : 'wrong_password';
      await this.audit.record({ action: 'login_failed', operator: operator && { id: operator.id, email }, email, ip: client.ip, detail: { reason } });
      throw new UnauthorizedException(LOGIN_REFUSED);
    }

    await this.throttle.forgive(email, client.ip);
    const session = await this.sessions.start(operator.id, client);
    await this.operators.recordLogin(operator.id, needsRehash(operator.passwordHash) ? await hashPassword(request.password) : null);
    const authenticated: AuthenticatedOperator = { id: operator.id, email: operator.email, role: operator.role, shopIds: operator.shopIds, sessionId: session.id };
    await this.audit.record({ action: 'login', operator: authenticated, ip: client.ip, target: `session:${session.id}`, detail: { userAgent: client.userAgent } });
    return { me: this.me(authenticated, session.token), token: session.token };
  }

  async logout(operator: AuthenticatedOperator, client: ClientInfo): Promise<void> {
    if (await this.sessions.end(operator.sessionId, 'logout')) {
      await this.audit.record({ action: 'logout', operator, ip: client.ip, target: `session:${operator.sessionId}` });
    }
  }

  me(operator: AuthenticatedOperator, sessionToken: string): MeResponse {
    const visible = this.shops.shops.filter((shop) => operator.shopIds === null || operator.shopIds.includes(shop.id));
    return {
      operator: { id: operator.id, email: operator.email, role: operator.role, shopIds: operator.shopIds },
      csrfToken: csrfTokenFor(sessionToken),
      shops: visible.map((shop) => ({ id: shop.id, name: shop.name, timeZone: shop.timeZone })),
    };
  }
}

/** `POST /api/auth/login`'s body: `{ email, password }`, both strings, nothing else. */
export function parseLoginRequest(body: unknown): LoginRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequestException('expected a JSON object { email, password }');
  const { email, password, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length) throw new BadRequestException(`unexpected field(s): ${extra.join(', ')}`);
  if (typeof email !== 'string' || email.trim() === '' || email.length > 320) throw new BadRequestException('email must be a non-empty string');
  if (typeof password !== 'string' || password === '' || password.length > PASSWORD_MAX_LENGTH) {
    throw new BadRequestException(`password must be a non-empty string of at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  return { email, password };
}
