import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { CONFIRMATION_OK, confirmationNok } from '@seamless-ops/qenta';
import { peerAddress } from '../auth/client-address';
import type { RootLogger } from '../observability/logging';
import type { Metrics } from '../observability/metrics';
import type { AdmissionLimit } from './admission';
import type { ConfirmationOutcome, ConfirmationService } from './confirmation.service';
import { BodyTooLargeError, readRawBody } from './raw-body';

/** The gateway's server-to-server confirmation URL. */
export const CONFIRMATION_PATH = '/qenta/confirm';
/** Gateway limits a parameter value to 65,000 characters (PROTOCOL.md §1.3); real confirmations are a few KB. */
const BODY_LIMIT = 64 * 1024;
/** The gateway gets an answer within this, also when the database hangs: 503, never OK for something unstored. */
const ANSWER_WITHIN_MS = 4_500;
/** Shed confirmations are logged as one line per this interval, not one per request (a burst is thousands). */
const SHED_LOG_INTERVAL_MS = 10_000;

class AnswerTimeout extends Error {}

type Result = ConfirmationOutcome['result'] | 'shed' | 'unavailable';
/** Answers the gateway; `detail` goes to the log line only. */
type Answer = (status: number, result: Result, body: string, detail?: { paymentId?: string | null; reason?: string }) => void;

export interface ConfirmationEndpointDeps {
  confirmations: ConfirmationService;
  metrics: Metrics;
  admission: AdmissionLimit;
  logger: RootLogger;
  trustProxyHops: number;
}

/** A handler that takes some requests and returns false for the rest. */
export type FirstHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Gives `handler` every request before the listeners already on `server` (Express, with Nest's router behind it);
 * those get what it declines.
 */
export function serveFirst(server: Server, handler: FirstHandler): void {
  const framework = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!handler(req, res)) for (const listener of framework) listener.call(server, req, res);
  });
}

/**
 * `POST /qenta/confirm`: persist, then acknowledge. Served on node:http directly, ahead of Express and Nest (see
 * serveFirst): the gateway's busiest path pays for no framework pipeline it does not use (router, guards,
 * interceptors, per-request logging context), which cost more than the rest of a confirmation. It logs one line
 * of its own per confirmation (no headers, no body: the body is the event's payload, card-data guarded).
 */
export function confirmationEndpoint({ confirmations, metrics, admission, logger: root, trustProxyHops }: ConfirmationEndpointDeps): FirstHandler {
  const logger = root.child({ context: 'Confirmation' });
  let shedSinceLog = 0;
  let shedLogTimer: NodeJS.Timeout | undefined;
  const logShed = (): void => {
    shedSinceLog++;
    shedLogTimer ??= setTimeout(() => {
      logger.warn(`shed ${shedSinceLog} confirmation(s) in ${SHED_LOG_INTERVAL_MS / 1000} s: ${admission.limit} in flight already (answered 503, the gateway retries)`);
      shedSinceLog = 0;
      shedLogTimer = undefined;
    }, SHED_LOG_INTERVAL_MS).unref();
  };

  return (req, res) => {
    if (req.method !== 'POST' || !isConfirmationPath(req.url)) return false;
    const done = metrics.confirmationSeconds.startTimer();
    const started = performance.now();
    const from = peerAddress(req, trustProxyHops);
    const answer: Answer = (status, result, body, detail) => {
      metrics.confirmations.inc({ result });
      done({ result });
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      res.end(body);
      if (result === 'shed') return;
      const line = { result, status, ms: Math.round((performance.now() - started) * 10) / 10, ...detail };
      if (result === 'accepted' || result === 'duplicate' || result === 'orphan') logger.info(line, 'confirmation answered');
      else if (result === 'unavailable') logger.error({ ...line, from }, 'confirmation not stored');
      else logger.warn({ ...line, from }, 'confirmation refused');
    };

    // Bounded queue: beyond the limit, refuse at once (the body is drained, not buffered) rather than wait for a
    // database connection that a slow database will not give in time.
    if (!admission.tryEnter()) {
      req.resume();
      logShed();
      answer(503, 'shed', confirmationNok('too many confirmations in progress, please retry'));
      return true;
    }
    handleAdmitted(confirmations, req, from, answer)
      .catch((error: unknown) => {
        // Not expected (handleAdmitted answers every outcome); never leave the gateway without an answer.
        logger.error(`confirmation failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        if (!res.headersSent) answer(503, 'unavailable', confirmationNok('temporarily unavailable, please retry'), { reason: 'internal error' });
      })
      .finally(() => admission.leave());
    return true;
  };
}

/** The path, with or without a trailing slash or a query string (Express's non-strict routing took both). */
function isConfirmationPath(url: string | undefined): boolean {
  if (!url?.startsWith(CONFIRMATION_PATH)) return false;
  const rest = url.slice(CONFIRMATION_PATH.length);
  return rest === '' || rest === '/' || rest.startsWith('?') || rest.startsWith('/?');
}

function isFormBody(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return !!type && type.split(';', 1)[0].trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

async function handleAdmitted(confirmations: ConfirmationService, req: IncomingMessage, sourceAddress: string | null, answer: Answer): Promise<void> {
  if (!isFormBody(req)) {
    req.resume();
    return answer(415, 'malformed', confirmationNok('expected application/x-www-form-urlencoded'), { reason: `content type ${req.headers['content-type'] ?? '(none)'}` });
  }
  let body: string;
  try {
    body = await readRawBody(req, BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return answer(413, 'malformed', confirmationNok('confirmation too large'), { reason: error.message });
    return answer(400, 'malformed', confirmationNok('unreadable body'), { reason: error instanceof Error ? error.message : String(error) });
  }

  let outcome: ConfirmationOutcome;
  let timer: NodeJS.Timeout | undefined;
  const work = confirmations.handle(body, sourceAddress);
  try {
    outcome = await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AnswerTimeout()), ANSWER_WITHIN_MS);
      }),
    ]);
  } catch (error) {
    // Database down or too slow: the gateway must retry later (a late commit is then seen as a duplicate).
    const reason = error instanceof AnswerTimeout ? 'timed out' : error instanceof Error ? error.message : String(error);
    answer(503, 'unavailable', confirmationNok('temporarily unavailable, please retry'), { reason });
    // The admission slot is held until the database is done with this confirmation, so answered-but-still-waiting
    // work counts against the limit too.
    await work.catch(() => undefined);
    return;
  } finally {
    clearTimeout(timer);
  }

  switch (outcome.result) {
    case 'accepted':
    case 'duplicate':
    case 'orphan':
      return answer(200, outcome.result, CONFIRMATION_OK, { paymentId: outcome.paymentId });
    case 'rejected':
      // The reason stays in our log and the security event: a forger learns nothing from the answer.
      return answer(403, 'rejected', confirmationNok('confirmation rejected'), { reason: outcome.reason });
    case 'malformed':
      return answer(400, 'malformed', confirmationNok(`malformed confirmation: ${outcome.reason}`), { reason: outcome.reason });
  }
}
