import type { Request } from 'express';

/** Methods that only read; every other method changes state and must come from our own pages. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Why a request is not provably same-origin, or null when it is. The source is Origin, else Referer's origin;
 * the target is the public base URL's origin, or this request's own (scheme and Host as received; useful
 * behind a dev proxy or on a port picked at start). A cross-site page can set neither header to our origin.
 * Missing both is refused when `required` (state-changing requests with a session).
 */
export function sameOriginProblem(req: Request, publicBaseUrl: string, required: boolean): string | null {
  const source = sourceOrigin(req);
  if (source === undefined) return required ? 'missing Origin and Referer headers' : null;
  const allowed = new Set([new URL(publicBaseUrl).origin]);
  if (req.headers.host) allowed.add(`${req.protocol}://${req.headers.host}`.toLowerCase());
  return source !== null && allowed.has(source) ? null : 'cross-origin request refused';
}

/** The request's source origin; null when present but unusable (`Origin: null`, a malformed Referer). */
function sourceOrigin(req: Request): string | null | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin === 'null' ? null : originOf(origin);
  const referer = req.headers.referer;
  return referer === undefined ? undefined : originOf(referer);
}

function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin.toLowerCase();
  } catch {
    return null;
  }
}
