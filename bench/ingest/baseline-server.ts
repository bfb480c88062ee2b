import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool } from 'pg';
import { CONFIRMATION_OK, confirmationNok, decodeForm, verifyConfirmation } from '@seamless-ops/qenta';

// The baseline of `npm run bench:ingest`: what a bare Node.js server needs to accept a confirmation safely —
// read the form body, verify the HMAC-SHA512 fingerprint, insert one row through `pg` (pool of 10) into a table
// shaped like checkout_events (same columns, constraints and indexes), answer OK after the insert. No framework,
// no payment lookup, no projections, no transaction beyond the insert's own.
//
// Env: PORT, DATABASE_URL, DB_POOL_SIZE (10), BASELINE_TABLE (bench_baseline_events), SECRET.

const port = Number(process.env['PORT'] ?? 3900);
const table = process.env['BASELINE_TABLE'] ?? 'bench_baseline_events';
const secret = process.env['SECRET'] ?? '';
const pool = new Pool({ connectionString: process.env['DATABASE_URL'], max: Number(process.env['DB_POOL_SIZE'] ?? 10) });
pool.on('error', () => undefined); // an idle client lost: the pool replaces it

const insert = `INSERT INTO ${table}
  (occurred_at, kind, source, shop_id, payment_id, order_number, payment_state, amount, currency, payment_type, payload, dedup_key, source_address)
  VALUES (now(), 'confirmation.received', 'gateway', 'demo', $1, $2, $3, $4, $5, $6, $7, $8, $9)
  ON CONFLICT (dedup_key) DO NOTHING`;

function answer(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/health') return answer(res, 200, 'ok');
  if (req.method !== 'POST' || req.url !== '/qenta/confirm') return answer(res, 404, 'not found');
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let fields: Record<string, string>;
  try {
    fields = decodeForm(Buffer.concat(chunks).toString('utf8')).fields;
  } catch {
    return answer(res, 400, confirmationNok('malformed'));
  }
  const verification = verifyConfirmation(fields, secret, { algorithm: 'hmac-sha512' });
  if (!verification.ok) return answer(res, 403, confirmationNok('confirmation rejected'));
  const { responseFingerprint, ...rest } = fields;
  try {
    await pool.query(insert, [
      fields['soPaymentId'] ?? null,
      fields['orderNumber'] ?? null,
      fields['paymentState'],
      fields['amount'] || null,
      fields['currency'] || null,
      fields['paymentType'] || null,
      JSON.stringify({ fields: rest, signed: true }),
      `confirmation:demo:${responseFingerprint.toLowerCase()}`,
      req.socket.remoteAddress ?? null,
    ]);
  } catch {
    return answer(res, 503, confirmationNok('temporarily unavailable, please retry'));
  }
  answer(res, 200, CONFIRMATION_OK);
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => answer(res, 500, 'internal error'));
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1');
const stop = () => server.close(() => void pool.end().finally(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
