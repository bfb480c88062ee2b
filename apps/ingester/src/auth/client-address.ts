import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Request } from 'express';

/**
 * The caller's address as express sees it (the socket's peer unless express's `trust proxy` says otherwise);
 * null when it is not an IP address (the columns are inet).
 */
export function clientAddress(req: Request): string | null {
  return asIp(req.ip ?? req.socket?.remoteAddress);
}

/**
 * The same for a request that bypasses express (the confirmation endpoint): the socket's peer, or with
 * `trustProxyHops` = n the address n hops back in X-Forwarded-For (express's numeric `trust proxy`).
 */
export function peerAddress(req: IncomingMessage, trustProxyHops: number): string | null {
  const peer = req.socket.remoteAddress;
  const forwarded = req.headers['x-forwarded-for'];
  if (!trustProxyHops || !forwarded) return asIp(peer);
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded).split(',').map((a) => a.trim());
  const chain = [peer, ...hops.reverse()];
  return asIp(chain[Math.min(trustProxyHops, chain.length - 1)]);
}

export function asIp(value: string | null | undefined): string | null {
  return value && isIP(value) ? value : null;
}
