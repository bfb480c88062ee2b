import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { EventStore } from '../src/events/event-store';
import type { PaymentNotificationMessage } from '../src/notifications/notifications.service';
import { PAYMENT_NOTIFICATION } from '../src/notifications/notifications.service';

/** A shop's notification endpoint for tests: records every request and answers as the test says. */
export interface ReceivedNotification {
  /** 1-based, in arrival order. */
  n: number;
  headers: IncomingHttpHeaders;
  /** The exact bytes received. */
  body: Buffer;
}

/** What the receiver does with the n-th request: answer with a status, or never answer ('hang'). */
export type ReceiverBehaviour = (request: ReceivedNotification) => number | 'hang' | Promise<number | 'hang'>;

export interface NotificationReceiver {
  url: string;
  received: ReceivedNotification[];
  /** Resolves with the n-th request once it has arrived. */
  nth(n: number): Promise<ReceivedNotification>;
  close(): Promise<void>;
}

export async function startNotificationReceiver(behaviour: ReceiverBehaviour = () => 200): Promise<NotificationReceiver> {
  const received: ReceivedNotification[] = [];
  const waiting = new Map<number, (r: ReceivedNotification) => void>();
  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: ReceivedNotification = { n: received.length + 1, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(request);
      waiting.get(request.n)?.(request);
      void Promise.resolve(behaviour(request)).then((answer) => {
        if (answer === 'hang') return; // the socket stays open until the client gives up or close()
        res.writeHead(answer, { 'Content-Type': 'text/plain' }).end(answer < 300 ? 'ok' : 'nope');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/seamless/notifications`,
    received,
    nth: (n) => (received[n - 1] ? Promise.resolve(received[n - 1]) : new Promise((resolve) => waiting.set(n, resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const NOTIFY_SHOP = {
  id: 'acme',
  secret: 'acme-gateway-secret-0001',
  apiKey: 'acme-shop-api-key-000000000001',
  backendPassword: 'acme-backend-password',
  notificationSecret: 'acme-notification-secret-0001',
};

/** SHOPS for the ingester's config: one shop with a notification URL and secret. */
export function notificationShopsEnv(notificationUrl: string): string {
  return JSON.stringify([
    {
      id: NOTIFY_SHOP.id,
      customerId: 'D200001',
      shopId: 'seamless',
      secret: NOTIFY_SHOP.secret,
      backendPassword: NOTIFY_SHOP.backendPassword,
      apiKey: NOTIFY_SHOP.apiKey,
      successUrl: 'http://127.0.0.1:9/ok',
      cancelUrl: 'http://127.0.0.1:9/cancel',
      failureUrl: 'http://127.0.0.1:9/failure',
      pendingUrl: 'http://127.0.0.1:9/pending',
      serviceUrl: 'http://127.0.0.1:9/service',
      notificationUrl,
      notificationSecret: NOTIFY_SHOP.notificationSecret,
    },
  ]);
}

/** Enqueues a payment notification in a committed transaction, as the confirmation path does. */
export async function enqueueNotification(
  events: EventStore,
  target: string,
  overrides: Partial<PaymentNotificationMessage> = {},
): Promise<PaymentNotificationMessage & { outboxId: string }> {
  const message: PaymentNotificationMessage = {
    event: 'payment.state_changed',
    shopId: NOTIFY_SHOP.id,
    paymentId: randomUUID(),
    orderIdent: `order-${randomUUID().slice(0, 8)}`,
    orderNumber: String(1_000_000 + Math.floor(Math.random() * 8_000_000)),
    state: 'SUCCESS',
    amount: '12.50',
    currency: 'EUR',
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
  const outboxId = await events.transaction(async (tx) => {
    await tx.enqueue(PAYMENT_NOTIFICATION, target, message);
    const [row] = await tx.query<{ id: string }>(`SELECT currval(pg_get_serial_sequence('outbox', 'id'))::text AS id`);
    return row.id;
  });
  return { ...message, outboxId };
}
