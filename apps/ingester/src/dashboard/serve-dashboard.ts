import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Paths the dashboard must never shadow. */
const SERVER_PREFIXES = ['/api/', '/qenta/', '/health', '/metrics'];

/**
 * Serves the built dashboard (apps/dashboard → dist/apps/dashboard) from the ingester, so operators use one URL
 * and the session cookie stays same-origin. Client-side routes fall back to index.html. Returns false when no
 * build is there (e.g. the ingester runs alone in development; the Vite dev server proxies to it then).
 */
export function dashboardMiddleware(dir: string): express.RequestHandler | null {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return null;
  const assets = express.static(dir, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      // Vite fingerprints asset names: cache them for good; the HTML must always be fresh.
      res.setHeader('Cache-Control', path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    // Express routes match case-insensitively, so the guard must too (`/API/ops` reaches the operator API).
    const path = req.path.toLowerCase();
    if ((req.method !== 'GET' && req.method !== 'HEAD') || SERVER_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p))) return next();
    assets(req, res, () => {
      // Not a file: a client-side route (e.g. /payments/…) gets the app, unless it looks like a missing file.
      if (/\.[a-z0-9]+$/i.test(req.path)) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    });
  };
}
