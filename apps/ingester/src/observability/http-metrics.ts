import type { NextFunction, Request, Response } from 'express';
import type { Metrics } from './metrics';

/**
 * Observes every HTTP request in `seamless_http_request_seconds`, labelled by the matched route pattern (e.g.
 * `GET /api/checkout/payments/:paymentId`, never the raw URL, so the label set stays small and holds no ids)
 * and status class. Requests that matched no route (404s of unknown paths) are labelled `unmatched`.
 */
export function httpMetrics(metrics: Metrics): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const stop = metrics.httpSeconds.startTimer();
    res.once('finish', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      // Nest answers unknown paths from a catch-all route; no route of ours has a wildcard.
      const route = typeof pattern === 'string' && !pattern.includes('*') ? `${req.method} ${(req.baseUrl ?? '') + pattern}` : 'unmatched';
      stop({ route, status: `${Math.floor(res.statusCode / 100)}xx` });
    });
    next();
  };
}
