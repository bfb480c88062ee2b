import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FunnelCounts, FunnelGranularity, FunnelResponse, OverviewResponse } from '@seamless-ops/contracts';
import { shopScope, type AuthenticatedOperator } from '../../auth/operator-access';
import { countLiveAlerts } from '../alerts/alerts.queries';
import { openMismatchesByKind } from '../mismatches/mismatches.queries';
import { QueryReader, type HourRange, type RawQuery } from '../ops-query';
import { count } from '../ops-sql';
import { countPending } from '../pending/pending.queries';
import { countSecurityEvents } from '../security/security-events.queries';
import { addCounts, emptyCounts, funnelBuckets } from './funnel.queries';

const FUNNEL_PARAMETERS = ['granularity', 'from', 'to', 'shopId', 'paymentType'] as const;
const OVERVIEW_PARAMETERS = ['from', 'to', 'shopId', 'paymentType'] as const;

/** Ranges up to this long are shown per hour, longer ones per day. */
const HOURLY_UP_TO_MS = 48 * 3_600_000;

/**
 * `GET /api/ops/funnel` and `GET /api/ops/overview`, from the funnel rollup and the projections (never from
 * checkout_events, except counting security events by their index).
 *
 * Ranges: the last 24 hours by default; from/to are widened to whole UTC hours (the rollup's resolution) and
 * answered as widened, so both routes count exactly the events that occurred in [from, to). Day buckets are
 * UTC days; the merchant's time zone comes with reconciliation.
 */
@Injectable()
export class FunnelService {
  constructor(private readonly dataSource: DataSource) {}

  async funnel(operator: AuthenticatedOperator, query: RawQuery, now: Date = new Date()): Promise<FunnelResponse> {
    const r = new QueryReader(query, FUNNEL_PARAMETERS);
    const requested = r.oneOf<FunnelGranularity>('granularity', ['hour', 'day']);
    const range = r.hourRange(now);
    const shopId = r.shopId();
    const paymentType = r.paymentType();
    r.done();
    const scope = shopScope(operator, shopId);
    const granularity = requested ?? defaultGranularity(range);
    const [buckets, stillPending] = await Promise.all([
      funnelBuckets(this.dataSource, { scope, range, paymentType }, granularity),
      // Payments initiated in the range that are still not final now.
      countPending(this.dataSource, { scope, paymentType, range }),
    ]);
    const totals = buckets.reduce<FunnelCounts>((sum, b) => addCounts(sum, b), emptyCounts());
    return {
      granularity,
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      buckets: buckets.map(({ bucket, ...counts }) => ({ bucket: bucket.toISOString(), ...counts })),
      totals,
      dropOffs: {
        storageExpired: totals.storagesExpired,
        initFailed: totals.initFailures,
        cancelled: totals.cancels,
        failed: totals.failures,
        stillPending,
      },
      conversion: conversion(totals),
      successRate: successRate(totals),
    };
  }

  async overview(operator: AuthenticatedOperator, query: RawQuery, now: Date = new Date()): Promise<OverviewResponse> {
    const r = new QueryReader(query, OVERVIEW_PARAMETERS);
    const range = r.hourRange(now);
    const shopId = r.shopId();
    const paymentType = r.paymentType();
    r.done();
    const scope = shopScope(operator, shopId);
    const [buckets, pending, openByKind, securityEvents, openAlerts] = await Promise.all([
      funnelBuckets(this.dataSource, { scope, range, paymentType }, defaultGranularity(range)),
      // Pending and open mismatches are what stands now, whatever the range.
      countPending(this.dataSource, { scope, paymentType, range: {} }),
      openMismatchesByKind(this.dataSource, { scope, range: {}, paymentType }),
      // Rejected confirmations carry no trustworthy payment type: counted per shop and range only.
      countSecurityEvents(this.dataSource, { scope, range }),
      countLiveAlerts(this.dataSource, scope),
    ]);
    const totals = buckets.reduce<FunnelCounts>((sum, b) => addCounts(sum, b), emptyCounts());
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      conversion: conversion(totals),
      successRate: successRate(totals),
      paymentsInitiated: totals.paymentsInitiated,
      successes: totals.successes,
      pending,
      openMismatches: openByKind.reduce((sum, k) => sum + count(k.open), 0),
      openAlerts,
      securityEvents,
      successRateSeries: buckets.map((b) => ({ bucket: b.bucket.toISOString(), successRate: successRate(b), finals: finals(b) })),
    };
  }
}

function defaultGranularity(range: HourRange): FunnelGranularity {
  return range.to.getTime() - range.from.getTime() > HOURLY_UP_TO_MS ? 'day' : 'hour';
}

const finals = (c: FunnelCounts): number => c.successes + c.cancels + c.failures;

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** successes / final outcomes. */
export const successRate = (c: FunnelCounts): number | null => ratio(c.successes, finals(c));

/** successes / checkouts started, or / payments initiated when the shop reports no checkout starts. */
export const conversion = (c: FunnelCounts): number | null => ratio(c.successes, c.checkoutsStarted > 0 ? c.checkoutsStarted : c.paymentsInitiated);
