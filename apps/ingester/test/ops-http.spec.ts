import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiError,
  FunnelResponse,
  MismatchListResponse,
  OverviewResponse,
  Page,
  PaymentDetailResponse,
  PaymentListItem,
  PendingResponse,
} from '@seamless-ops/contracts';
import { auditRows, expectShopScoped, loginAs, type LoggedIn } from './auth-helpers';
import { postConfirmation, signedConfirmation } from './confirmation-fixtures';
import { abandonedStorage, BETA, checkout, startOpsWorld, type CheckedOut, type OpsWorld } from './ops-fixtures';

// The operator API over HTTP with real sessions (loginAs): what the dashboard sees. The role × route matrix
// and the guard's own rules are tested in auth.spec.ts; here: answers, shop scope by id, 400s, the overview.

describe('operator API over HTTP (sessions, real PostgreSQL, data from the simulator)', () => {
  let w: OpsWorld;
  let viewer: LoggedIn;
  const alpha: CheckedOut[] = [];
  const beta: CheckedOut[] = [];

  beforeAll(async () => {
    w = await startOpsWorld();
    alpha.push(await checkout(w, { outcome: 'SUCCESS', started: true }));
    alpha.push(await checkout(w, { outcome: 'FAILURE' }));
    alpha.push(await checkout(w, { outcome: null }));
    beta.push(await checkout(w, { shop: BETA, outcome: 'SUCCESS' }));
    beta.push(await checkout(w, { shop: BETA, outcome: null }));
    await postConfirmation(w.baseUrl, signedConfirmation(alpha[0].paymentId, 'SUCCESS', {}, 'WRONGSECRETWRONGSECRETWRONGSEC'));
    await fetch(`${w.baseUrl}/qenta/return/cancel?paymentId=${beta[0].paymentId}`, { redirect: 'manual' });
    await abandonedStorage(w);
    await w.sweeper.sweep(new Date(Date.now() + 31 * 60_000));
    viewer = await loginAs(w, 'viewer');
  }, 120_000);
  afterAll(() => w?.close());

  async function json<T>(session: LoggedIn, path: string, status = 200): Promise<T> {
    const res = await session.fetch(path);
    const body = await res.text();
    expect(res.status, `${path}: ${body}`).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return JSON.parse(body) as T;
  }

  it('answers every list and view as JSON to a logged-in viewer', async () => {
    const overview = await json<OverviewResponse>(viewer, '/api/ops/overview');
    expect(overview).toMatchObject({ paymentsInitiated: 5, successes: 2, pending: 2, openMismatches: 1, openAlerts: 0, securityEvents: 1 });
    expect(overview.successRateSeries).toHaveLength(24);

    const funnel = await json<FunnelResponse>(viewer, '/api/ops/funnel?granularity=hour&shopId=alpha');
    expect(funnel.totals).toMatchObject({ checkoutsStarted: 1, paymentsInitiated: 3, successes: 1, failures: 1 });
    expect(funnel.dropOffs.stillPending).toBe(1);

    const payments = await json<Page<PaymentListItem>>(viewer, '/api/ops/payments?limit=2');
    expect(payments.items).toHaveLength(2);
    const next = await json<Page<PaymentListItem>>(viewer, `/api/ops/payments?limit=2&cursor=${payments.nextCursor}`);
    expect(next.items.map((p) => p.paymentId)).not.toContain(payments.items[0].paymentId);

    const detail = await json<PaymentDetailResponse>(viewer, `/api/ops/payments/${alpha[0].paymentId}`);
    expect(detail.timeline.map((e) => e.kind)).toEqual(['storage.initialized', 'storage.read', 'payment.initiated', 'storage.consumed', 'confirmation.received', 'consumer.returned', 'confirmation.rejected']);
    expect(detail.storage?.status).toBe('consumed');

    const pending = await json<PendingResponse>(viewer, '/api/ops/pending');
    expect(pending.items.map((p) => p.paymentId).sort()).toEqual([alpha[2].paymentId, beta[1].paymentId].sort());
    expect(pending.total).toBe(2);

    expect((await json<Page<unknown>>(viewer, '/api/ops/storages/expired')).items).toHaveLength(1);
    const mismatches = await json<MismatchListResponse>(viewer, '/api/ops/mismatches?status=open');
    expect(mismatches.items.map((m) => m.reason)).toEqual(['returned to cancel page, confirmed SUCCESS']);
    expect((await json<Page<unknown>>(viewer, '/api/ops/security-events')).items).toHaveLength(1);
    expect(await json(viewer, '/api/ops/alerts')).toEqual({ items: [], nextCursor: null });
    // The dashboard sends the global filters (from, to, shopId, paymentType) to every list.
    const globals = `from=${new Date(Date.now() - 3600_000).toISOString()}&to=${new Date(Date.now() + 3600_000).toISOString()}&shopId=alpha&paymentType=CCARD`;
    for (const path of ['/api/ops/overview', '/api/ops/funnel', '/api/ops/payments', '/api/ops/pending', '/api/ops/storages/expired', '/api/ops/mismatches', '/api/ops/security-events', '/api/ops/alerts']) {
      await json(viewer, `${path}?${globals}`);
    }
  });

  it('refuses anonymous callers (401)', async () => {
    const res = await fetch(`${w.baseUrl}/api/ops/payments`);
    expect(res.status).toBe(401);
  });

  it('a payment of another shop by id answers the 404 of an unknown one, and the audit log records the attempt', async () => {
    const { refused, allowed } = await expectShopScoped(w, w.db.url, `/api/ops/payments/${beta[0].paymentId}`, { ownerShopId: 'beta', otherShopId: 'alpha' });
    expect(refused.status).toBe(404);
    const unknown = await viewer.fetch(`/api/ops/payments/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(await refused.json()).toEqual(await unknown.json());
    expect(((await allowed.json()) as PaymentDetailResponse).paymentId).toBe(beta[0].paymentId);
    const [denied] = await auditRows(w.db.url, `action = 'access_denied' AND target = $1`, [`GET /api/ops/payments/${beta[0].paymentId}`]);
    expect(denied.detail).toMatchObject({ shopId: 'beta', answered: 404 });
    // Not a UUID: 404 as well.
    expect((await viewer.fetch('/api/ops/payments/not-a-uuid')).status).toBe(404);
  });

  it('a list asked for a shop out of scope answers 403 (audited); without shopId it shows only the own shops', async () => {
    for (const path of ['/api/ops/payments', '/api/ops/pending', '/api/ops/storages/expired', '/api/ops/mismatches', '/api/ops/security-events', '/api/ops/overview', '/api/ops/funnel']) {
      const { refused } = await expectShopScoped(w, w.db.url, `${path}?shopId=beta`, { ownerShopId: 'beta', otherShopId: 'alpha' });
      expect(refused.status, path).toBe(403);
    }
    const alphaOperator = await loginAs(w, 'operator', ['alpha']);
    const payments = await json<Page<PaymentListItem>>(alphaOperator, '/api/ops/payments');
    expect(payments.items.map((p) => p.shopId)).toEqual(['alpha', 'alpha', 'alpha']);
    expect((await json<OverviewResponse>(alphaOperator, '/api/ops/overview')).paymentsInitiated).toBe(3);
  });

  it('bad parameters answer 400 ApiError with every problem listed', async () => {
    const res = await viewer.fetch('/api/ops/payments?from=yesterday&limit=500&state=DONE&cursor=xyz&color=red');
    expect(res.status).toBe(400);
    const body = (await res.json()) as ApiError;
    expect(body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'the query has 5 problems',
      details: [
        'unknown query parameter "color"',
        'from "yesterday" is not an ISO 8601 date or date-time (e.g. 2024-05-01T10:00:00Z)',
        'state "DONE" is not one of INITIATED, PENDING, SUCCESS, CANCEL, FAILURE, INIT_FAILED, UNKNOWN',
        'cursor is not valid (pass the nextCursor of the previous page unchanged)',
        'limit must be an integer from 1 to 200',
      ],
    });
    for (const [path, message] of [
      ['/api/ops/payments?state=SUCCESS&state=FAILURE', 'state must be given once, as a string'],
      ['/api/ops/funnel?from=2024-02-01&to=2024-01-01', 'from must not be after to'],
      ['/api/ops/overview?from=2020-01-01&to=2024-01-01', 'the range from → to must be at most 400 days'],
      ['/api/ops/mismatches?status=closed', 'status "closed" is not one of open, resolved'],
    ]) {
      const answer = await viewer.fetch(path);
      expect(answer.status, path).toBe(400);
      expect(((await answer.json()) as ApiError).message, path).toBe(message);
    }
  });

  it('acknowledging an unknown alert: 404; a viewer may not (403)', async () => {
    const operator = await loginAs(w, 'operator');
    const res = await operator.fetch('/api/ops/alerts/1/ack', { method: 'POST', body: {} });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ statusCode: 404, message: 'alert not found' });
    expect((await viewer.fetch('/api/ops/alerts/1/ack', { method: 'POST', body: {} })).status).toBe(403);
  });

  it("the overview's numbers equal counts taken directly from the events", async () => {
    const overview = await json<OverviewResponse>(viewer, `/api/ops/overview?from=${new Date(Date.now() - 3600_000).toISOString()}`);
    const [events] = await w.sql<Record<string, string>>(
      `SELECT count(*) FILTER (WHERE kind = 'payment.initiated') AS initiated,
              count(DISTINCT payment_id) FILTER (WHERE kind = 'confirmation.received' AND payment_state = 'SUCCESS') AS successes,
              count(DISTINCT payment_id) FILTER (WHERE kind = 'confirmation.received' AND payment_state IN ('SUCCESS', 'CANCEL', 'FAILURE')) AS finals,
              count(*) FILTER (WHERE kind = 'confirmation.rejected') AS rejected
       FROM checkout_events WHERE occurred_at >= $1 AND occurred_at < $2`,
      [overview.from, overview.to],
    );
    expect(overview.paymentsInitiated).toBe(Number(events.initiated));
    expect(overview.successes).toBe(Number(events.successes));
    expect(overview.successRate).toBeCloseTo(Number(events.successes) / Number(events.finals), 12);
    expect(overview.securityEvents).toBe(Number(events.rejected));
    const [open] = await w.sql<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT payment_id FROM checkout_events WHERE payment_id IS NOT NULL GROUP BY payment_id
         HAVING bool_or(kind = 'payment.initiated') AND NOT bool_or(kind = 'confirmation.received' AND payment_state IN ('SUCCESS', 'CANCEL', 'FAILURE'))) p`,
    );
    expect(overview.pending).toBe(Number(open.n));
  });
});
