import { STATUS_CODES } from 'node:http';
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import type { ApiError } from '@seamless-ops/contracts';
import type { GatewayError } from '@seamless-ops/qenta';

/** An HttpException whose body is an {@link ApiError}; Nest's own filters send it unchanged, too. */
export function apiError(statusCode: number, message: string, details?: string[]): HttpException {
  const body: ApiError = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (details?.length) body.details = details;
  return new HttpException(body, statusCode);
}

/** 400 listing every problem of the request at once. */
export function invalidRequest(problems: string[]): HttpException {
  return apiError(400, problems.length === 1 ? problems[0] : `the request has ${problems.length} problems`, problems);
}

/** `details` entries for the gateway's error block: `<code> <message>`. */
export function gatewayErrorDetails(errors: readonly GatewayError[]): string[] {
  return errors.map((e) => `${e.errorCode} ${e.message}`.trim());
}

/** PostgreSQL SQLSTATE classes and socket errors that mean "the database is not reachable right now". */
function databaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as Error & { code?: unknown; driverError?: { code?: unknown } };
  const code = String(e.driverError?.code ?? e.code ?? '');
  if (/^(08|53|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED/i.test(e.message);
}

/** Any error of a checkout request as an ApiError: HttpExceptions keep their status; the rest are 503 or 500. */
export function toApiError(exception: unknown, logger: Logger): ApiError {
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const error = STATUS_CODES[statusCode] ?? 'Error';
    const response = exception.getResponse();
    if (typeof response === 'string') return { statusCode, error, message: response };
    const r = response as { message?: unknown; details?: unknown; error?: unknown };
    const message = Array.isArray(r.message) ? r.message.map(String).join('; ') : typeof r.message === 'string' ? r.message : exception.message;
    const out: ApiError = { statusCode, error: typeof r.error === 'string' ? r.error : error, message };
    if (Array.isArray(r.details)) out.details = r.details.map(String);
    else if (Array.isArray(r.message)) out.details = r.message.map(String);
    return out;
  }
  if (databaseUnavailable(exception)) {
    logger.error(`database unavailable: ${(exception as Error).message}`);
    return { statusCode: 503, error: STATUS_CODES[503] as string, message: 'temporarily unavailable, please retry' };
  }
  logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  return { statusCode: 500, error: STATUS_CODES[500] as string, message: 'internal error' };
}

/** Every answer of the checkout controllers that is not a success is an {@link ApiError} (incl. the guard's 401). */
@Catch()
export class CheckoutExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('CheckoutApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toApiError(exception, this.logger);
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }
}
