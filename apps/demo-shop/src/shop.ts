import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { IngesterClient } from './checkout/ingester-client';
import { DEFAULT_API_KEY, DEFAULT_INGESTER_URL, DEFAULT_PORT } from './config';
import type { ShopContext } from './http/context';
import { SessionStore } from './http/sessions';

export interface DemoShopOptions {
  /** Default 3200; 0 picks a free port (tests). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The ingester's base URL; default http://127.0.0.1:3000. */
  ingesterUrl?: string;
  /** The shop's checkout API key; default the ingester's demo shop key. */
  apiKey?: string;
  /** Base URL browsers use (basket image URLs); default the listening URL. */
  publicUrl?: string;
  /** Per call to the ingester; default 20 000 ms (above the ingester's own 15 s gateway timeout). */
  ingesterTimeoutMs?: number;
  /** How long the result page polls a payment that is not final; default 60 s. */
  resultPollSeconds?: number;
  /** Sessions idle this long are forgotten; default 120 minutes. */
  sessionIdleMinutes?: number;
  /** At most this many sessions are kept (least recently used dropped); default 50 000. */
  maxSessions?: number;
  logRequests?: boolean;
  /** Receives log lines; default: silent. */
  log?: (line: string) => void;
}

export interface RunningDemoShop {
  /** Where it listens, e.g. http://127.0.0.1:43121 (no trailing slash). */
  url: string;
  publicUrl: string;
  port: number;
  sessions: SessionStore;
  close(): Promise<void>;
}

/** Starts the demo shop; resolves once it listens. */
export async function startDemoShop(options: DemoShopOptions = {}): Promise<RunningDemoShop> {
  let publicUrl = '';
  const secureCookie = (options.publicUrl ?? '').startsWith('https:');
  const sessions = new SessionStore({ idleMs: (options.sessionIdleMinutes ?? 120) * 60_000, maxSessions: options.maxSessions ?? 50_000, secureCookie });
  const ctx: ShopContext = {
    ingester: new IngesterClient(options.ingesterUrl ?? DEFAULT_INGESTER_URL, options.apiKey ?? DEFAULT_API_KEY, options.ingesterTimeoutMs ?? 20_000),
    sessions,
    publicUrl: () => publicUrl,
    resultPollMs: (options.resultPollSeconds ?? 60) * 1000,
    log: options.log ?? (() => undefined),
  };
  const app = createApp(ctx, { logRequests: options.logRequests ?? false });
  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? DEFAULT_PORT, host, (error?: Error) => (error ? reject(error) : resolve(s)));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');
  const sweeper = setInterval(() => sessions.sweep(), 60_000);
  sweeper.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    publicUrl,
    port,
    sessions,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(sweeper);
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      return closing;
    },
  };
}
