import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Cart } from '../cart/cart';
import type { Checkout } from '../checkout/checkout-state';

export const SESSION_COOKIE = 'shop_session';

export interface Session {
  id: string;
  cart: Cart;
  /** The checkout in progress (one orderIdent); replaced when the consumer starts over. */
  checkout: Checkout | null;
  /** A one-time notice for the next page ("Added to your cart"). */
  flash: string | null;
  lastSeen: number;
}

const SESSION_ID = /^[A-Za-z0-9_-]{32,64}$/;

/**
 * Server-side sessions in memory, found by a random cookie value (HttpOnly, SameSite=Lax). Idle sessions are
 * forgotten after `idleMs`; at most `maxSessions` are kept (the least recently used go first), so a flood of
 * cookie-less shoppers cannot grow the process without bound.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly options: { idleMs: number; maxSessions: number; secureCookie: boolean; now?: () => number },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** The request's session, or a new one (set as cookie) when it has none or an unknown one. */
  of(req: Request, res: Response): Session {
    const id = cookie(req, SESSION_COOKIE);
    const now = this.now();
    if (id && SESSION_ID.test(id)) {
      const found = this.sessions.get(id);
      if (found && now - found.lastSeen <= this.options.idleMs) {
        found.lastSeen = now;
        this.sessions.delete(id); // re-insert: Map order is least recently used first
        this.sessions.set(id, found);
        return found;
      }
      if (found) this.sessions.delete(id);
    }
    const session: Session = { id: randomBytes(24).toString('base64url'), cart: new Map(), checkout: null, flash: null, lastSeen: now };
    this.sessions.set(session.id, session);
    while (this.sessions.size > this.options.maxSessions) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
    const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', ...(this.options.secureCookie ? ['Secure'] : [])];
    res.append('Set-Cookie', `${SESSION_COOKIE}=${session.id}; ${attributes.join('; ')}`);
    return session;
  }

  /** Forgets sessions idle for longer than idleMs; answers how many went. */
  sweep(): number {
    const limit = this.now() - this.options.idleMs;
    let removed = 0;
    for (const [id, s] of this.sessions) {
      if (s.lastSeen >= limit) break; // LRU order: the rest are younger
      this.sessions.delete(id);
      removed++;
    }
    return removed;
  }
}

/** One cookie's value from the Cookie header (no cookie-parser dependency). */
export function cookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
