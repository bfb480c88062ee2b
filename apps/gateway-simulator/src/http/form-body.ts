import type { IncomingMessage } from 'node:http';
import { decodeForm, FormDecodeError, type FormFields } from '@seamless-ops/qenta';

/** Bodies above this are refused (the gateway's limits: value ≤ 65000 characters, PROTOCOL.md §1.3). */
export const MAX_BODY_BYTES = 64 * 1024;
/** Beyond this the connection is cut instead of draining the rest of an oversized body. */
const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

export type FormBodyProblem =
  | { kind: 'content-type'; detail: string }
  | { kind: 'too-large'; detail: string }
  | { kind: 'malformed'; detail: string }
  | { kind: 'duplicate'; detail: string; names: string[] };

export type FormBodyResult = { ok: true; fields: FormFields } | { ok: false; problem: FormBodyProblem };

export function isFormContentType(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * Reads the raw body (up to {@link MAX_BODY_BYTES}); an oversized body is drained and discarded so the client
 * gets an answer instead of a reset. The body is never logged or kept: it may hold card data.
 */
export function readRawBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        if (size > DRAIN_LIMIT_BYTES) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) resolve({ body: Buffer.alloc(0), tooLarge: true });
    });
  });
}

/** Content-Type check, size limit and strict decoding (bad percent-encoding, duplicate names). */
export async function readFormBody(req: IncomingMessage): Promise<FormBodyResult> {
  if (!isFormContentType(req.headers['content-type'])) {
    // Drain so the connection stays usable.
    req.resume();
    return { ok: false, problem: { kind: 'content-type', detail: 'Content-Type must be application/x-www-form-urlencoded' } };
  }
  const { body, tooLarge } = await readRawBody(req);
  if (tooLarge) return { ok: false, problem: { kind: 'too-large', detail: `body exceeds ${MAX_BODY_BYTES} bytes` } };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  try {
    const { fields, duplicates } = decodeForm(text);
    if (duplicates.length > 0) {
      return { ok: false, problem: { kind: 'duplicate', detail: `parameter(s) sent more than once: ${duplicates.join(', ')}`, names: duplicates } };
    }
    return { ok: true, fields };
  } catch (e) {
    // FormDecodeError's own message quotes the raw input, which could be card data: never pass it on.
    if (e instanceof FormDecodeError) return { ok: false, problem: { kind: 'malformed', detail: 'malformed percent-encoding or empty parameter name' } };
    throw e;
  }
}
