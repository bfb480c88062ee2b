import type { Request } from 'express';
import { apiError } from './api-error';

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The JSON body of a checkout request: undefined when there is none, 415 when it is not JSON. The app parses
 * JSON up front (src/app.ts: express.json, 100 KB) and answers malformed or oversized bodies itself as JSON 4xx,
 * before routing; anything else (a form, text) is left unread, and refused here.
 */
export function readJsonBody(req: Request): unknown {
  if (!hasBody(req)) return undefined;
  if (!req.is('application/json')) {
    req.resume();
    throw apiError(415, 'the body must be JSON (Content-Type: application/json)');
  }
  if (req.body === undefined) throw apiError(500, 'the JSON body was not parsed');
  return req.body;
}
