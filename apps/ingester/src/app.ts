import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { DestinationStream } from 'pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import type { IngesterConfig } from './config/config';
import { type AdmissionLimit, CONFIRMATION_ADMISSION } from './confirmation/admission';
import { confirmationEndpoint, serveFirst } from './confirmation/confirmation.endpoint';
import { ConfirmationService } from './confirmation/confirmation.service';
import { runMigrations } from './database/migrate';
import { dashboardMiddleware } from './dashboard/serve-dashboard';
import { createRootLogger, LoggingModule, nestLogger, requestLogging, type RootLogger } from './observability/logging';
import { Metrics } from './observability/metrics';

export interface IngesterAppOptions {
  /** The process's root logger (main.ts makes it before the app); by default a new one on stdout at LOG_LEVEL. */
  logger?: RootLogger;
  /** Where that default logger writes (tests capture the log lines). */
  logDestination?: DestinationStream;
}

/**
 * Builds the ingester (the same app for main.ts and the tests) on a running database and applies pending
 * migrations under the advisory lock. The caller listens and closes; `app.close()` runs Nest's shutdown
 * hooks, which also close the connection pool.
 */
export async function createIngesterApp(config: IngesterConfig, databaseUrl: string, options: IngesterAppOptions = {}): Promise<INestApplication> {
  const logger = options.logger ?? createRootLogger(config.logLevel, options.logDestination);
  const appModule = AppModule.forRoot(config, databaseUrl);
  // abortOnError: false — a failed start throws to the caller instead of Nest calling process.exit.
  const app = await NestFactory.create(
    { ...appModule, imports: [LoggingModule.forRoot(logger), ...(appModule.imports ?? [])] },
    {
      logger: nestLogger(logger),
      abortOnError: false,
      // Only JSON is parsed up front; the gateway's form bodies are read raw by their own handler (dotted and
      // duplicate keys must survive exactly as sent).
      bodyParser: false,
    },
  );
  (app.getHttpAdapter().getInstance() as express.Express).set('trust proxy', config.http.trustProxyHops);
  // The gateway's confirmations go to their own handler on node:http, ahead of Express and everything below.
  serveFirst(
    app.getHttpServer() as Server,
    confirmationEndpoint({
      confirmations: app.get(ConfirmationService),
      metrics: app.get(Metrics),
      admission: app.get<AdmissionLimit>(CONFIRMATION_ADMISSION),
      logger,
      trustProxyHops: config.http.trustProxyHops,
    }),
  );
  app.use(requestLogging(logger)); // first, so requests the body parser refuses are logged too
  app.use(express.json({ limit: '100kb' }));
  app.use(jsonErrors);
  const dashboard = dashboardMiddleware(config.dashboardDir);
  if (dashboard) app.use(dashboard);
  try {
    const applied = await runMigrations(app.get(DataSource));
    new Logger('Migrations').log(applied.length ? `Applied ${applied.join(', ')}` : 'Schema is up to date');
    return app;
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** Body-parser failures (bad JSON, too large) become the same JSON error shape as every other 4xx. */
function jsonErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = error as { status?: number; type?: string; message?: string };
  if (!e || typeof e.status !== 'number' || e.status < 400 || e.status >= 500) return next(error);
  const message = e.type === 'entity.too.large' ? 'request body too large' : e.type === 'entity.parse.failed' ? 'request body is not valid JSON' : (e.message ?? 'bad request');
  res.status(e.status).json({ statusCode: e.status, error: e.status === 413 ? 'Payload Too Large' : 'Bad Request', message });
}
