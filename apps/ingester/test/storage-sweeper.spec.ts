import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchedulerRegistry } from '@nestjs/schedule';
import { STORAGE_SWEEP_BATCH, StorageSweeper } from '../src/storages/storage-sweeper';
import { funnel, startCheckoutHarness, type CheckoutHarness } from './checkout-harness';

describe('storage sweeper (30 minutes after the last access, advisory-locked, batched)', () => {
  let h: CheckoutHarness;
  beforeAll(async () => {
    h = await startCheckoutHarness();
  });
  afterAll(() => h?.close());

  /** Storages rows as storage init leaves them, `minutesAgo` since the last access. */
  async function seed(prefix: string, count: number, minutesAgo: number, shopId = 'alpha'): Promise<string[]> {
    const rows = await h.sql<{ storage_id: string }>(
      `INSERT INTO storages (storage_id, shop_id, order_ident, status, initialized_at, last_access_at, expires_at)
       SELECT $1 || lpad(i::text, 6, '0'), $2, 'oi-' || i, 'active',
              now() - make_interval(mins => $3 + 5), now() - make_interval(mins => $3), now() - make_interval(mins => $3) + interval '30 minutes'
       FROM generate_series(1, $4) AS i
       RETURNING storage_id`,
      [prefix, shopId, minutesAgo, count],
    );
    return rows.map((r) => r.storage_id);
  }

  it('expires storages whose expires_at passed (with `now` injected), once each: event with livedSeconds, expired_at, funnel', async () => {
    const initialized = await h.call('POST', '/api/checkout/storages', { body: {} });
    const fresh = initialized.body['storageId'] as string;
    const [{ expires_at: expiresAt, initialized_at: initializedAt }] = await h.sql<{ expires_at: Date; initialized_at: Date }>(
      'SELECT expires_at, initialized_at FROM storages WHERE storage_id = $1',
      [fresh],
    );
    const expiredBefore = await funnel(h, 'alpha', 'storages_expired');

    // Not yet: a minute before its end nothing happens.
    expect(await h.sweeper.sweep(new Date(expiresAt.getTime() - 60_000))).toEqual({ locked: true, expired: 0 });
    // 31 minutes after the last access it is gone.
    const result = await h.sweeper.sweep(new Date(expiresAt.getTime() + 60_000));
    expect(result).toEqual({ locked: true, expired: 1 });
    const [row] = await h.sql<{ status: string; expired_at: Date }>('SELECT status, expired_at FROM storages WHERE storage_id = $1', [fresh]);
    expect(row.status).toBe('expired');
    expect(row.expired_at.toISOString()).toBe(expiresAt.toISOString());
    const events = await h.sql<{ kind: string; source: string; occurred_at: Date; payload: Record<string, unknown>; order_ident: string }>(
      `SELECT kind, source, occurred_at, payload, order_ident FROM checkout_events WHERE storage_id = $1 AND kind = 'storage.expired'`,
      [fresh],
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: 'system', order_ident: initialized.body['orderIdent'] });
    expect(events[0].occurred_at.toISOString()).toBe(expiresAt.toISOString());
    expect(events[0].payload['livedSeconds']).toBe(Math.floor((expiresAt.getTime() - initializedAt.getTime()) / 1000));
    expect(await funnel(h, 'alpha', 'storages_expired', 'UNSPECIFIED')).toBe(expiredBefore + 1);

    // A second sweep finds nothing; reading the storage answers expired without a gateway call.
    expect(await h.sweeper.sweep(new Date(expiresAt.getTime() + 120_000))).toEqual({ locked: true, expired: 0 });
    expect((await h.call('GET', `/api/checkout/storages/${fresh}`)).body['status']).toBe('expired');
  });

  it('leaves consumed storages and live ones alone; counts expiries under the storage payment type', async () => {
    const [live] = await seed('live', 1, 5);
    const [consumed] = await seed('consumed', 1, 120);
    await h.sql(`UPDATE storages SET status = 'consumed', consumed_at = now() WHERE storage_id = $1`, [consumed]);
    const [carded] = await seed('carded', 1, 45);
    await h.sql(`UPDATE storages SET payment_type = 'CCARD', payment_data_stored_at = now() - interval '44 minutes' WHERE storage_id = $1`, [carded]);
    const before = await funnel(h, 'alpha', 'storages_expired', 'CCARD');
    expect((await h.sweeper.sweep()).expired).toBe(1);
    const rows = await h.sql<{ storage_id: string; status: string }>('SELECT storage_id, status FROM storages WHERE storage_id = ANY($1) ORDER BY storage_id', [[live, consumed, carded]]);
    expect(Object.fromEntries(rows.map((r) => [r.storage_id, r.status]))).toEqual({ [live]: 'active', [consumed]: 'consumed', [carded]: 'expired' });
    expect(await funnel(h, 'alpha', 'storages_expired', 'CCARD')).toBe(before + 1);
  });

  it('two concurrent sweeps (and a blocked one) expire each storage exactly once, in batches of 500', async () => {
    const ids = await seed('many', STORAGE_SWEEP_BATCH * 2 + 37, 40);
    await seed('beta', 3, 40, 'beta');
    const expiredBefore = (await funnel(h, 'alpha', 'storages_expired')) + (await funnel(h, 'beta', 'storages_expired'));

    const results = await Promise.all([h.sweeper.sweep(), h.sweeper.sweep(), h.sweeper.sweep()]);
    const total = results.reduce((n, r) => n + r.expired, 0);
    expect(total).toBe(ids.length + 3);
    expect(results.some((r) => r.locked)).toBe(true);

    const [{ n }] = await h.sql<{ n: string }>(`SELECT count(*)::text AS n FROM storages WHERE storage_id LIKE 'many%' AND status = 'expired'`);
    expect(Number(n)).toBe(ids.length);
    const perStorage = await h.sql<{ c: string }>(
      `SELECT count(*)::text AS c FROM checkout_events WHERE kind = 'storage.expired' AND (storage_id LIKE 'many%' OR storage_id LIKE 'beta%') GROUP BY storage_id HAVING count(*) > 1`,
    );
    expect(perStorage).toEqual([]);
    const [{ events }] = await h.sql<{ events: string }>(`SELECT count(*)::text AS events FROM checkout_events WHERE kind = 'storage.expired' AND (storage_id LIKE 'many%' OR storage_id LIKE 'beta%')`);
    expect(Number(events)).toBe(ids.length + 3);
    const expiredAfter = (await funnel(h, 'alpha', 'storages_expired')) + (await funnel(h, 'beta', 'storages_expired'));
    expect(expiredAfter - expiredBefore).toBe(ids.length + 3);
  });

  it('skips the tick while another replica holds the lock', async () => {
    await seed('held', 2, 40);
    const { Client } = await import('pg');
    const other = new Client({ connectionString: h.db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock(7405338201)');
      expect(await h.sweeper.sweep()).toEqual({ locked: false, expired: 0 });
      await other.query('COMMIT');
      expect(await h.sweeper.sweep()).toEqual({ locked: true, expired: 2 });
    } finally {
      await other.end();
    }
  });

  it('is scheduled only when jobs are enabled', async () => {
    expect(h.app.get(SchedulerRegistry).doesExist('interval', StorageSweeper.JOB)).toBe(false);
    const withJobs = await startCheckoutHarness({ jobs: true });
    try {
      expect(withJobs.app.get(SchedulerRegistry).doesExist('interval', StorageSweeper.JOB)).toBe(true);
    } finally {
      await withJobs.close();
    }
  });
});
