import type { EventKind, EventSource, MismatchKind, PaymentState, ReturnOutcome, StorageStatus } from './domain';

/** Operator roles, least to most privileged in what they may change; `finance` adds reconciliation exports. */
export const OPERATOR_ROLES = ['viewer', 'operator', 'finance', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** `POST /api/auth/login` */
export interface LoginRequest {
  email: string;
  password: string;
}

/** `GET /api/auth/me` (and the login answer) */
export interface MeResponse {
  operator: {
    id: string;
    email: string;
    role: OperatorRole;
    /** null: every shop. */
    shopIds: string[] | null;
  };
  /** Send back as `X-CSRF-Token` on every state-changing request. */
  csrfToken: string;
  /** Shops this operator may see, with their time zones for displaying times. */
  shops: ShopSummary[];
}

export interface ShopSummary {
  id: string;
  name: string;
  timeZone: string;
}

/** Every list answers one page and the cursor of the next (null at the end). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Common filters of the operator lists (query string). */
export interface OpsFilter {
  from?: string;
  to?: string;
  shopId?: string;
  paymentType?: string;
  cursor?: string;
  limit?: number;
}

export type FunnelGranularity = 'hour' | 'day';

/** The funnel steps (ARCHITECTURE §4), counted per bucket. */
export interface FunnelCounts {
  checkoutsStarted: number;
  storagesInitialized: number;
  paymentDataStored: number;
  paymentsInitiated: number;
  confirmations: number;
  successes: number;
  cancels: number;
  failures: number;
  pendings: number;
  storagesExpired: number;
  initFailures: number;
  returns: number;
}

export interface FunnelBucket extends FunnelCounts {
  /** Start of the hour or day, ISO 8601 UTC. */
  bucket: string;
}

/** `GET /api/ops/funnel?granularity=hour|day&from&to&shopId&paymentType` */
export interface FunnelResponse {
  granularity: FunnelGranularity;
  from: string;
  to: string;
  buckets: FunnelBucket[];
  totals: FunnelCounts;
  /** Named drop-offs between the steps, over the whole range. */
  dropOffs: { storageExpired: number; initFailed: number; cancelled: number; failed: number; stillPending: number };
  /** successes / checkouts started (or / payments initiated when the shop reports no checkout starts), 0–1. */
  conversion: number | null;
  /** successes / final outcomes (success + cancel + failure), 0–1. */
  successRate: number | null;
}

/** `GET /api/ops/overview?from&to&shopId&paymentType`: the KPIs at the top of the dashboard. */
export interface OverviewResponse {
  from: string;
  to: string;
  conversion: number | null;
  successRate: number | null;
  paymentsInitiated: number;
  successes: number;
  pending: number;
  openMismatches: number;
  openAlerts: number;
  securityEvents: number;
  /** Success rate per bucket for the chart. */
  successRateSeries: { bucket: string; successRate: number | null; finals: number }[];
}

export interface PaymentListItem {
  paymentId: string;
  shopId: string;
  orderIdent: string | null;
  orderNumber: string | null;
  state: PaymentState;
  /** Decimal string, never a float. */
  amount: string;
  currency: string;
  paymentType: string;
  maskedPan: string | null;
  financialInstitution: string | null;
  gatewayReferenceNumber: string | null;
  initiatedAt: string | null;
  firstConfirmationAt: string | null;
  finalAt: string | null;
  returnedAt: string | null;
  returnOutcome: ReturnOutcome | null;
  confirmationCount: number;
  duplicateCount: number;
  hasMismatch: boolean;
  holdReason: string | null;
}

/** `GET /api/ops/payments?…&state&q` — q searches orderIdent, orderNumber, paymentId, gatewayReferenceNumber. */
export interface PaymentListFilter extends OpsFilter {
  state?: PaymentState;
  q?: string;
}

export interface TimelineEvent {
  id: string;
  occurredAt: string;
  recordedAt: string;
  kind: EventKind;
  source: EventSource;
  paymentState: PaymentState | null;
  amount: string | null;
  currency: string | null;
  /** Sanitized: never a card number, CVC, expiry or cardholder name. */
  payload: Record<string, unknown>;
  sourceAddress: string | null;
}

export interface MismatchItem {
  id: string;
  paymentId: string | null;
  shopId: string;
  kind: MismatchKind;
  /** Human-readable, e.g. "returned to success page, confirmed FAILURE". */
  reason: string;
  detail: Record<string, unknown>;
  status: 'open' | 'resolved';
  detectedAt: string;
  resolvedAt: string | null;
}

export interface StorageSummary {
  storageId: string;
  status: StorageStatus;
  initializedAt: string;
  lastAccessAt: string;
  expiresAt: string;
  consumedAt: string | null;
  expiredAt: string | null;
}

/** `GET /api/ops/payments/:paymentId` */
export interface PaymentDetailResponse extends PaymentListItem {
  timeline: TimelineEvent[];
  mismatches: MismatchItem[];
  storage: StorageSummary | null;
}

export const PENDING_AGE_BUCKETS = ['<5m', '5-15m', '15-60m', '1-6h', '6-24h', '>24h'] as const;
export type PendingAgeBucket = (typeof PENDING_AGE_BUCKETS)[number];

export interface PendingPaymentItem extends PaymentListItem {
  ageSeconds: number;
  ageBucket: PendingAgeBucket;
}

/** `GET /api/ops/pending` — oldest first. */
export interface PendingResponse extends Page<PendingPaymentItem> {
  ageBuckets: { bucket: PendingAgeBucket; count: number }[];
  total: number;
}

/** `GET /api/ops/storages/expired` */
export interface ExpiredStorageItem {
  storageId: string;
  shopId: string;
  orderIdent: string;
  paymentType: string | null;
  initializedAt: string;
  expiredAt: string;
  livedSeconds: number;
}

/** `GET /api/ops/mismatches?status=open|resolved&kind=…` */
export interface MismatchListResponse extends Page<MismatchItem> {
  countsByKind: { kind: MismatchKind; open: number }[];
}

/** `GET /api/ops/security-events` — rejected confirmations and the like. */
export interface SecurityEventItem {
  id: string;
  occurredAt: string;
  shopId: string | null;
  paymentId: string | null;
  kind: EventKind;
  reason: string;
  paymentState: PaymentState | null;
  sourceAddress: string | null;
}

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/**
 * `GET /api/ops/alerts?status&from&to&shopId&paymentType&cursor&limit` (newest opened first; from/to select the
 * alerts live at some time in the range: opened before `to`, not resolved before `from`; shopId and paymentType
 * keep the alerts without a shop or payment type too). One alert per rule and scope while it is open or
 * acknowledged; a condition that clears resolves it, a new trip opens a new one.
 */
export interface AlertItem {
  id: string;
  /** The rule's id, e.g. `success_rate_drop` (see `GET /api/ops/alerts/rules`). */
  rule: string;
  /** What the alert is about: `shop=demo,paymentType=CCARD`, `shop=demo`, or `global`. */
  scope: string;
  severity: AlertSeverity;
  status: AlertStatus;
  summary: string;
  openedAt: string;
  acknowledgedAt: string | null;
  /** E-mail of the operator who acknowledged it. */
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  /** The shop of the scope; null for a global alert. */
  shopId: string | null;
  /** The payment type of the scope; null when the rule looks at the whole shop. */
  paymentType: string | null;
  /** The figures that tripped the rule at its latest evaluation (e.g. current and baseline rate). */
  detail: Record<string, unknown>;
  /** The latest evaluation that still found the condition. */
  lastSeenAt: string;
  /** The comment given with the acknowledgement; null when none was given (or not yet acknowledged). */
  ackComment: string | null;
}

export const ALERT_EVENT_KINDS = ['opened', 'updated', 'acknowledged', 'resolved', 'notified'] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

/** One entry of an alert's history; `history` lists them in the order they were written. */
export interface AlertHistoryEntry {
  id: string;
  occurredAt: string;
  kind: AlertEventKind;
  /** The operator's e-mail for an acknowledgement; null for what the ingester did itself. */
  actor: string | null;
  /**
   * opened / updated: { summary, severity, detail }; acknowledged: { comment }; resolved: { reason, lastSeenAt };
   * notified: { channel: 'webhook' | 'email', event: 'alert.opened' | 'alert.resolved', ok, attempt, error? }.
   */
  detail: Record<string, unknown>;
}

/** `GET /api/ops/alerts/:id` */
export interface AlertDetailResponse extends AlertItem {
  history: AlertHistoryEntry[];
}

/** One evaluation of one rule by the scheduled runner. */
export interface AlertRuleRun {
  /** The tick (start of its interval) the run belongs to; each tick runs once across all replicas. */
  tickAt: string;
  startedAt: string;
  durationMs: number;
  result: 'ok' | 'error';
  /** Scopes for which the condition held. */
  findings: number;
  alertsOpened: number;
  alertsResolved: number;
  /** The error of a failed run; null when it went well. */
  message: string | null;
}

export interface AlertRuleSetting {
  /** e.g. `windowMinutes` */
  key: string;
  value: number;
  default: number;
  /** e.g. `minutes`, `percent`, `count`, `seconds`, `days` */
  unit: string;
  /** The environment variable that sets it, e.g. `ALERT_SUCCESS_RATE_DROP_WINDOW_MINUTES`. */
  env: string;
  description: string;
}

export interface AlertRuleItem {
  rule: string;
  title: string;
  description: string;
  enabled: boolean;
  severity: AlertSeverity;
  settings: AlertRuleSetting[];
  /** null until the rule has run once. */
  lastRun: AlertRuleRun | null;
  /** Alerts of this rule that are not resolved, within the operator's shops (and global ones). */
  live: { open: number; acknowledged: number };
}

/** `GET /api/ops/alerts/rules` */
export interface AlertRulesResponse {
  intervalSeconds: number;
  /** False when background jobs are off (JOBS=off): nothing evaluates the rules. */
  scheduled: boolean;
  notifications: { webhook: boolean; email: boolean };
  rules: AlertRuleItem[];
}

/** `POST /api/ops/alerts/:id/ack` */
export interface AcknowledgeAlertRequest {
  /** At most 1000 characters; kept on the alert and in the audit log. */
  comment?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Reconciliation (finance)

/**
 * One row of `GET /api/ops/reconciliation/daily`: payments of one shop that reached `state` on `localDay`, in
 * one currency and payment type. A payment counts on the day it reached its current state: `final_at` for
 * SUCCESS, CANCEL and FAILURE, `initiated_at` for the states that are not final (INITIATED, PENDING, INIT_FAILED,
 * UNKNOWN). The CSV export (`?format=csv`) has exactly these rows, in this order, with these columns
 * (snake_case headers: {@link DAILY_TOTALS_CSV_COLUMNS}).
 */
export interface DailyTotalsRow {
  /** `YYYY-MM-DD`, the calendar day in the shop's time zone. */
  localDay: string;
  /** IANA zone of the shop, e.g. `Europe/Vienna`. */
  timeZone: string;
  /** Start of that local day as an instant, ISO 8601 UTC (a day may last 23 or 25 hours). */
  dayStartUtc: string;
  /** End of that local day (exclusive), ISO 8601 UTC. */
  dayEndUtc: string;
  shopId: string;
  currency: string;
  paymentType: string;
  state: PaymentState;
  count: number;
  /** Exact decimal string (PostgreSQL numeric), e.g. `0.30`; never a float. */
  sum: string;
}

/** Sum over every row of the answer for one currency and state. */
export interface DailyTotalsTotal {
  currency: string;
  state: PaymentState;
  count: number;
  /** Exact decimal string. */
  sum: string;
}

/** `GET /api/ops/reconciliation/daily?from=YYYY-MM-DD&to=YYYY-MM-DD&shopId&currency&paymentType[&format=csv]` */
export interface DailyTotalsResponse {
  /** First and last local day included (both inclusive), as asked or defaulted. */
  from: string;
  to: string;
  /** Ordered by localDay, shopId, currency, paymentType, state. */
  rows: DailyTotalsRow[];
  /** Ordered by currency, state. Amounts of different currencies are never added together. */
  totals: DailyTotalsTotal[];
}

export interface DailyTotalsFilter {
  from?: string;
  to?: string;
  shopId?: string;
  currency?: string;
  paymentType?: string;
  format?: 'json' | 'csv';
}

/** Header row of the CSV export, in column order; each column is the {@link DailyTotalsRow} field alongside. */
export const DAILY_TOTALS_CSV_COLUMNS = [
  ['local_day', 'localDay'],
  ['time_zone', 'timeZone'],
  ['day_start_utc', 'dayStartUtc'],
  ['day_end_utc', 'dayEndUtc'],
  ['shop_id', 'shopId'],
  ['currency', 'currency'],
  ['payment_type', 'paymentType'],
  ['state', 'state'],
  ['count', 'count'],
  ['sum', 'sum'],
] as const satisfies readonly (readonly [string, keyof DailyTotalsRow])[];

/** What a gateway check (`reconciliation.checked` event payload `outcome`) concluded. */
export const GATEWAY_CHECK_OUTCOMES = [
  /** The gateway's record agrees with ours. */
  'agrees',
  /** It disagrees: a `gateway_disagrees` mismatch was opened with the reasons. */
  'disagrees',
  /** The janitor moved a PENDING payment to the state the gateway proves (flagged settledByJanitor). */
  'settled',
  /** No answer we can use (timeout, network, unparseable): retried, never a disagreement. */
  'unknown',
  /** The gateway refused the request (status 1–4, e.g. a wrong back-end password): retried, never a disagreement. */
  'declined',
  /** The gateway cannot be asked (no orderNumber yet, or no back-end password): marked for attention. */
  'unresolvable',
] as const;
export type GatewayCheckOutcome = (typeof GATEWAY_CHECK_OUTCOMES)[number];
