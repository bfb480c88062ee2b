import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { EventStore } from '../src/events/event-store';
import { Metrics } from '../src/observability/metrics';
import { ShopsService } from '../src/shops/shops.service';
import { DEFAULT_NOTIFICATION_OPTIONS, type NotificationOptions } from '../src/notifications/notification-options';
import { verifyNotificationSignature } from '../src/notifications/notification-signature';
import { NotificationsService } from '../src/notifications/notifications.service';
import { startTestApp, testConfig, type TestApp } from './app';
import { createTestDatabase, type TestDatabase } from './database';
import {
  enqueueNotification,
  notificationShopsEnv,
  NOTIFY_SHOP,
  startNotificationReceiver,
  type NotificationReceiver,
  type ReceiverBehaviour,
} from './notifications-receiver';

interface OutboxRow {
  id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  sent_at: Date | null;
}

interface EventRow {
  kind: string;
  shop_id: string | null;
  payment_id: string | null;
  occurred_at: Date;
  payload: Record<string, unknown>;
}

describe('outbound shop notifications', () => {
  let db: TestDatabase;
  let ingester: TestApp;
  let dataSource: DataSource;
  let events: EventStore;
  const receivers: NotificationReceiver[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    ingester = await startTestApp(db.url, testConfig({ LOG_LEVEL: 'fatal', JOBS: 'off', SHOPS: notificationShopsEnv('http://127.0.0.1:9/unused') }));
    dataSource = ingester.app.get(DataSource);
    events = ingester.app.get(EventStore);
  });

  // Each test starts with nothing due: a row left pending by one test must not be claimed by the next.
  afterEach(async () => {
    await dataSource.query(`DELETE FROM outbox WHERE status = 'pending'`);
  });

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await ingester?.close();
    await db?.drop();
  });

  async function receiver(behaviour?: ReceiverBehaviour): Promise<NotificationReceiver> {
    const r = await startNotificationReceiver(behaviour);
    receivers.push(r);
    return r;
  }

  /** A worker of its own (as another replica would have) on the app's database, shops and metrics. */
  function worker(options: Partial<NotificationOptions> = {}, app: TestApp = ingester): NotificationsService {
    return new NotificationsService(app.app.get(DataSource), app.app.get(EventStore), app.app.get(ShopsService), app.app.get(Metrics), {
      ...DEFAULT_NOTIFICATION_OPTIONS,
      ...options,
    });
  }

  async function outbox(id: string): Promise<OutboxRow> {
    const [row] = await dataSource.query(`SELECT id, status, attempts, next_attempt_at, last_error, sent_at FROM outbox WHERE id = $1`, [id]);
    return row;
  }

  async function notificationEvents(outboxId: string): Promise<EventRow[]> {
    return dataSource.query(
      `SELECT kind, shop_id, payment_id, occurred_at, payload FROM checkout_events
        WHERE kind IN ('notification.sent', 'notification.failed') AND payload->>'outboxId' = $1
        ORDER BY (payload->>'attempt')::int`,
      [outboxId],
    );
  }

  it('delivers a notification enqueued in a committed transaction, signed with the shop’s notification secret', async () => {
    const shop = await receiver(() => 200);
    const sentBefore = ingester.app.get(Metrics).notifications.get({ result: 'sent' });
    const message = await enqueueNotification(events, shop.url);

    const result = await ingester.app.get(NotificationsService).processDue();

    expect(result).toMatchObject({ claimed: 1, sent: 1, retried: 0, failed: 0, unrecorded: 0 });
    expect(shop.received).toHaveLength(1);
    const [request] = shop.received;
    const signature = request.headers['x-seamless-signature'] as string;
    expect(verifyNotificationSignature(NOTIFY_SHOP.notificationSecret, signature, request.body)).toBe(true);
    expect(verifyNotificationSignature(NOTIFY_SHOP.secret, signature, request.body)).toBe(false);
    expect(verifyNotificationSignature(NOTIFY_SHOP.notificationSecret, signature, Buffer.concat([request.body, Buffer.from(' ')]))).toBe(false);
    expect(signature).toMatch(new RegExp(`^t=${request.headers['x-seamless-timestamp']},v1=[0-9a-f]{64}$`));
    expect(request.headers['x-seamless-delivery']).toBe(message.outboxId);
    expect(request.headers['x-seamless-attempt']).toBe('1');
    expect(request.headers['content-type']).toBe('application/json');

    // The body is the PaymentNotification: no routing key, and no secret anywhere in what the shop receives.
    const { shopId: _shopId, outboxId: _outboxId, ...expected } = message;
    expect(JSON.parse(request.body.toString('utf8'))).toEqual(expected);
    const wire = JSON.stringify(request.headers) + request.body.toString('utf8');
    for (const secret of [NOTIFY_SHOP.notificationSecret, NOTIFY_SHOP.secret, NOTIFY_SHOP.apiKey, NOTIFY_SHOP.backendPassword]) {
      expect(wire).not.toContain(secret);
    }

    const row = await outbox(message.outboxId);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(row.sent_at).toBeInstanceOf(Date);
    const [sent, ...more] = await notificationEvents(message.outboxId);
    expect(more).toEqual([]);
    expect(sent).toMatchObject({ kind: 'notification.sent', shop_id: NOTIFY_SHOP.id, payment_id: message.paymentId });
    expect(sent.payload).toMatchObject({ outboxId: message.outboxId, attempt: 1, httpStatus: 200 });
    expect(typeof sent.payload['durationMs']).toBe('number');
    expect(ingester.app.get(Metrics).notifications.get({ result: 'sent' })).toBe(sentBefore + 1);

    // Nothing more is due: a second run sends nothing.
    expect(await ingester.app.get(NotificationsService).processDue()).toMatchObject({ claimed: 0 });
    expect(shop.received).toHaveLength(1);
  });

  it('never sends a notification whose transaction rolled back', async () => {
    const shop = await receiver(() => 200);
    await expect(
      events.transaction(async (tx) => {
        await tx.enqueue('payment.notification', shop.url, { event: 'payment.state_changed', shopId: NOTIFY_SHOP.id });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await worker().processDue()).toMatchObject({ claimed: 0 });
    expect(shop.received).toHaveLength(0);
  });

  it('retries with backoff: 500, then a timeout, then delivered on the 3rd attempt, each attempt recorded', async () => {
    const answers: (number | 'hang')[] = [500, 'hang', 204];
    const shop = await receiver((request) => answers[request.n - 1]);
    // random 0.75 → jitter factor 1 + 0.2 × (2 × 0.75 − 1) = 1.1, so the delays are exactly 11 s and 33 s.
    const notifications = worker({ timeoutMs: 300, random: () => 0.75 });
    const message = await enqueueNotification(events, shop.url);
    const t0 = new Date(Date.now() + 1_000);

    expect(await notifications.processDue(t0)).toMatchObject({ claimed: 1, retried: 1 });
    let row = await outbox(message.outboxId);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 500' });
    expect(row.next_attempt_at.getTime()).toBe(t0.getTime() + 11_000);

    // Not due before the backoff has passed.
    expect(await notifications.processDue(new Date(t0.getTime() + 10_999))).toMatchObject({ claimed: 0 });
    expect(shop.received).toHaveLength(1);

    const t1 = new Date(t0.getTime() + 11_000);
    expect(await notifications.processDue(t1)).toMatchObject({ claimed: 1, retried: 1 });
    row = await outbox(message.outboxId);
    expect(row).toMatchObject({ status: 'pending', attempts: 2, last_error: 'timeout after 300 ms' });
    expect(row.next_attempt_at.getTime()).toBe(t1.getTime() + 33_000);

    const t2 = new Date(t1.getTime() + 33_000);
    expect(await notifications.processDue(t2)).toMatchObject({ claimed: 1, sent: 1 });
    row = await outbox(message.outboxId);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, last_error: null });

    expect(shop.received.map((r) => r.headers['x-seamless-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(shop.received.map((r) => r.headers['x-seamless-delivery']))).toEqual(new Set([message.outboxId]));
    for (const r of shop.received) {
      expect(verifyNotificationSignature(NOTIFY_SHOP.notificationSecret, r.headers['x-seamless-signature'] as string, r.body)).toBe(true);
    }

    const history = await notificationEvents(message.outboxId);
    expect(history.map((e) => [e.kind, e.payload['attempt'], e.payload['httpStatus'], e.payload['final'] ?? null])).toEqual([
      ['notification.failed', 1, 500, false],
      ['notification.failed', 2, null, false],
      ['notification.sent', 3, 204, null],
    ]);
    expect(history[0].payload).toMatchObject({ error: 'HTTP 500', nextAttemptAt: new Date(t0.getTime() + 11_000).toISOString() });
    expect(history[1].payload).toMatchObject({ error: 'timeout after 300 ms', nextAttemptAt: t2.toISOString() });
    expect(history.map((e) => e.occurred_at.getTime())).toEqual([t0.getTime(), t1.getTime(), t2.getTime()]);
    expect(history.every((e) => e.shop_id === NOTIFY_SHOP.id && e.payment_id === message.paymentId)).toBe(true);
  });

  it('applies the default schedule with jitter inside ±20 %', async () => {
    const shop = await receiver(() => 503);
    const notifications = worker();
    const message = await enqueueNotification(events, shop.url);
    let now = new Date(Date.now() + 1_000);
    for (const base of [10_000, 30_000, 120_000, 600_000]) {
      expect(await notifications.processDue(now)).toMatchObject({ claimed: 1, retried: 1 });
      const row = await outbox(message.outboxId);
      const delay = row.next_attempt_at.getTime() - now.getTime();
      expect(delay).toBeGreaterThanOrEqual(base * 0.8);
      expect(delay).toBeLessThanOrEqual(base * 1.2);
      now = row.next_attempt_at;
    }
  });

  it('gives up after maxAttempts: status failed, a final notification.failed event, visible to operators', async () => {
    const shop = await receiver(() => 503);
    const failedBefore = ingester.app.get(Metrics).notifications.get({ result: 'failed' });
    const notifications = worker({ maxAttempts: 3, random: () => 0.5 });
    const message = await enqueueNotification(events, shop.url);
    let now = new Date(Date.now() + 1_000);
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(await notifications.processDue(now)).toMatchObject({ claimed: 1, ...(attempt < 3 ? { retried: 1 } : { failed: 1 }) });
      now = new Date(now.getTime() + 24 * 3600_000); // far past any backoff
    }
    expect(await notifications.processDue(now)).toMatchObject({ claimed: 0 });
    expect(shop.received).toHaveLength(3);

    expect(await outbox(message.outboxId)).toMatchObject({ status: 'failed', attempts: 3, last_error: 'HTTP 503' });
    const history = await notificationEvents(message.outboxId);
    expect(history.map((e) => [e.kind, e.payload['attempt'], e.payload['final']])).toEqual([
      ['notification.failed', 1, false],
      ['notification.failed', 2, false],
      ['notification.failed', 3, true],
    ]);
    expect(history[2].payload['nextAttemptAt']).toBeNull();
    expect(ingester.app.get(Metrics).notifications.get({ result: 'failed' })).toBe(failedBefore + 1);

    const failed = await notifications.failedNotifications();
    const mine = failed.find((f) => f.id === message.outboxId);
    expect(mine).toEqual({
      id: message.outboxId,
      kind: 'payment.notification',
      shopId: NOTIFY_SHOP.id,
      paymentId: message.paymentId,
      orderNumber: message.orderNumber,
      target: shop.url,
      attempts: 3,
      lastError: 'HTTP 503',
      createdAt: expect.any(String),
      failedAt: history[2].occurred_at.toISOString(),
    });
    expect((await notifications.failedNotifications([NOTIFY_SHOP.id])).map((f) => f.id)).toContain(message.outboxId);
    expect(await notifications.failedNotifications(['another-shop'])).toEqual([]);
  });

  it('retries a notification for a shop without a notification secret on the normal schedule', async () => {
    const shop = await receiver(() => 200);
    const message = await enqueueNotification(events, shop.url, { shopId: 'unknown-shop' });
    expect(await worker().processDue(new Date(Date.now() + 1_000))).toMatchObject({ claimed: 1, retried: 1 });
    expect(shop.received).toHaveLength(0);
    expect(await outbox(message.outboxId)).toMatchObject({ status: 'pending', attempts: 1, last_error: 'unknown shop "unknown-shop"' });
  });

  it('two replicas working at once deliver each notification exactly once', async () => {
    // A second ingester on the same database: its own pool, its own worker.
    const replica = await startTestApp(db.url, testConfig({ LOG_LEVEL: 'fatal', JOBS: 'off', SHOPS: notificationShopsEnv('http://127.0.0.1:9/unused') }));
    try {
      // Answers wait for the next macrotask so sends of both workers overlap.
      const shop = await receiver(() => new Promise((resolve) => setImmediate(() => resolve(200))));
      const messages = await Promise.all(Array.from({ length: 40 }, () => enqueueNotification(events, shop.url)));
      const now = new Date(Date.now() + 1_000);
      const workers = [worker({ batchSize: 3, maxBatchesPerRun: 100 }), worker({ batchSize: 3, maxBatchesPerRun: 100 }, replica)];
      const results = await Promise.all([...workers, ...workers].map((w) => w.processDue(now)));

      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(40);
      expect(results.reduce((n, r) => n + r.claimed, 0)).toBe(40);
      expect(results.filter((r) => r.sent > 0).length).toBeGreaterThan(1);
      const deliveries = shop.received.map((r) => r.headers['x-seamless-delivery']);
      expect(deliveries).toHaveLength(40);
      expect(new Set(deliveries)).toEqual(new Set(messages.map((m) => m.outboxId)));

      const ids = messages.map((m) => m.outboxId);
      const rows: { status: string; attempts: number; n: string }[] = await dataSource.query(
        `SELECT status, attempts, count(*)::text AS n FROM outbox WHERE id = ANY($1::bigint[]) GROUP BY status, attempts`,
        [ids],
      );
      expect(rows).toEqual([{ status: 'sent', attempts: 1, n: '40' }]);
      const [{ n }] = await dataSource.query(
        `SELECT count(*)::int AS n FROM checkout_events WHERE kind = 'notification.sent' AND payload->>'outboxId' = ANY($1::text[])`,
        [ids],
      );
      expect(n).toBe(40);
    } finally {
      await replica.close();
    }
  });

  it('does not send a row another worker holds, and drops the outcome of an attempt whose claim was taken over', async () => {
    let release!: () => void;
    const held = new Promise<number>((resolve) => (release = () => resolve(200)));
    const shop = await receiver((request) => (request.n === 1 ? held : 200));
    const message = await enqueueNotification(events, shop.url);
    const now = new Date(Date.now() + 1_000);
    const lease = 2_000;
    const first = worker({ leaseMs: lease }).processDue(now);
    await shop.nth(1);

    // While the first worker waits for the shop, the row is leased: another worker finds nothing due.
    expect(await worker({ leaseMs: lease }).processDue(new Date(now.getTime() + lease - 1))).toMatchObject({ claimed: 0 });
    // After the lease a second worker takes it over and delivers it.
    expect(await worker({ leaseMs: lease }).processDue(new Date(now.getTime() + lease))).toMatchObject({ claimed: 1, sent: 1 });
    // The first worker's late answer no longer counts.
    release();
    expect(await first).toMatchObject({ claimed: 1, sent: 0, unrecorded: 1 });

    expect(await outbox(message.outboxId)).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await notificationEvents(message.outboxId)).map((e) => e.kind)).toEqual(['notification.sent']);
  });

  it('the background job delivers on its own when jobs are on', async () => {
    const shop = await receiver(() => 200);
    const withJobs = await startTestApp(db.url, testConfig({ LOG_LEVEL: 'fatal', JOBS: 'on', SHOPS: notificationShopsEnv('http://127.0.0.1:9/unused') }));
    try {
      const message = await enqueueNotification(withJobs.app.get(EventStore), shop.url);
      const request = await shop.nth(1); // the job ticks every second; the test's timeout bounds the wait
      expect(request.headers['x-seamless-delivery']).toBe(message.outboxId);
    } finally {
      await withJobs.close();
    }
    const [row] = await dataSource.query(`SELECT status FROM outbox WHERE status = 'pending' AND target = $1`, [shop.url]);
    expect(row).toBeUndefined();
  });
});
