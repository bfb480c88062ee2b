import type { Request, Response } from 'express';
import type { IngesterClient } from '../checkout/ingester-client';
import { IngesterError } from '../checkout/ingester-client';
import { errorPage } from '../pages/info.pages';
import type { Session, SessionStore } from './sessions';
import { cartTotals } from '../cart/cart';

/** What every route needs. */
export interface ShopContext {
  ingester: IngesterClient;
  sessions: SessionStore;
  /** Base URL browsers use for the shop (no trailing slash). */
  publicUrl(): string;
  /** How long the result page keeps polling a payment that is not final. */
  resultPollMs: number;
  log(line: string): void;
}

export const DEFAULT_CSP: Record<string, string> = {
  'default-src': "'self'",
  'img-src': "'self' data:",
  'style-src': "'self'",
  'script-src': "'self'",
  'connect-src': "'self'",
  'frame-ancestors': "'self'",
  'base-uri': "'none'",
  'object-src': "'none'",
};

export function setCsp(res: Response, extra: Record<string, string> = {}): void {
  const directives = { ...DEFAULT_CSP };
  for (const [k, v] of Object.entries(extra)) directives[k] = directives[k] ? `${directives[k]} ${v}` : v;
  res.setHeader('Content-Security-Policy', Object.entries(directives).map(([k, v]) => `${k} ${v}`).join('; '));
}

export function sendHtml(res: Response, body: string, status = 200): void {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store').send(body);
}

/** 303 See Other: the browser follows with a GET. */
export function redirect(res: Response, location: string): void {
  res.redirect(303, location);
}

export function cartCount(session: Session): number {
  return cartTotals(session.cart).itemCount;
}

/**
 * An error page for a checkout step the ingester refused or could not do: its status and message are shown
 * as given. 409 (already used) and 410 (expired) keep their meaning; every other refusal is a 502 for the
 * browser (the shop's upstream failed), and an unreachable ingester a 503.
 */
export function sendIngesterError(res: Response, session: Session, error: IngesterError, what: string): void {
  const status = error.status === 0 ? 503 : error.status === 409 || error.status === 410 ? error.status : 502;
  sendHtml(
    res,
    errorPage({
      status,
      title: error.status === 0 ? 'The payment service is not reachable' : 'The payment service refused this step',
      message: `We could not ${what}. Nothing was charged. Please try again in a moment.`,
      upstream: { status: error.status, message: error.message, details: error.details },
      cartCount: cartCount(session),
    }),
    status,
  );
}

/** Runs a checkout step; an IngesterError becomes the error page, anything else goes to Express's handler. */
export async function ingesterStep(res: Response, session: Session, what: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (error instanceof IngesterError) return sendIngesterError(res, session, error, what);
    throw error;
  }
}

/** The consumer's address as the ingester expects it (IPv4-mapped IPv6 unwrapped). */
export function consumerIp(req: Request): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export function formText(req: Request, name: string): string {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const v = body[name];
  return typeof v === 'string' ? v : '';
}
