import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { AccountRegistry, type Account } from './accounts';
import { createApp } from './app';
import { OrderBook } from './backend/order-book';
import { AdjustableClock, type Clock } from './clock';
import { ConfirmationDelivery } from './confirmation/delivery';
import type { SimulatorContext } from './context';
import { DEFAULT_STORAGE_LIFETIME_MS, StorageStore } from './data-storage/storage-store';
import { completePayment, type CompletionResult } from './frontend/complete';
import { PaymentStore, parseOutcome, type Outcome } from './frontend/payments';
import { KnobRegistry, type Knobs } from './knobs';
import { Scheduler } from './scheduler';

export interface SimulatorOptions {
  /** Default 3100; 0 picks a free port (tests). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Base URL put into javascriptUrl and redirectUrl; default http://127.0.0.1:<port>. */
  publicUrl?: string;
  /** Accounts in addition to the demo account D200001 (a configured customerId replaces the demo one). */
  accounts?: Account[];
  /** Default true. */
  includeDemoAccount?: boolean;
  /** Default: wall clock that `POST /simulator/clock/advance` can move. */
  clock?: Clock;
  /** Default 30 minutes (PROTOCOL.md §4.3). */
  storageLifetimeMs?: number;
  /** Delays of the retries after a non-OK confirmation answer; default [1000, 5000, 30000]. */
  retryScheduleMs?: number[];
  /** Per confirmation attempt; default 10 000 ms. */
  confirmationTimeoutMs?: number;
  /** Knobs in force from the start, below the global ones set over HTTP (e.g. `{ pendingDelayMs: 50 }`). */
  knobs?: Partial<Knobs>;
  /** Zone of back-end timestamps; default Europe/Vienna. */
  timeZone?: string;
  /** Default 10 000 delivery records kept. */
  maxDeliveryRecords?: number;
  /** Receives log lines (never request bodies); default: silent. */
  log?: (line: string) => void;
  logRequests?: boolean;
}

export interface RunningSimulator {
  /** Where it listens, e.g. http://127.0.0.1:43121 (no trailing slash). */
  url: string;
  /** The public base URL used in javascriptUrl / redirectUrl. */
  publicUrl: string;
  port: number;
  /** In-memory state, for assertions. */
  state: SimulatorContext;
  /** Picks the outcome of a payment (as the payment page does); answers the redirect location. */
  completePayment(sid: string, outcome: Outcome | string): Promise<CompletionResult>;
  /** Resolves when no confirmation, retry or PENDING follow-up is scheduled or running. */
  idle(): Promise<void>;
  /** Forgets all state and knobs and cancels scheduled work. */
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_PORT = 3100;
export const DEFAULT_RETRY_SCHEDULE_MS = [1000, 5000, 30000];

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const clock = options.clock ?? new AdjustableClock();
  const scheduler = new Scheduler();
  const sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let publicUrl = '';
  const log = options.log ?? (() => undefined);

  const knobs = new KnobRegistry(options.knobs ?? {});
  const ctx: SimulatorContext = {
    clock,
    accounts: new AccountRegistry(options.accounts ?? [], options.includeDemoAccount ?? true),
    storages: new StorageStore(clock, options.storageLifetimeMs ?? DEFAULT_STORAGE_LIFETIME_MS),
    payments: new PaymentStore(),
    orders: new OrderBook(clock),
    knobs,
    deliveries: new ConfirmationDelivery(scheduler, clock, {
      retryScheduleMs: options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
      timeoutMs: options.confirmationTimeoutMs ?? 10_000,
      maxRecords: options.maxDeliveryRecords ?? 10_000,
      userAgent: 'QENTA-Gateway-Simulator',
    }),
    scheduler,
    publicUrl: () => publicUrl,
    timeZone: options.timeZone ?? 'Europe/Vienna',
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const entry = { timer: setTimeout(() => (sleepers.delete(entry), resolve()), ms), resolve };
        sleepers.add(entry);
      }),
    log,
  };

  const reset = (): void => {
    scheduler.cancelAll();
    ctx.storages.clear();
    ctx.payments.clear();
    ctx.orders.clear();
    ctx.deliveries.clear();
    ctx.knobs.clear();
  };

  const app = createApp(ctx, reset, { logRequests: options.logRequests ?? false });
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? DEFAULT_PORT, host, (error?: Error) => (error ? reject(error) : resolve(s)));
    s.once('error', reject);
  });
  server.requestTimeout = 0; // the init-delay knob may hang a request on purpose
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');

  let closing: Promise<void> | undefined;
  return {
    url,
    publicUrl,
    port,
    state: ctx,
    completePayment: (sid, outcome) => {
      const payment = ctx.payments.get(sid);
      if (!payment) return Promise.reject(new Error(`unknown SID ${sid}`));
      const parsed = parseOutcome(outcome);
      if (!parsed) return Promise.reject(new Error(`unknown outcome ${outcome}`));
      return completePayment(ctx, payment, parsed, Promise.resolve());
    },
    idle: () => scheduler.idle(),
    reset,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        scheduler.close();
        ctx.deliveries.close();
        for (const s of sleepers) {
          clearTimeout(s.timer);
          s.resolve();
        }
        sleepers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
