import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Module, type DynamicModule, type LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, LoggerModule, PinoLogger, type Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Level, type Logger as RootLogger } from 'pino';
import { pinoHttp, type HttpLogger, type Options as HttpLoggerOptions } from 'pino-http';
import type { LogLevel } from '../config/config';
import { redactPans, sanitize } from '../confirmation/sanitize';

/**
 * Structured logs: one JSON object per line on stdout (pino), at LOG_LEVEL. Everything logs through Nest's
 * `Logger` (`new Logger('Context')`), which is backed by this pino logger; HTTP requests are logged once each by
 * pino-http on completion, without bodies, without /health/* and /metrics, and with credentials redacted.
 * Every line passes a PAN guard before it is written.
 */

export type { RootLogger };

/** Nest's level names (LOG_LEVEL) to pino's. */
const PINO_LEVELS: Record<LogLevel, Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Keys whose values never reach a log line, at any of the first four levels of a logged object. */
const SECRET_KEYS = ['secret', 'password', 'backendPassword', 'apiKey', 'notificationSecret', 'authorization'];

export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["proxy-authorization"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
];

/** Paths whose requests are not logged (probes and scrapes every few seconds). */
export function isQuietPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?', 1)[0];
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

/**
 * The PAN guard (ARCHITECTURE §5): every Luhn-valid 13–19 digit value in a log line is replaced. A PAN inside a
 * JSON string becomes `[REDACTED]` in place; one logged as a bare JSON number would leave invalid JSON, so such a
 * line is rebuilt from its parsed form through `sanitize` instead.
 */
export function guardLogLine(line: string): string {
  const redacted = redactPans(line);
  if (redacted === line) return line;
  try {
    JSON.parse(redacted);
    return redacted;
  } catch {
    try {
      return redactPans(JSON.stringify(sanitize(JSON.parse(line)))) + (line.endsWith('\n') ? '\n' : '');
    } catch {
      return redacted; // not JSON in the first place
    }
  }
}

/** Wraps a destination so every line written to it passes {@link guardLogLine}. */
export function panGuardedStream(destination: DestinationStream): DestinationStream {
  return { write: (line: string) => destination.write(guardLogLine(line)) };
}

/**
 * The process's root logger. `destination` defaults to synchronous stdout, so a fatal line logged right before
 * `process.exit` is not lost.
 */
export function createRootLogger(level: LogLevel, destination: DestinationStream = pino.destination({ dest: 1, sync: true })): RootLogger {
  return pino(
    {
      name: 'ingester',
      level: PINO_LEVELS[level],
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: '[REDACTED]' },
    },
    panGuardedStream(destination),
  );
}

/** Applies LOG_LEVEL to a root logger made before the configuration was read. */
export function setLogLevel(logger: RootLogger, level: LogLevel): void {
  logger.level = PINO_LEVELS[level];
}

function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
}

/** pino-http settings over a root logger. */
export function httpLoggerOptions(logger: RootLogger): HttpLoggerOptions {
  return {
    logger,
    genReqId: requestId,
    // Logs written while handling a request carry its id only; the completion line carries the request.
    quietReqLogger: true,
    autoLogging: { ignore: (req) => isQuietPath((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url) },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // The standard serializers: id, method, url, headers (redacted), remote address; the response's status and
    // headers. Neither request nor response bodies are ever logged.
  };
}

/**
 * The request logger as plain Express middleware, for `app.use` ahead of the body parsers: a request refused by
 * them (413, malformed JSON) is logged too. It sets `req.log`, which LoggingModule binds to Nest's logger.
 */
export function requestLogging(logger: RootLogger): HttpLogger {
  return pinoHttp(httpLoggerOptions(logger));
}

/** nestjs-pino settings: pino-http runs as {@link requestLogging}, so the module only binds `req.log`. */
function loggingParams(logger: RootLogger): Params {
  return { pinoHttp: { logger }, useExisting: true };
}

/** A Nest LoggerService writing through `logger` (for `NestFactory.create` and `Logger.overrideLogger`). */
export function nestLogger(logger: RootLogger): LoggerService {
  const params = loggingParams(logger);
  return new NestPinoLogger(new PinoLogger(params), params);
}

/**
 * The pino-backed Nest logger for injection, and the request context of Nest's log calls (each line logged while
 * handling a request carries its id). Needs {@link requestLogging} installed with `app.use` first.
 */
@Module({})
export class LoggingModule {
  static forRoot(logger: RootLogger): DynamicModule {
    return { module: LoggingModule, imports: [LoggerModule.forRoot(loggingParams(logger))] };
  }
}
