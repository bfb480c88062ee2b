import { EventEmitter } from 'node:events';
import { encodeForm, parseConfirmationResponse } from '@seamless-ops/qenta';
import type { Clock } from '../clock';
import type { Scheduler } from '../scheduler';

/** One POST of a confirmation to the merchant's confirmUrl, and what came back. */
export interface DeliveryAttempt {
  /** Unique per attempt. */
  id: number;
  /** Identifies one confirmation (all attempts of it share the number); a duplicate knob creates a second one. */
  confirmationId: number;
  sid: string;
  /** The gateway's order number for the payment (also for CANCEL/FAILURE, whose bodies do not carry it). */
  orderNumber: string;
  orderIdent?: string;
  paymentState: string;
  /** 1 = first try, 2 = first retry, … */
  attempt: number;
  url: string;
  /** The form body as posted (anonymized payment data only). */
  requestBody: string;
  /** Wall-clock time of the attempt (ISO 8601). */
  startedAt: string;
  durationMs: number;
  httpStatus: number | null;
  /** Answer body, truncated to 4 KB. */
  responseBody: string | null;
  /** true only for HTTP 200 with `result="OK"` in the body. */
  ok: boolean;
  error: string | null;
  /** Delay until the next retry, or null when no further attempt follows. */
  nextRetryInMs: number | null;
}

export interface ConfirmationToSend {
  sid: string;
  orderNumber: string;
  orderIdent?: string;
  paymentState: string;
  url: string;
  fields: ReadonlyArray<readonly [string, string]>;
}

export interface DeliveryFilter {
  orderNumber?: string;
  sid?: string;
  orderIdent?: string;
  paymentState?: string;
}

const MAX_RESPONSE_CHARS = 4096;

/** Merchant answers `<QPAY-CONFIRMATION-RESPONSE result="OK" />` (PROTOCOL.md §8.4), possibly inside a comment. */
export function isOkAnswer(httpStatus: number, body: string): boolean {
  return httpStatus === 200 && parseConfirmationResponse(body)?.result === 'OK';
}

export function matchesFilter(d: DeliveryAttempt, filter: DeliveryFilter): boolean {
  return (
    (filter.orderNumber === undefined || d.orderNumber === filter.orderNumber) &&
    (filter.sid === undefined || d.sid === filter.sid) &&
    (filter.orderIdent === undefined || d.orderIdent === filter.orderIdent) &&
    (filter.paymentState === undefined || d.paymentState === filter.paymentState)
  );
}

export interface DeliveryOptions {
  /** Delays of the retries after a non-OK answer, e.g. [1000, 5000, 30000]; empty = no retries. */
  retryScheduleMs: readonly number[];
  /** How long one attempt may take. */
  timeoutMs: number;
  /** Oldest records are dropped beyond this. */
  maxRecords: number;
  userAgent: string;
}

/**
 * Posts confirmations, retries non-OK answers on the configured schedule and records every attempt.
 * Emits `attempt` with each {@link DeliveryAttempt} once its answer (or failure) is known.
 */
export class ConfirmationDelivery extends EventEmitter<{ attempt: [DeliveryAttempt]; closed: [] }> {
  private readonly records: DeliveryAttempt[] = [];
  private nextId = 1;
  private nextConfirmationId = 1;
  private readonly aborter = new AbortController();

  constructor(
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly options: DeliveryOptions,
  ) {
    super();
    this.setMaxListeners(0);
  }

  /**
   * Starts delivering; resolves with the first attempt once it has been answered. Retries continue in the
   * background on the scheduler.
   */
  send(confirmation: ConfirmationToSend): Promise<DeliveryAttempt> {
    if (this.scheduler.isClosed) return Promise.reject(new Error('the simulator is shutting down'));
    const confirmationId = this.nextConfirmationId++;
    const body = encodeForm(confirmation.fields);
    return new Promise((resolve) => {
      this.scheduler.run(async () => {
        const first = await this.attempt(confirmation, confirmationId, body, 1);
        resolve(first);
      });
    });
  }

  private async attempt(c: ConfirmationToSend, confirmationId: number, body: string, attempt: number): Promise<DeliveryAttempt> {
    const started = Date.now();
    const startedAt = new Date(this.clock.now()).toISOString();
    let httpStatus: number | null = null;
    let responseBody: string | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(c.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': this.options.userAgent },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([this.aborter.signal, AbortSignal.timeout(this.options.timeoutMs)]),
      });
      httpStatus = res.status;
      const text = await res.text();
      responseBody = text.length > MAX_RESPONSE_CHARS ? text.slice(0, MAX_RESPONSE_CHARS) : text;
    } catch (e) {
      error = describeFetchError(e, this.options.timeoutMs);
    }
    const ok = httpStatus !== null && responseBody !== null && isOkAnswer(httpStatus, responseBody);
    const retryDelay = ok ? undefined : this.options.retryScheduleMs[attempt - 1];
    const willRetry = retryDelay !== undefined && !this.scheduler.isClosed;
    const record: DeliveryAttempt = {
      id: this.nextId++,
      confirmationId,
      sid: c.sid,
      orderNumber: c.orderNumber,
      paymentState: c.paymentState,
      attempt,
      url: c.url,
      requestBody: body,
      startedAt,
      durationMs: Date.now() - started,
      httpStatus,
      responseBody,
      ok,
      error,
      nextRetryInMs: willRetry ? (retryDelay as number) : null,
    };
    if (c.orderIdent !== undefined) record.orderIdent = c.orderIdent;
    this.records.push(record);
    if (this.records.length > this.options.maxRecords) this.records.splice(0, this.records.length - this.options.maxRecords);
    if (willRetry) this.scheduler.after(retryDelay as number, () => this.attempt(c, confirmationId, body, attempt + 1));
    this.emit('attempt', record);
    return record;
  }

  list(filter: DeliveryFilter = {}): DeliveryAttempt[] {
    return this.records.filter((d) => matchesFilter(d, filter));
  }

  /**
   * Resolves with the matching attempts once there are at least `count` of them; rejects after `timeoutMs`.
   */
  waitFor(filter: DeliveryFilter, count = 1, timeoutMs = 10_000): Promise<DeliveryAttempt[]> {
    const current = this.list(filter);
    if (current.length >= count) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const onAttempt = (d: DeliveryAttempt): void => {
        if (!matchesFilter(d, filter)) return;
        const all = this.list(filter);
        if (all.length >= count) {
          cleanup();
          resolve(all);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${count} delivery attempt(s) matching ${JSON.stringify(filter)} (have ${this.list(filter).length})`));
      }, timeoutMs);
      const onClosed = (): void => {
        cleanup();
        reject(new Error('the simulator was closed while waiting for deliveries'));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('attempt', onAttempt);
        this.off('closed', onClosed);
      };
      this.on('attempt', onAttempt);
      this.once('closed', onClosed);
    });
  }

  clear(): void {
    this.records.length = 0;
  }

  /** Aborts attempts in flight and ends pending waitFor() calls. */
  close(): void {
    this.aborter.abort();
    this.emit('closed');
  }
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  if (e instanceof Error) {
    if (e.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
    if (e.name === 'AbortError') return 'aborted (simulator shutting down)';
    const cause = (e as { cause?: unknown }).cause;
    if (cause instanceof Error) return `${e.message}: ${(cause as NodeJS.ErrnoException).code ?? cause.message}`;
    return e.message;
  }
  return String(e);
}
