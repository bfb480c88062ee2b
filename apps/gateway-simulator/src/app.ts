import express, { type ErrorRequestHandler, type Express } from 'express';
import { backendRouter } from './backend/routes';
import type { SimulatorContext } from './context';
import { controlRouter } from './control/routes';
import { dataStorageRouter } from './data-storage/routes';
import { frontendInitRouter } from './frontend/init';
import { paymentPageRouter } from './frontend/payment-page';
import { ERRORS } from './gateway-errors';
import { sendErrors } from './http/wire';

export interface AppOptions {
  /** One line per request: method, path (no query string, no body), status, duration. */
  logRequests?: boolean;
}

/** Wires the gateway's routes, the simulator's control API and /health. */
export function createApp(ctx: SimulatorContext, resetState: () => void, options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  if (options.logRequests) {
    app.use((req, res, next) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        ctx.log(`${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(1)}ms`);
      });
      next();
    });
  }

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', accounts: ctx.accounts.all().length, payments: ctx.payments.size });
  });

  app.use(dataStorageRouter(ctx));
  app.use(frontendInitRouter(ctx));
  app.use(paymentPageRouter(ctx));
  app.use(backendRouter(ctx));
  app.use(controlRouter(ctx, resetState));

  app.use((req, res) => {
    if (req.path.toLowerCase().startsWith('/seamless/')) {
      sendErrors(res, [{ errorCode: '10006', message: 'Unknown gateway endpoint.' }], { httpStatus: 404 });
      return;
    }
    res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
  });

  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    const status = typeof (err as { status?: unknown }).status === 'number' ? ((err as { status: number }).status) : 500;
    if (status >= 500) ctx.log(`error on ${req.method} ${req.path}: ${(err as Error)?.name ?? 'Error'}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (req.path.toLowerCase().startsWith('/seamless/')) {
      sendErrors(res, [status === 413 ? ERRORS.requestTooLarge : status < 500 ? ERRORS.malformedRequest : ERRORS.internalError], {
        httpStatus: status,
        backendStatus: req.path.toLowerCase().startsWith('/seamless/backend/') ? (status < 500 ? 1 : 4) : undefined,
      });
      return;
    }
    res.status(status).json({ error: status < 500 ? 'bad request (invalid JSON or body too large)' : 'internal error' });
  };
  app.use(onError);
  return app;
}
