import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { DAILY_TOTALS_CSV_COLUMNS, type DailyTotalsResponse, type DailyTotalsRow } from '@seamless-ops/contracts';
import { AuditService } from '../audit/audit.service';
import { clientAddress } from '../auth/client-address';
import { shopScope, type AuthenticatedOperator } from '../auth/operator-access';
import { requestTarget } from '../auth/operator-auth.guard';
import { MAX_RANGE_DAYS, QueryReader, type RawQuery } from '../ops/ops-query';
import { ShopsService } from '../shops/shops.service';
import { csvRecord } from './csv';
import { dailyTotalsSql, splitTotals, type DailyTotalsQuery, type DailyTotalsSqlRow } from './daily-totals.queries';
import { addDays, daysBetween, isCalendarDate, utcToday } from './local-days';

const PARAMETERS = ['from', 'to', 'shopId', 'currency', 'paymentType', 'format'] as const;
/** Without from/to: the last 7 days up to today (UTC). */
const DEFAULT_DAYS = 7;
/** The CSV is streamed, so it may span more than a JSON answer (MAX_RANGE_DAYS). */
export const MAX_CSV_RANGE_DAYS = 3660;
/** Rows fetched from the cursor per write. */
const CSV_BATCH = 1000;

interface ParsedQuery {
  query: DailyTotalsQuery;
  format: 'json' | 'csv';
  shopId: string | undefined;
}

/**
 * `GET /api/ops/reconciliation/daily` (issue 5 item 1): counts and exact sums per local day of the shop × shop ×
 * currency × payment type × state, from the payments projection (see REACHED_AT_SQL for which day a payment
 * counts on). JSON `{ from, to, rows, totals }`, or with `format=csv` the same rows as RFC 4180 CSV, streamed from
 * a server-side cursor and recorded in the audit log as an `export`.
 */
@Injectable()
export class DailyTotalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly shops: ShopsService,
    private readonly audit: AuditService,
  ) {}

  async respond(operator: AuthenticatedOperator, raw: RawQuery, req: Request, res: Response): Promise<void> {
    const parsed = this.parse(operator, raw);
    if (parsed.format === 'csv') return this.streamCsv(operator, parsed, req, res);
    res.json(await this.json(parsed));
  }

  private parse(operator: AuthenticatedOperator, raw: RawQuery): ParsedQuery {
    const r = new QueryReader(raw, PARAMETERS);
    const date = (key: 'from' | 'to'): string | undefined => {
      const value = r.string(key, { max: 10, pattern: /^\d{4}-\d{2}-\d{2}$/, hint: 'be a date YYYY-MM-DD' });
      if (value !== undefined && !isCalendarDate(value)) {
        r.problem(`${key} "${value}" is not a calendar date`);
        return undefined;
      }
      return value;
    };
    const fromRaw = date('from');
    const toRaw = date('to');
    const shopId = r.shopId();
    const currency = r.string('currency', { max: 3, pattern: /^[A-Za-z]{3}$/, hint: 'be a three-letter currency code, e.g. EUR' })?.toUpperCase();
    const paymentType = r.paymentType();
    const format = r.oneOf('format', ['json', 'csv'] as const) ?? 'json';
    const to = toRaw ?? (fromRaw ? addDays(fromRaw, DEFAULT_DAYS - 1) : utcToday());
    const from = fromRaw ?? addDays(to, -(DEFAULT_DAYS - 1));
    const maxDays = format === 'csv' ? MAX_CSV_RANGE_DAYS : MAX_RANGE_DAYS;
    if (daysBetween(from, to) < 0) r.problem('from must not be after to');
    else if (daysBetween(from, to) + 1 > maxDays) r.problem(`the range from → to must be at most ${maxDays} days${format === 'json' ? ' (use format=csv for longer ranges)' : ''}`);
    r.done();
    const scope = shopScope(operator, shopId);
    const zones = this.shops.shops.map((s) => ({ shopId: s.id, timeZone: s.timeZone }));
    return { query: { from, to, scope, currency, paymentType, zones }, format, shopId };
  }

  private async json(parsed: ParsedQuery): Promise<DailyTotalsResponse> {
    const { text, params } = dailyTotalsSql(parsed.query, true);
    const { rows, totals } = splitTotals((await this.dataSource.query(text, params)) as DailyTotalsSqlRow[]);
    return { from: parsed.query.from, to: parsed.query.to, rows, totals };
  }

  /**
   * Audits first (an export that cannot be recorded is not served), then streams from a cursor in a read-only
   * REPEATABLE READ transaction (one snapshot for the whole file) in batches, honouring back-pressure and stopping
   * when the client goes away. An error before the first byte is an ordinary error answer; after it, the response
   * is cut off (the client sees an incomplete transfer, never a silently short file).
   */
  private async streamCsv(operator: AuthenticatedOperator, parsed: ParsedQuery, req: Request, res: Response): Promise<void> {
    const { from, to, scope, currency, paymentType } = parsed.query;
    await this.audit.record({
      action: 'export',
      operator,
      target: requestTarget(req),
      ip: clientAddress(req),
      detail: { report: 'reconciliation/daily', format: 'csv', from, to, shopIds: scope, currency: currency ?? null, paymentType: paymentType ?? null },
    });
    const { text, params } = dailyTotalsSql(parsed.query, false);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      await runner.query(`DECLARE daily_totals_export NO SCROLL CURSOR FOR ${text}`, params);
      const fetch = (): Promise<DailyTotalsRow[]> => runner.query(`FETCH ${CSV_BATCH} FROM daily_totals_export`) as Promise<DailyTotalsRow[]>;
      let rows = await fetch();
      const filename = `reconciliation-daily_${from}_${to}${parsed.shopId ? `_${parsed.shopId}` : ''}.csv`;
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
      res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
      res.setHeader('Cache-Control', 'no-store');
      let open = await write(res, csvRecord(DAILY_TOTALS_CSV_COLUMNS.map(([header]) => header)));
      while (open && rows.length > 0) {
        open = await write(res, rows.map((row) => csvRecord(DAILY_TOTALS_CSV_COLUMNS.map(([, field]) => row[field]))).join(''));
        if (rows.length < CSV_BATCH) break;
        rows = await fetch();
      }
      await runner.commitTransaction();
      res.end();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      if (!res.headersSent) throw error;
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    } finally {
      await runner.release();
    }
  }
}

/** Writes a chunk; waits for the socket to drain when its buffer is full. False when the client went away. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(chunk)) return true;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
  return !res.destroyed;
}
