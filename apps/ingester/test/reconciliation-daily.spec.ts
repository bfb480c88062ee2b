import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { DAILY_TOTALS_CSV_COLUMNS, type DailyTotalsResponse, type DailyTotalsRow } from '@seamless-ops/contracts';
import { AddReconciliation1795713304484, REPORTING_UP } from '../src/database/migrations/1795713304484-add-reconciliation';
import { createDataSource } from '../src/database/data-source';
import { parseCsv } from '../src/reconciliation/csv';
import { createTestDatabase } from './database';
import { auditRows, loginAs, type LoggedIn } from './auth-helpers';
import { ALPHA, BETA, insertPayment, payThrough, startReconciliationWorld, type ReconciliationWorld } from './reconciliation-harness';

// Finance reconciliation over HTTP on a real PostgreSQL: daily totals per local day of the shop (alpha:
// Europe/Vienna, beta: America/New_York), exact decimals, CSV = JSON, day boundaries across daylight-saving
// changes, the reporting views and their read-only role, roles and shop scope, the audit of exports.

function csvRows(text: string): { header: string[]; rows: DailyTotalsRow[] } {
  const [header, ...records] = parseCsv(text);
  const fields = DAILY_TOTALS_CSV_COLUMNS.map(([, field]) => field);
  const rows = records.map((r) => Object.fromEntries(r.map((v, i) => [fields[i], fields[i] === 'count' ? Number(v) : v])) as unknown as DailyTotalsRow);
  return { header: header ?? [], rows };
}

describe('daily reconciliation', () => {
  let w: ReconciliationWorld;
  let finance: LoggedIn;

  beforeAll(async () => {
    w = await startReconciliationWorld();
    finance = await loginAs(w, 'finance');
  });
  afterAll(async () => {
    await w?.closeAll();
  });

  const daily = async (as: LoggedIn, query: string): Promise<DailyTotalsResponse> => {
    const res = await as.fetch(`/api/ops/reconciliation/daily?${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as DailyTotalsResponse;
  };

  it('sums exact decimals per day, currency, payment type and state (0.10 + 0.20 = 0.30, never floats)', async () => {
    const day = '2026-05-12T10:00:00Z';
    for (const amount of ['0.10', '0.20']) await insertPayment(w, { state: 'SUCCESS', amount, initiatedAt: day, finalAt: day });
    for (const amount of ['9999999999999.99', '0.01']) await insertPayment(w, { state: 'SUCCESS', amount, currency: 'USD', initiatedAt: day, finalAt: day });
    await insertPayment(w, { state: 'SUCCESS', amount: '1500', currency: 'JPY', initiatedAt: day, finalAt: day });
    await insertPayment(w, { state: 'FAILURE', amount: '0.30', initiatedAt: day, finalAt: day });
    await insertPayment(w, { state: 'SUCCESS', amount: '5.00', paymentType: 'PAYPAL', initiatedAt: day, finalAt: day });

    const body = await daily(finance, 'from=2026-05-12&to=2026-05-12&shopId=alpha');
    const pick = (currency: string, paymentType: string, state: string) => body.rows.find((r) => r.currency === currency && r.paymentType === paymentType && r.state === state);
    expect(pick('EUR', 'CCARD', 'SUCCESS')).toMatchObject({ count: 2, sum: '0.30', localDay: '2026-05-12', timeZone: 'Europe/Vienna', shopId: 'alpha' });
    expect(pick('USD', 'CCARD', 'SUCCESS')).toMatchObject({ count: 2, sum: '10000000000000.00' });
    expect(pick('JPY', 'CCARD', 'SUCCESS')).toMatchObject({ count: 1, sum: '1500' });
    expect(pick('EUR', 'CCARD', 'FAILURE')).toMatchObject({ count: 1, sum: '0.30' });
    expect(pick('EUR', 'PAYPAL', 'SUCCESS')).toMatchObject({ count: 1, sum: '5.00' });
    for (const row of body.rows) expect(typeof row.sum).toBe('string');
    // Totals per currency and state, never across currencies.
    expect(body.totals).toEqual([
      { currency: 'EUR', state: 'FAILURE', count: 1, sum: '0.30' },
      { currency: 'EUR', state: 'SUCCESS', count: 3, sum: '5.30' },
      { currency: 'JPY', state: 'SUCCESS', count: 1, sum: '1500' },
      { currency: 'USD', state: 'SUCCESS', count: 2, sum: '10000000000000.00' },
    ]);
    // Filters.
    const usd = await daily(finance, 'from=2026-05-12&to=2026-05-12&currency=usd');
    expect(usd.rows.map((r) => r.currency)).toEqual(['USD']);
    const paypal = await daily(finance, 'from=2026-05-12&to=2026-05-12&paymentType=PAYPAL');
    expect(paypal.rows).toHaveLength(1);
    expect(paypal.totals).toEqual([{ currency: 'EUR', state: 'SUCCESS', count: 1, sum: '5.00' }]);
  });

  it('counts payments made through the checkout and the gateway on the day they reached their state', async () => {
    const ok = await payThrough(w, { amount: '12.50' });
    await payThrough(w, { amount: '7.25', outcome: 'FAILURE' });
    await payThrough(w, { amount: '3.00', outcome: null }); // stays INITIATED: counted by its initiation
    const [row] = await w.sql<{ day: string }>(`SELECT to_char((final_at AT TIME ZONE 'Europe/Vienna')::date, 'YYYY-MM-DD') AS day FROM payments WHERE id = $1`, [ok.paymentId]);
    const body = await daily(finance, `from=${row.day}&to=${row.day}&shopId=alpha`);
    const byState = Object.fromEntries(body.rows.filter((r) => r.localDay === row.day).map((r) => [r.state, r]));
    expect(byState['SUCCESS']).toMatchObject({ count: 1, sum: '12.50' });
    expect(byState['FAILURE']).toMatchObject({ count: 1, sum: '7.25' });
    expect(byState['INITIATED']).toMatchObject({ count: 1, sum: '3.00' });
  });

  it('puts payments on the right local day across the daylight-saving changes (a 23-hour and a 25-hour day)', async () => {
    // Europe/Vienna: 2026-03-29 02:00 → 03:00 (CET → CEST), 2026-10-25 03:00 → 02:00 (CEST → CET).
    const at = (iso: string, amount: string) => insertPayment(w, { state: 'SUCCESS', amount, paymentType: 'DST', initiatedAt: iso, finalAt: iso });
    await at('2026-03-28T22:30:00Z', '1.00'); // 23:30 CET, 28 March
    await at('2026-03-28T23:30:00Z', '2.00'); // 00:30 CET, 29 March
    await at('2026-03-29T21:30:00Z', '4.00'); // 23:30 CEST, 29 March
    await at('2026-03-29T22:30:00Z', '8.00'); // 00:30 CEST, 30 March
    await at('2026-10-24T21:30:00Z', '1.00'); // 23:30 CEST, 24 October
    await at('2026-10-24T22:30:00Z', '2.00'); // 00:30 CEST, 25 October
    await at('2026-10-24T23:30:00Z', '4.00'); // 01:30 CEST, 25 October
    await at('2026-10-25T22:30:00Z', '8.00'); // 23:30 CET, 25 October (its 25th hour)
    await at('2026-10-25T23:30:00Z', '16.00'); // 00:30 CET, 26 October
    // A PENDING counts by its initiation, a SUCCESS by when it became final.
    await insertPayment(w, { state: 'PENDING', amount: '32.00', paymentType: 'DST', initiatedAt: '2026-03-28T23:30:00Z' });
    await insertPayment(w, { state: 'SUCCESS', amount: '64.00', paymentType: 'DST', initiatedAt: '2026-03-28T22:30:00Z', finalAt: '2026-03-28T23:30:00Z' });

    const march = await daily(finance, 'from=2026-03-28&to=2026-03-30&paymentType=DST&shopId=alpha');
    expect(march.rows.map((r) => [r.localDay, r.state, r.count, r.sum, r.dayStartUtc, r.dayEndUtc])).toEqual([
      ['2026-03-28', 'SUCCESS', 1, '1.00', '2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z'],
      ['2026-03-29', 'PENDING', 1, '32.00', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-03-29', 'SUCCESS', 3, '70.00', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-03-30', 'SUCCESS', 1, '8.00', '2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z'],
    ]);
    const hours = (r: DailyTotalsRow) => (Date.parse(r.dayEndUtc) - Date.parse(r.dayStartUtc)) / 3_600_000;
    expect(hours(march.rows[1] as DailyTotalsRow)).toBe(23);

    const october = await daily(finance, 'from=2026-10-24&to=2026-10-26&paymentType=DST');
    expect(october.rows.map((r) => [r.localDay, r.count, r.sum, r.dayStartUtc, r.dayEndUtc])).toEqual([
      ['2026-10-24', 1, '1.00', '2026-10-23T22:00:00.000Z', '2026-10-24T22:00:00.000Z'],
      ['2026-10-25', 3, '14.00', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
      ['2026-10-26', 1, '16.00', '2026-10-25T23:00:00.000Z', '2026-10-26T23:00:00.000Z'],
    ]);
    expect(hours(october.rows[1] as DailyTotalsRow)).toBe(25);

    // America/New_York (beta): 2026-03-08 02:00 EST → 03:00 EDT.
    await insertPayment(w, { shopId: BETA.id, state: 'SUCCESS', amount: '1.00', paymentType: 'DST', initiatedAt: '2026-03-08T04:30:00Z', finalAt: '2026-03-08T04:30:00Z' });
    await insertPayment(w, { shopId: BETA.id, state: 'SUCCESS', amount: '2.00', paymentType: 'DST', initiatedAt: '2026-03-08T05:30:00Z', finalAt: '2026-03-08T05:30:00Z' });
    const ny = await daily(finance, 'from=2026-03-07&to=2026-03-08&paymentType=DST&shopId=beta');
    expect(ny.rows.map((r) => [r.localDay, r.timeZone, r.sum, r.dayStartUtc, r.dayEndUtc])).toEqual([
      ['2026-03-07', 'America/New_York', '1.00', '2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z'],
      ['2026-03-08', 'America/New_York', '2.00', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z'],
    ]);
  });

  it('exports the same rows as CSV (RFC 4180: header, CRLF, quoting), as an attachment, audited', async () => {
    const odd = 'ODD,"TYPE"';
    await insertPayment(w, { state: 'SUCCESS', amount: '2.50', paymentType: odd, initiatedAt: '2026-05-12T12:00:00Z', finalAt: '2026-05-12T12:00:00Z' });
    const query = 'from=2026-03-01&to=2026-05-31';
    const json = await daily(finance, query);
    expect(json.rows.length).toBeGreaterThan(5);

    const res = await finance.fetch(`/api/ops/reconciliation/daily?${query}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="reconciliation-daily_2026-03-01_2026-05-31.csv"');
    const text = await res.text();
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/"[^"]*(?:""[^"]*)*"/g, '').split('\r\n').every((line) => !line.includes('\n'))).toBe(true); // no bare LF
    expect(text.split('\r\n')[0]).toBe('local_day,time_zone,day_start_utc,day_end_utc,shop_id,currency,payment_type,state,count,sum');
    expect(text).toContain(',"ODD,""TYPE""",SUCCESS,1,2.50\r\n');
    const csv = csvRows(text);
    expect(csv.header).toEqual(DAILY_TOTALS_CSV_COLUMNS.map(([h]) => h));
    expect(csv.rows).toEqual(json.rows);
    expect(csv.rows.find((r) => r.paymentType === odd)).toMatchObject({ sum: '2.50', count: 1 });

    const audit = await auditRows(w.db.url, `action = 'export' AND operator_id = $1`, [finance.operator.id]);
    expect(audit).toHaveLength(1);
    expect(audit[0]?.target).toBe(`GET /api/ops/reconciliation/daily?${query}&format=csv`);
    expect(audit[0]?.detail).toMatchObject({ report: 'reconciliation/daily', format: 'csv', from: '2026-03-01', to: '2026-05-31', shopIds: null });
  });

  it('streams long ranges in batches: ten years and more rows than one fetch, equal to the reporting view', async () => {
    // 1 500 days with one payment each (beta, its own payment type), more than one cursor batch (1 000 rows).
    await w.sql(
      `INSERT INTO payments (id, shop_id, payment_type, amount, currency, state, initiated_at, final_at, created_at)
       SELECT gen_random_uuid(), 'beta', 'LONG', (g % 97)::numeric / 100 + 1, 'EUR', 'SUCCESS', t, t, t
       FROM generate_series(1, 1500) g, LATERAL (SELECT timestamptz '2020-01-01 17:00:00Z' + g * interval '1 day' AS t) x`,
    );
    const res = await finance.fetch('/api/ops/reconciliation/daily?from=2020-01-01&to=2029-12-31&paymentType=LONG&format=csv');
    expect(res.status).toBe(200);
    const csv = csvRows(await res.text());
    expect(csv.rows).toHaveLength(1500);
    const view = await w.sql<{ local_day: string; sum: string; count: number }>(
      `SELECT to_char(local_day, 'YYYY-MM-DD') AS local_day, amount_sum::text AS sum, payment_count::int AS count
       FROM reporting.daily_totals WHERE payment_type = 'LONG' ORDER BY local_day`,
    );
    expect(csv.rows.map((r) => [r.localDay, r.sum, r.count])).toEqual(view.map((v) => [v.local_day, v.sum, v.count]));
    // JSON answers are limited to 400 days.
    const tooLong = await finance.fetch('/api/ops/reconciliation/daily?from=2020-01-01&to=2029-12-31');
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { message: string }).message).toContain('use format=csv');
  });

  it('gives the reporting views the same numbers, and a read-only role that reads them and nothing else', async () => {
    const views = await w.sql<{ table_name: string }>(`SELECT table_name FROM information_schema.views WHERE table_schema = 'reporting' ORDER BY table_name`);
    expect(views.map((v) => v.table_name)).toEqual(['daily_totals', 'daily_totals_utc', 'events', 'mismatches', 'payments', 'shops']);
    const eventColumns = await w.sql<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'reporting' AND table_name = 'events'`);
    expect(eventColumns.map((c) => c.column_name)).not.toContain('payload');
    expect(eventColumns.map((c) => c.column_name)).not.toContain('source_address');
    expect(await w.sql(`SELECT shop_id, time_zone, configured FROM reporting.shops ORDER BY shop_id`)).toEqual([
      { shop_id: 'alpha', time_zone: 'Europe/Vienna', configured: true },
      { shop_id: 'beta', time_zone: 'America/New_York', configured: true },
    ]);

    const json = await daily(finance, 'from=2026-03-01&to=2026-05-31');
    const fromView = await w.sql<DailyTotalsRow>(
      `SELECT to_char(local_day, 'YYYY-MM-DD') AS "localDay", time_zone AS "timeZone",
              to_char(day_start_utc AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dayStartUtc",
              to_char(day_end_utc AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dayEndUtc",
              shop_id AS "shopId", currency::text AS currency, payment_type AS "paymentType", state, payment_count::int AS count, amount_sum::text AS sum
       FROM reporting.daily_totals WHERE local_day BETWEEN '2026-03-01' AND '2026-05-31'
       ORDER BY local_day, shop_id COLLATE "C", currency COLLATE "C", payment_type COLLATE "C", state COLLATE "C"`,
    );
    expect(fromView).toEqual(json.rows);
    const utc = await w.sql<{ n: string }>(`SELECT sum(payment_count)::text AS n FROM reporting.daily_totals_utc WHERE utc_day = '2026-03-28' AND payment_type = 'DST'`);
    expect(utc[0]?.n).toBe('4'); // 22:30Z and the three at 23:30Z on the UTC day, whatever their local day

    const [role] = await w.sql<{ rolcanlogin: boolean }>(`SELECT rolcanlogin FROM pg_roles WHERE rolname = 'seamless_reporting'`);
    expect(role?.rolcanlogin).toBe(false);
    const client = new Client({ connectionString: w.db.url });
    await client.connect();
    try {
      await client.query('SET ROLE seamless_reporting');
      for (const view of ['shops', 'payments', 'daily_totals', 'daily_totals_utc', 'mismatches', 'events']) {
        await expect(client.query(`SELECT * FROM reporting.${view} LIMIT 1`), view).resolves.toBeDefined();
      }
      for (const table of ['payments', 'checkout_events', 'mismatches', 'shops', 'operators', 'sessions', 'audit_log', 'payment_checks']) {
        await expect(client.query(`SELECT 1 FROM public.${table} LIMIT 1`), table).rejects.toMatchObject({ code: '42501' });
      }
      await expect(client.query(`DELETE FROM reporting.shops`)).rejects.toMatchObject({ code: '42501' });
      await expect(client.query(`CREATE VIEW reporting.mine AS SELECT 1`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await client.end();
    }
  });

  it('has a migration whose hand-written part can run again, and that goes down and up again', async () => {
    const db = await createTestDatabase();
    const ds = await createDataSource({ url: db.url, poolSize: 1 }).initialize();
    const runner = ds.createQueryRunner();
    try {
      for (const statement of REPORTING_UP) await runner.query(statement); // again: no error, same result
      const migration = new AddReconciliation1795713304484();
      await migration.down(runner);
      expect(await runner.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = 'reporting'`)).toEqual([]);
      await migration.up(runner);
      const grants = (await runner.query(
        `SELECT table_name FROM information_schema.role_table_grants WHERE grantee = 'seamless_reporting' AND table_schema = 'reporting' AND privilege_type = 'SELECT' ORDER BY 1`,
      )) as { table_name: string }[];
      expect(grants.map((g) => g.table_name)).toEqual(['daily_totals', 'daily_totals_utc', 'events', 'mismatches', 'payments', 'shops']);
    } finally {
      await runner.release();
      await ds.destroy();
      await db.drop();
    }
  });

  it('is for finance and admin only, within their shops', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const as = await loginAs(w, role);
      expect((await as.fetch('/api/ops/reconciliation/daily')).status, role).toBe(403);
      expect((await as.fetch('/api/ops/reconciliation/daily?format=csv')).status, role).toBe(403);
    }
    const admin = await loginAs(w, 'admin');
    expect((await admin.fetch('/api/ops/reconciliation/daily')).status).toBe(200);

    const betaFinance = await loginAs(w, 'finance', [BETA.id]);
    const own = await daily(betaFinance, 'from=2026-03-01&to=2026-05-31');
    expect(new Set(own.rows.map((r) => r.shopId))).toEqual(new Set([BETA.id]));
    const other = await betaFinance.fetch(`/api/ops/reconciliation/daily?shopId=${ALPHA.id}&format=csv`);
    expect(other.status).toBe(403);
    const denied = await auditRows(w.db.url, `action = 'access_denied' AND operator_id = $1`, [betaFinance.operator.id]);
    expect(denied.length).toBe(1);
    const exported = await auditRows(w.db.url, `action = 'export' AND operator_id = $1`, [betaFinance.operator.id]);
    expect(exported).toHaveLength(0); // refused before anything was exported
  });

  it('answers 400 with the reasons for bad queries', async () => {
    const bad = async (query: string, message: RegExp) => {
      const res = await finance.fetch(`/api/ops/reconciliation/daily?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { message: string; details?: string[] };
      expect([body.message, ...(body.details ?? [])].join(' | '), query).toMatch(message);
    };
    await bad('from=2026-02-30', /not a calendar date/);
    await bad('from=2026-3-1', /YYYY-MM-DD/);
    await bad('from=2026-03-02&to=2026-03-01', /from must not be after to/);
    await bad('currency=EURO', /currency/);
    await bad('format=xlsx', /format/);
    await bad('limit=5', /unknown query parameter "limit"/);
  });
});
