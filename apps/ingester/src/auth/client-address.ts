import { isIP } from 'node:net';
import type { Request } from 'express';

/**
 * The caller's address as express sees it (the socket's peer unless express's `trust proxy` says otherwise);
 * null when it is not an IP address (the columns are inet).
 */
export function clientAddress(req: Request): string | null {
  return asIp(req.ip ?? req.socket?.remoteAddress);
}

export function asIp(value: string | null | undefined): string | null {
  return value && isIP(value) ? value : null;
}
