import type { AlertSeverity, MismatchKind } from '@seamless-ops/contracts';
import { UNSPECIFIED_PAYMENT_TYPE } from '../database/enums';
import type { Sql } from '../ops/ops-sql';
import {
  countBaseline,
  DAY_MS,
  duration,
  hourBuckets,
  lastMinutes,
  minutesText,
  percent,
  previousDays,
  rateBaseline,
  rateDrop,
  ratioAbove,
  ratioSpike,
  silence,
  type RatioSample,
  type Window,
} from './baseline';

// The anomaly rules (issue 5, ARCHITECTURE §4 "Alerts"; PROTOCOL §12 suggested alarms). Each rule reads the
// projections (payments, storages, mismatches), the hourly funnel rollup (summed over its shards) or, for
// rejected confirmations only, checkout_events by its (kind, occurred_at) index — and reports the scopes for
// which its condition holds now. The runner (alert-runner.ts) turns findings into alerts: a new scope opens
// one, a scope no longer reported resolves it. Every threshold is a setting (alerts.config.ts reads them from
// ALERT_<RULE>_<SETTING>); the baseline arithmetic lives in baseline.ts.

export type SettingUnit = 'minutes' | 'seconds' | 'percent' | 'count' | 'days';

export interface SettingSpec {
  default: number;
  min: number;
  max: number;
  unit: SettingUnit;
  description: string;
}

/** What a rule found for one scope. */
export interface Finding {
  /** `shop=demo,paymentType=CCARD`, `shop=demo` or `global` (see {@link scopeOf}). */
  scope: string;
  shopId: string | null;
  paymentType: string | null;
  summary: string;
  /** The figures that tripped it. */
  detail: Record<string, unknown>;
}

export interface RuleContext<K extends string = string> {
  sql: Sql;
  /** The evaluated instant (the runner's clock; tests pass it). */
  now: Date;
  settings: Readonly<Record<K, number>>;
}

export interface AlertRuleDefinition<K extends string = string> {
  id: string;
  title: string;
  description: string;
  severity: AlertSeverity;
  settings: Readonly<Record<K, SettingSpec>>;
  evaluate(ctx: RuleContext<K>): Promise<Finding[]>;
}

function defineRule<K extends string>(rule: AlertRuleDefinition<K>): AlertRuleDefinition {
  return rule as unknown as AlertRuleDefinition;
}

/** The scope key of an alert: one live alert per rule and scope. */
export function scopeOf(shopId: string | null, paymentType: string | null = null): string {
  if (!shopId) return 'global';
  return paymentType ? `shop=${shopId},paymentType=${paymentType}` : `shop=${shopId}`;
}

function finding(shopId: string | null, paymentType: string | null, summary: string, detail: Record<string, unknown>): Finding {
  return { scope: scopeOf(shopId, paymentType), shopId, paymentType, summary, detail };
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const iso = (d: Date | string | null): string | null => (d == null ? null : new Date(d).toISOString());
const ratio = (r: number): number => Math.round(r * 10_000) / 10_000;

const windowSetting = (fallback: number, what: string): SettingSpec => ({
  default: fallback,
  min: 5,
  max: 24 * 60,
  unit: 'minutes',
  description: `Length of the window ${what}, ending now.`,
});
const baselineDaysSetting: SettingSpec = { default: 7, min: 1, max: 28, unit: 'days', description: 'How many previous days give the baseline (the same window on each).' };
const minBaselineDaysSetting: SettingSpec = { default: 3, min: 1, max: 28, unit: 'days', description: 'The baseline needs data on at least this many of those days.' };

// ---------------------------------------------------------------------------------------------------------------
// Projections: payments and mismatches as they stand now.

const stalePending = defineRule({
  id: 'stale_pending',
  title: 'Stale pending payments',
  description: 'Payments still INITIATED or PENDING long after they were initiated, per shop (e.g. confirmations blocked by a firewall).',
  severity: 'warning',
  settings: {
    initiatedMinutes: { default: 45, min: 1, max: 7 * 24 * 60, unit: 'minutes', description: 'An INITIATED payment older than this is stale.' },
    pendingMinutes: { default: 240, min: 1, max: 30 * 24 * 60, unit: 'minutes', description: 'A PENDING payment older than this is stale.' },
    minCount: { default: 1, min: 1, max: 100_000, unit: 'count', description: 'Stale payments of a shop that raise the alert.' },
  },
  async evaluate({ sql, now, settings }) {
    const initiatedBefore = new Date(now.getTime() - settings.initiatedMinutes * 60_000);
    const pendingBefore = new Date(now.getTime() - settings.pendingMinutes * 60_000);
    // The state list implies the predicate of payments_open_idx, so only open payments are read.
    const rows = await sql.query<{ shop_id: string; state: string; n: number; oldest: Date; sample: string[] }>(
      `SELECT shop_id, state, count(*)::int AS n, min(created_at) AS oldest,
              (array_agg(id::text ORDER BY created_at, id))[1:5] AS sample
         FROM payments
        WHERE state IN ('INITIATED', 'PENDING') AND created_at < greatest($1::timestamptz, $2::timestamptz)
          AND ((state = 'INITIATED' AND created_at < $1) OR (state = 'PENDING' AND created_at < $2))
        GROUP BY shop_id, state`,
      [initiatedBefore, pendingBefore],
    );
    const byShop = new Map<string, typeof rows>();
    for (const r of rows) byShop.set(r.shop_id, [...(byShop.get(r.shop_id) ?? []), r]);
    const findings: Finding[] = [];
    for (const [shopId, states] of byShop) {
      const initiated = states.find((s) => s.state === 'INITIATED');
      const pending = states.find((s) => s.state === 'PENDING');
      const total = (initiated?.n ?? 0) + (pending?.n ?? 0);
      if (total < settings.minCount) continue;
      const oldest = new Date(Math.min(...states.map((s) => new Date(s.oldest).getTime())));
      const parts = [
        initiated ? `${initiated.n} INITIATED for over ${minutesText(settings.initiatedMinutes)}` : null,
        pending ? `${pending.n} PENDING for over ${minutesText(settings.pendingMinutes)}` : null,
      ].filter(Boolean);
      const oldestAge = (now.getTime() - oldest.getTime()) / 1000;
      findings.push(
        finding(shopId, null, `${plural(total, 'payment')} not final: ${parts.join(', ')}; the oldest for ${duration(oldestAge)}`, {
          stale: total,
          initiated: initiated?.n ?? 0,
          pending: pending?.n ?? 0,
          oldestCreatedAt: iso(oldest),
          oldestAgeSeconds: Math.round(oldestAge),
          samplePaymentIds: [...(initiated?.sample ?? []), ...(pending?.sample ?? [])].slice(0, 5),
        }),
      );
    }
    return findings;
  },
});

/** A rule over the open mismatches of one kind, per shop. */
function openMismatchRule(options: { id: string; kind: MismatchKind; title: string; description: string; severity: AlertSeverity; noun: [string, string] }): AlertRuleDefinition {
  return defineRule({
    id: options.id,
    title: options.title,
    description: options.description,
    severity: options.severity,
    settings: {
      minCount: { default: 1, min: 1, max: 100_000, unit: 'count', description: 'Open mismatches of this kind in a shop that raise the alert.' },
    },
    async evaluate({ sql, settings }) {
      const rows = await sql.query<{ shop_id: string; n: number; oldest: Date; sample: string[] | null; latest_reason: string }>(
        `SELECT shop_id, count(*)::int AS n, min(detected_at) AS oldest,
                (array_agg(payment_id::text ORDER BY detected_at, id) FILTER (WHERE payment_id IS NOT NULL))[1:5] AS sample,
                (array_agg(reason ORDER BY detected_at DESC, id DESC))[1] AS latest_reason
           FROM mismatches
          WHERE status = 'open' AND kind = $1
          GROUP BY shop_id`,
        [options.kind],
      );
      return rows
        .filter((r) => r.n >= settings.minCount)
        .map((r) =>
          finding(r.shop_id, null, `${r.n} ${r.n === 1 ? options.noun[0] : options.noun[1]} (latest: ${r.latest_reason})`, {
            mismatchKind: options.kind,
            open: r.n,
            oldestDetectedAt: iso(r.oldest),
            latestReason: r.latest_reason,
            samplePaymentIds: r.sample ?? [],
          }),
        );
    },
  });
}

const returnsWithoutConfirmation = openMismatchRule({
  id: 'return_without_confirmation',
  kind: 'return_without_confirmation',
  title: 'Returns without confirmation',
  description: 'Consumers came back to a result page but no confirmation arrived within the grace period (open mismatches of that kind), per shop.',
  severity: 'warning',
  noun: ['consumer returned without a confirmation', 'consumers returned without a confirmation'],
});

const amountMismatch = openMismatchRule({
  id: 'amount_mismatch',
  kind: 'amount_mismatch',
  title: 'Amount or currency mismatch',
  description: 'A confirmation states another amount or currency than the payment was initiated with (open mismatches), per shop.',
  severity: 'critical',
  noun: ['payment confirmed with another amount or currency', 'payments confirmed with another amount or currency'],
});

const conflictingFinalStates = openMismatchRule({
  id: 'conflicting_final_states',
  kind: 'conflicting_final_states',
  title: 'Conflicting final states',
  description: 'A second, different final state was confirmed after the first (state regression; open mismatches), per shop.',
  severity: 'critical',
  noun: ['payment with conflicting final states', 'payments with conflicting final states'],
});

// ---------------------------------------------------------------------------------------------------------------
// Baselines: the same window on each of the previous days.

interface DayWindowRow {
  shop_id: string;
  payment_type: string | null;
  day: number;
}

/** unnest() parameters for a list of windows: $n::int[] of days, then froms and tos. */
function windowParameters(windows: readonly (Window & { day: number })[]): [number[], Date[], Date[]] {
  return [windows.map((w) => w.day), windows.map((w) => w.from), windows.map((w) => w.to)];
}

/** Rows grouped by shop (and payment type), each group's rows indexed by day (0 = the current window). */
function byScope<R extends DayWindowRow>(rows: readonly R[], withType: boolean): Map<string, { shopId: string; paymentType: string | null; days: Map<number, R> }> {
  const out = new Map<string, { shopId: string; paymentType: string | null; days: Map<number, R> }>();
  for (const r of rows) {
    const paymentType = withType ? r.payment_type : null;
    const key = scopeOf(r.shop_id, paymentType);
    let group = out.get(key);
    if (!group) out.set(key, (group = { shopId: r.shop_id, paymentType, days: new Map() }));
    group.days.set(Number(r.day), r);
  }
  return out;
}

interface FunnelWindowRow extends DayWindowRow {
  successes: number;
  finals: number;
  storages_initialized: number;
  storages_expired: number;
  payments_initiated: number;
  init_failures: number;
}

/**
 * funnel_hourly summed over shards and hours for each window, per shop × payment type (UNSPECIFIED included), or
 * per shop (payment_type null) when `byType` is false.
 */
function funnelWindows(sql: Sql, windows: readonly (Window & { day: number })[], byType: boolean): Promise<FunnelWindowRow[]> {
  return sql.query<FunnelWindowRow>(
    `SELECT f.shop_id, CASE WHEN $4::boolean THEN f.payment_type END AS payment_type, w.day,
            sum(f.successes)::int AS successes, sum(f.successes + f.cancels + f.failures)::int AS finals,
            sum(f.storages_initialized)::int AS storages_initialized, sum(f.storages_expired)::int AS storages_expired,
            sum(f.payments_initiated)::int AS payments_initiated, sum(f.init_failures)::int AS init_failures
       FROM unnest($1::int[], $2::timestamptz[], $3::timestamptz[]) AS w(day, w_from, w_to)
       JOIN funnel_hourly f ON f.bucket >= w.w_from AND f.bucket < w.w_to
      GROUP BY 1, 2, 3`,
    [...windowParameters(windows), byType],
  );
}

const successRateDrop = defineRule({
  id: 'success_rate_drop',
  title: 'Success rate drop',
  description:
    'Success rate (SUCCESS / final outcomes) of the last window against the same hours on the previous days, per shop and payment type, from the hourly funnel rollup.',
  severity: 'warning',
  settings: {
    windowMinutes: windowSetting(60, 'whose outcomes are compared (widened to whole UTC hours)'),
    minDropPercent: { default: 20, min: 1, max: 100, unit: 'percent', description: 'Trip when the rate is this many percentage points below the baseline.' },
    minSample: { default: 20, min: 1, max: 1_000_000, unit: 'count', description: 'Final outcomes the current window needs before it is judged.' },
    baselineDays: baselineDaysSetting,
    minBaselineDays: minBaselineDaysSetting,
    minBaselineSample: { default: 50, min: 1, max: 10_000_000, unit: 'count', description: 'Final outcomes the baseline needs, over all its days.' },
  },
  async evaluate({ sql, now, settings }) {
    const current = hourBuckets(now, settings.windowMinutes);
    const windows = [{ day: 0, ...current }, ...previousDays(current, settings.baselineDays)];
    const groups = byScope(
      (await funnelWindows(sql, windows, true)).filter((r) => r.payment_type !== UNSPECIFIED_PAYMENT_TYPE),
      true,
    );
    const findings: Finding[] = [];
    for (const g of groups.values()) {
      const sample = (day: number): RatioSample => ({ numerator: g.days.get(day)?.successes ?? 0, denominator: g.days.get(day)?.finals ?? 0 });
      const now0 = sample(0);
      const baseline = rateBaseline(
        windows.slice(1).map((w) => sample(w.day)),
        { minDays: settings.minBaselineDays, minSample: settings.minBaselineSample },
      );
      const trip = rateDrop(now0, baseline, { minSample: settings.minSample, minDrop: settings.minDropPercent / 100 });
      if (!trip || !baseline) continue;
      findings.push(
        finding(
          g.shopId,
          g.paymentType,
          `Success rate ${percent(trip.currentRate)} since ${hhmm(current.from)} UTC (usually ${percent(trip.baselineRate)}; ${plural(now0.denominator, 'final outcome')})`,
          {
            windowFrom: iso(current.from),
            windowTo: iso(current.to),
            successes: now0.numerator,
            finals: now0.denominator,
            successRate: ratio(trip.currentRate),
            baselineRate: ratio(trip.baselineRate),
            baselineSuccesses: baseline.numerator,
            baselineFinals: baseline.denominator,
            baselineDays: baseline.days,
            dropPoints: Math.round(trip.drop * 1000) / 10,
          },
        ),
      );
    }
    return findings;
  },
});

const trafficSilence = defineRule({
  id: 'traffic_silence',
  title: 'Traffic silence',
  description:
    'No payment initiated in the last window for a shop and payment type that usually has traffic then (mean of the same window on the previous days), from the payments projection.',
  severity: 'warning',
  settings: {
    windowMinutes: windowSetting(60, 'that must stay without any payment'),
    minExpected: { default: 5, min: 1, max: 1_000_000, unit: 'count', description: 'Trip only when the baseline expects at least this many payments in the window.' },
    baselineDays: baselineDaysSetting,
    minBaselineDays: minBaselineDaysSetting,
  },
  async evaluate({ sql, now, settings }) {
    const current = lastMinutes(now, settings.windowMinutes);
    const windows = [{ day: 0, ...current }, ...previousDays(current, settings.baselineDays)];
    const counts = await sql.query<DayWindowRow & { n: number }>(
      `SELECT p.shop_id, p.payment_type, w.day, count(*)::int AS n
         FROM unnest($1::int[], $2::timestamptz[], $3::timestamptz[]) AS w(day, w_from, w_to)
         JOIN payments p ON p.created_at >= w.w_from AND p.created_at < w.w_to
        GROUP BY p.shop_id, p.payment_type, w.day`,
      windowParameters(windows),
    );
    // Where each series begins (its first hour with initiated payments), so days before a shop or payment type
    // existed do not count as silent days of the baseline. From the rollup: a week before the oldest window.
    const oldest = windows[windows.length - 1].from;
    const starts = await sql.query<{ shop_id: string; payment_type: string; first: Date }>(
      `SELECT shop_id, payment_type, min(bucket) AS first
         FROM funnel_hourly
        WHERE bucket >= $1 AND bucket < $2 AND payments_initiated > 0
        GROUP BY shop_id, payment_type`,
      [new Date(oldest.getTime() - 7 * DAY_MS), now],
    );
    const historyStart = new Map(starts.map((s) => [scopeOf(s.shop_id, s.payment_type), new Date(s.first)]));
    const findings: Finding[] = [];
    for (const [scope, g] of byScope(counts, true)) {
      const currentCount = g.days.get(0)?.n ?? 0;
      const baseline = countBaseline(
        windows.slice(1).map((w) => ({ count: g.days.get(w.day)?.n ?? 0, from: w.from })),
        historyStart.get(scope) ?? null,
        settings.minBaselineDays,
      );
      const trip = silence(currentCount, baseline, settings.minExpected);
      if (!trip || !baseline) continue;
      findings.push(
        finding(
          g.shopId,
          g.paymentType,
          `No ${g.paymentType} payment in the last ${minutesText(settings.windowMinutes)} (usually ${Math.round(trip.expected * 10) / 10} at this time)`,
          { windowFrom: iso(current.from), windowTo: iso(current.to), payments: 0, expected: Math.round(trip.expected * 100) / 100, baselineDays: baseline.days },
        ),
      );
    }
    return findings;
  },
});

const storageExpirySpike = defineRule({
  id: 'storage_expiry_spike',
  title: 'Storage expiry spike',
  description:
    'Share of data storages that expired (expired / initialized in the window, from the hourly rollup) above a threshold, or a multiple of the same hours on the previous days, per shop.',
  severity: 'warning',
  settings: {
    windowMinutes: windowSetting(60, 'whose storages are counted (widened to whole UTC hours)'),
    thresholdPercent: { default: 50, min: 1, max: 1000, unit: 'percent', description: 'Trip at this ratio whatever the baseline.' },
    spikeFactorPercent: { default: 200, min: 100, max: 10_000, unit: 'percent', description: 'Trip at this multiple of the baseline ratio (200 = twice)…' },
    minRatioPercent: { default: 10, min: 0, max: 1000, unit: 'percent', description: '…when the ratio is also at least this.' },
    minSample: { default: 20, min: 1, max: 1_000_000, unit: 'count', description: 'Storages initialized in the window before it is judged.' },
    baselineDays: baselineDaysSetting,
    minBaselineDays: minBaselineDaysSetting,
    minBaselineSample: { default: 50, min: 1, max: 10_000_000, unit: 'count', description: 'Storages initialized over the baseline days.' },
  },
  async evaluate({ sql, now, settings }) {
    const current = hourBuckets(now, settings.windowMinutes);
    const windows = [{ day: 0, ...current }, ...previousDays(current, settings.baselineDays)];
    // Storages count under the payment type known at the time (often none): the whole shop is one scope.
    const groups = byScope(await funnelWindows(sql, windows, false), false);
    const findings: Finding[] = [];
    for (const g of groups.values()) {
      const sample = (day: number): RatioSample => ({ numerator: g.days.get(day)?.storages_expired ?? 0, denominator: g.days.get(day)?.storages_initialized ?? 0 });
      const now0 = sample(0);
      const baseline = rateBaseline(
        windows.slice(1).map((w) => sample(w.day)),
        { minDays: settings.minBaselineDays, minSample: settings.minBaselineSample },
      );
      const trip = ratioSpike(now0, baseline, {
        minSample: settings.minSample,
        threshold: settings.thresholdPercent / 100,
        factor: settings.spikeFactorPercent / 100,
        minRatio: settings.minRatioPercent / 100,
      });
      if (!trip) continue;
      const usual = trip.baselineRatio === null ? '' : ` (usually ${percent(trip.baselineRatio)})`;
      findings.push(
        finding(g.shopId, null, `${percent(trip.ratio)} of data storages expired since ${hhmm(current.from)} UTC${usual}: ${now0.numerator} expired, ${now0.denominator} initialized`, {
          windowFrom: iso(current.from),
          windowTo: iso(current.to),
          expired: now0.numerator,
          initialized: now0.denominator,
          ratio: ratio(trip.ratio),
          baselineRatio: trip.baselineRatio === null ? null : ratio(trip.baselineRatio),
          reason: trip.reason,
        }),
      );
    }
    return findings;
  },
});

const initErrorRate = defineRule({
  id: 'init_error_rate',
  title: 'Gateway init error rate',
  description: 'Share of payment inits the gateway answered with an error (init failures / payments initiated in the window, from the hourly rollup), per shop and payment type.',
  severity: 'critical',
  settings: {
    windowMinutes: windowSetting(60, 'whose inits are counted (widened to whole UTC hours)'),
    thresholdPercent: { default: 20, min: 1, max: 100, unit: 'percent', description: 'Trip at this error rate.' },
    minSample: { default: 10, min: 1, max: 1_000_000, unit: 'count', description: 'Payments initiated in the window before it is judged.' },
  },
  async evaluate({ sql, now, settings }) {
    const current = hourBuckets(now, settings.windowMinutes);
    const rows = await funnelWindows(sql, [{ day: 0, ...current }], true);
    const findings: Finding[] = [];
    for (const r of rows) {
      if (r.payment_type === UNSPECIFIED_PAYMENT_TYPE) continue;
      const sample = { numerator: r.init_failures, denominator: r.payments_initiated };
      const trip = ratioAbove(sample, { minSample: settings.minSample, threshold: settings.thresholdPercent / 100 });
      if (!trip) continue;
      findings.push(
        finding(r.shop_id, r.payment_type, `${percent(trip.ratio)} of ${r.payment_type} payment inits failed since ${hhmm(current.from)} UTC (${r.init_failures} of ${r.payments_initiated})`, {
          windowFrom: iso(current.from),
          windowTo: iso(current.to),
          initFailures: r.init_failures,
          paymentsInitiated: r.payments_initiated,
          errorRate: ratio(trip.ratio),
        }),
      );
    }
    return findings;
  },
});

const confirmationLatency = defineRule({
  id: 'confirmation_latency_p95',
  title: 'Confirmation latency p95',
  description:
    'The 95th percentile of the time from payment init to its first confirmation, over the payments first confirmed in the window, per shop and payment type (payments initiated up to a day before the window).',
  severity: 'warning',
  settings: {
    windowMinutes: windowSetting(60, 'of first confirmations'),
    thresholdSeconds: { default: 600, min: 1, max: 7 * 24 * 3600, unit: 'seconds', description: 'Trip when the p95 is above this.' },
    minSample: { default: 20, min: 1, max: 1_000_000, unit: 'count', description: 'Confirmed payments in the window before it is judged.' },
  },
  async evaluate({ sql, now, settings }) {
    const window = lastMinutes(now, settings.windowMinutes);
    // created_at bounds the scan to an index range (payments_created_idx); a first confirmation more than a day
    // after the init is left out here (stale_pending reports such payments while they wait).
    const rows = await sql.query<{ shop_id: string; payment_type: string; n: number; p95: number; p50: number; max: number }>(
      `SELECT shop_id, payment_type, count(*)::int AS n,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM first_confirmation_at - initiated_at))::float8 AS p95,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_confirmation_at - initiated_at))::float8 AS p50,
              max(extract(epoch FROM first_confirmation_at - initiated_at))::float8 AS max
         FROM payments
        WHERE created_at >= $1 AND created_at < $3
          AND first_confirmation_at >= $2 AND first_confirmation_at < $3 AND initiated_at IS NOT NULL
        GROUP BY shop_id, payment_type`,
      [new Date(window.from.getTime() - DAY_MS), window.from, window.to],
    );
    return rows
      .filter((r) => r.n >= settings.minSample && r.p95 > settings.thresholdSeconds)
      .map((r) =>
        finding(
          r.shop_id,
          r.payment_type,
          `Confirmation latency p95 ${duration(r.p95)} over the last ${minutesText(settings.windowMinutes)} (threshold ${duration(settings.thresholdSeconds)}; ${plural(r.n, 'payment')})`,
          {
            windowFrom: iso(window.from),
            windowTo: iso(window.to),
            confirmed: r.n,
            p95Seconds: Math.round(r.p95 * 10) / 10,
            p50Seconds: Math.round(r.p50 * 10) / 10,
            maxSeconds: Math.round(r.max * 10) / 10,
            thresholdSeconds: settings.thresholdSeconds,
          },
        ),
      );
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Security: rejected confirmations, by checkout_events_kind_idx (kind, occurred_at).

const rejectedConfirmations = defineRule({
  id: 'rejected_confirmation',
  title: 'Rejected confirmations',
  description:
    'Confirmations rejected in the window (bad or missing fingerprint, malformed): someone forging confirmations, or a changed secret or fingerprint scheme. Per shop; global when no shop could be told.',
  severity: 'critical',
  settings: {
    windowMinutes: windowSetting(60, 'in which rejections are counted'),
    minCount: { default: 1, min: 1, max: 1_000_000, unit: 'count', description: 'Rejections in the window that raise the alert.' },
  },
  async evaluate({ sql, now, settings }) {
    const window = lastMinutes(now, settings.windowMinutes);
    const rows = await sql.query<{ shop_id: string | null; n: number; latest: Date; reasons: string[]; addresses: string[] | null }>(
      `SELECT shop_id, count(*)::int AS n, max(occurred_at) AS latest,
              (array_agg(DISTINCT coalesce(payload->>'reason', 'unknown')))[1:5] AS reasons,
              (array_agg(DISTINCT host(source_address)) FILTER (WHERE source_address IS NOT NULL))[1:5] AS addresses
         FROM checkout_events
        WHERE kind = 'confirmation.rejected' AND occurred_at >= $1 AND occurred_at < $2
        GROUP BY shop_id`,
      [window.from, window.to],
    );
    return rows
      .filter((r) => r.n >= settings.minCount)
      .map((r) =>
        finding(r.shop_id, null, `${plural(r.n, 'rejected confirmation')} in the last ${minutesText(settings.windowMinutes)} (${r.reasons.join('; ')})`, {
          windowFrom: iso(window.from),
          windowTo: iso(window.to),
          rejected: r.n,
          latestAt: iso(r.latest),
          reasons: r.reasons,
          sourceAddresses: r.addresses ?? [],
        }),
      );
  },
});

/** Every rule, in the order they run and are listed. */
export const ALERT_RULES: readonly AlertRuleDefinition[] = [
  stalePending,
  returnsWithoutConfirmation,
  amountMismatch,
  conflictingFinalStates,
  successRateDrop,
  trafficSilence,
  rejectedConfirmations,
  storageExpirySpike,
  initErrorRate,
  confirmationLatency,
];

export function findRule(id: string): AlertRuleDefinition | undefined {
  return ALERT_RULES.find((r) => r.id === id);
}

/** 09:00 */
function hhmm(d: Date): string {
  return d.toISOString().slice(11, 16);
}
