import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { Logger, type INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { InitPaymentRequest } from '@seamless-ops/contracts';
import { encodeErrors, encodeForm, toPaymentInformation } from '@seamless-ops/qenta';
import { CheckoutEventsService } from '../checkout/checkout-events.service';
import { PaymentInitService } from '../checkout/payment-init.service';
import { parseInitPaymentRequest } from '../checkout/payment-request';
import { anonymized, StorageCheckoutService } from '../checkout/storage-checkout.service';
import type { IngesterConfig } from '../config/config';
import { ConfirmationService } from '../confirmation/confirmation.service';
import { EventStore, type EventTransaction } from '../events/event-store';
import { Gateway } from '../gateway/gateway';
import { AlertRunner } from '../alerts/alert-runner';
import { Metrics } from '../observability/metrics';
import { GatewayBackend, GatewayCallLimiter } from '../reconciliation/gateway-backend';
import { GatewayReconciliation } from '../reconciliation/gateway-reconciliation';
import { ReturnService } from '../returns/return.service';
import type { Shop } from '../shops/shop';
import { ShopsService } from '../shops/shops.service';
import { StorageSweeper } from '../storages/storage-sweeper';
import { HISTORY_PRODUCTS, planHistory, type HistoryPlan, type HistoryShopper, type TimedStep } from './history-plan';
import { confirmationBody, SeededGatewayLedger, storageJavascriptUrl, storedPaymentInformation } from './seeded-gateway';

/**
 * Connections the seeding needs at least: one holds its lock, the payment types' transactions and the
 * reconciliation run (which holds one for its own lock) take the others.
 */
export const MIN_POOL_FOR_SEEDING = 3;

/** Session advisory lock held while seeding: a second ingester starting on the same database does not seed too. */
export const HISTORY_SEED_LOCK_KEY = 7_405_338_601;

const HOUR = 3_600_000;

/**
 * At which ends of an hour the anomaly checks run over the history (each run takes a while): every twelve hours,
 * hourly over the last day and around each planted anomaly and incident (an hour before to three after), so the
 * alerts of those open and resolve about when they would have.
 */
function alertSchedule(plan: HistoryPlan): (hourEnd: number) => boolean {
  const end = plan.end.getTime();
  const { badHour, confirmationOutage, incidents } = plan.anomalies;
  const around = [badHour, confirmationOutage.from, confirmationOutage.to, ...incidents].map((t) => t.getTime());
  return (hourEnd) => hourEnd % (12 * HOUR) === 0 || end - hourEnd < 24 * HOUR || around.some((t) => hourEnd >= t - HOUR && hourEnd <= t + 3 * HOUR);
}

export class HistoryNotEmptyError extends Error {
  constructor() {
    super('the database already has payments or events: history is seeded only into an empty database');
    this.name = 'HistoryNotEmptyError';
  }
}

export interface HistorySeedOptions {
  days: number;
  /** History ends here (default: now). */
  end?: Date;
  seed?: string;
  /** Checkouts per ordinary day over all shops (default DEFAULT_DAILY_CHECKOUTS). */
  dailyCheckouts?: number;
  /** Ask the seeded gateway about the last RECONCILIATION_WINDOW_HOURS as the reconciliation job would (default true). */
  reconcile?: boolean;
}

export interface HistorySeedResult {
  days: number;
  from: Date;
  to: Date;
  shoppers: number;
  steps: number;
  /** Domain calls that threw (each is logged); 0 in a healthy run. */
  failedSteps: number;
  payments: number;
  states: Record<string, number>;
  events: number;
  mismatches: Record<string, number>;
  expiredStorages: number;
  reconciled: number;
  /** Anomaly-check ticks run over the history, and the alerts they left by status. */
  alertTicks: number;
  alerts: Record<string, number>;
  anomalies: HistoryPlan['anomalies'];
  durationMs: number;
}

interface SeederDependencies {
  config: IngesterConfig;
  dataSource: DataSource;
  events: SeedingEventStore;
  storages: StorageCheckoutService;
  payments: PaymentInitService;
  checkoutEvents: CheckoutEventsService;
  sweeper: StorageSweeper;
  /** The anomaly checks, run at the hours {@link alertSchedule} picks (absent: not run). */
  alerts?: AlertRunner;
  /** Reconciliation over the seeded gateway's order book (built per run). */
  reconciliation: (ledger: SeededGatewayLedger, shops: ShopsService) => GatewayReconciliation;
}

/**
 * Seeds days of demo history into an empty database through the same domain code live ingestion uses, each write
 * at its own time: shop-reported checkout events (CheckoutEventsService.record), storage init and read and payment
 * init as recorded after the gateway's answer (StorageCheckoutService.recordInitialized / recordRead,
 * PaymentInitService.recordInitiated / recordConsumed / recordInitEnd — only the gateway round trip is skipped),
 * the gateway's signed confirmations (ConfirmationService.handle with their receive time), browser returns
 * (ReturnService.record), storage expiry (StorageSweeper.sweep with `now` at the end of each hour of history),
 * returns without confirmation (ReturnService.flagReturnsWithoutConfirmation likewise), the anomaly checks
 * (AlertRunner.runOnce at some of those hours), and at the end gateway reconciliation of the recent payments
 * against the seeded gateway's order book. Nothing is inserted around the projections. The history notifies
 * nobody and counts in no live metric: the seeder's services are its own instances of the same classes, over the
 * configured shops without notification URLs and alert settings without channels.
 */
export class HistorySeeder {
  private readonly logger = new Logger('HistorySeeder');

  constructor(private readonly deps: SeederDependencies) {}

  /**
   * The seeder over the app's database, with its own instances of the domain services (same classes) on a
   * {@link SeedingEventStore}; the app's gateway client is handed over but never called.
   */
  static fromApp(app: INestApplication, config: IngesterConfig): HistorySeeder {
    const dataSource = app.get(DataSource);
    const events = new SeedingEventStore(dataSource);
    const gateway = app.get(Gateway);
    const scheduler = app.get(SchedulerRegistry);
    return new HistorySeeder({
      config,
      dataSource,
      events,
      storages: new StorageCheckoutService(gateway, events, dataSource),
      payments: new PaymentInitService(gateway, events, dataSource, config),
      checkoutEvents: new CheckoutEventsService(events),
      sweeper: new StorageSweeper(events, scheduler, config),
      // Alerts of the history are recorded but notify nobody.
      alerts: new AlertRunner(events, scheduler, { ...config, alerts: { ...config.alerts, webhookUrl: undefined, email: undefined } }),
      reconciliation: (ledger, shops) => new GatewayReconciliation(dataSource, events, shops, ledger as unknown as GatewayBackend, app.get(GatewayCallLimiter), scheduler, config),
    });
  }

  /** True when there is nothing to mix history with: no payment and no event. */
  async isEmpty(): Promise<boolean> {
    const [row] = (await this.deps.dataSource.query(
      `SELECT NOT EXISTS (SELECT 1 FROM payments) AND NOT EXISTS (SELECT 1 FROM checkout_events) AS empty`,
    )) as { empty: boolean }[];
    return Boolean(row?.empty);
  }

  /**
   * Seeds `days` of history ending at `end`; throws HistoryNotEmptyError on a database with payments or events.
   * Returns null when another process holds the seeding lock (it is seeding the same database).
   */
  async seed(options: HistorySeedOptions): Promise<HistorySeedResult | null> {
    if (this.deps.config.database.poolSize < MIN_POOL_FOR_SEEDING) throw new Error(`seeding history needs DB_POOL_SIZE of at least ${MIN_POOL_FOR_SEEDING}`);
    const runner = this.deps.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [HISTORY_SEED_LOCK_KEY])) as { locked: boolean }[];
      if (!lock?.locked) return null;
      try {
        if (!(await this.isEmpty())) throw new HistoryNotEmptyError();
        return await this.play(options);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [HISTORY_SEED_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  private async play(options: HistorySeedOptions): Promise<HistorySeedResult> {
    const started = performance.now();
    const { config } = this.deps;
    const shops = config.shops;
    if (!shops.length) throw new Error('no shop is configured');
    // The seeder's own services: the same classes, over shops that notify nobody, with metrics nobody reads.
    const quietShops = new ShopsService(shops.map((s) => ({ ...s, notificationUrl: null, notificationSecret: null })));
    const metrics = new Metrics();
    const confirmations = new ConfirmationService(this.deps.events, quietShops);
    const returns = new ReturnService(this.deps.events, quietShops, metrics, config);
    const ledger = new SeededGatewayLedger(config.reconciliation.gatewayTimeZone);

    const plan = planHistory({
      shopIds: shops.map((s) => s.id),
      timeZones: Object.fromEntries(shops.map((s) => [s.id, s.timeZone])),
      end: options.end ?? new Date(),
      days: options.days,
      seed: options.seed ?? 'seamless-ops-demo',
      ...(options.dailyCheckouts !== undefined ? { dailyCheckouts: options.dailyCheckouts } : {}),
    });
    const byId = new Map(shops.map((s) => [s.id, s]));
    const steps = plan.shoppers.flatMap((shopper) => shopper.steps.map((step) => ({ shopper, step })));
    steps.sort((a, b) => a.step.at - b.step.at || a.shopper.index - b.shopper.index);

    let failedSteps = 0;
    const playStep = async (shopper: HistoryShopper, step: TimedStep): Promise<void> => {
      const shop = byId.get(shopper.shopId) as Shop;
      try {
        await this.apply(shop, shopper, step, { confirmations, returns, ledger });
      } catch (error) {
        failedSteps++;
        this.logger.warn(`history step ${step.step.kind} of shopper ${shopper.index} (${shopper.scenario}) failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    };

    // Hour by hour. Every write carries its own time, so within an hour only each shopper's own order matters:
    // 1. the hour's data storage inits, committed first (PaymentInitService looks a storage up outside its
    //    transaction before it starts one);
    // 2. everything else in time order, in one transaction per payment type, those side by side (their writes
    //    touch disjoint rows: a shopper's own payment and storage, and the funnel rows of that payment type);
    // 3. at the end of the hour and at that time, what the jobs would have done by then: the sweeper, the return
    //    watch and, at some hours, the anomaly checks.
    const end = plan.end.getTime();
    const alertHours = alertSchedule(plan);
    // A transaction may need a second connection (PaymentInitService's look-up before its transaction), and the
    // seeding lock holds one: so many payment types at once that the pool never runs dry.
    const parallel = Math.max(1, Math.floor((config.database.poolSize - 1) / 2));
    let expiredStorages = 0;
    let alertTicks = 0;
    let i = 0;
    for (let hour = Math.floor(plan.start.getTime() / HOUR) * HOUR; hour < end; hour += HOUR) {
      const hourEnd = Math.min(end, hour + HOUR);
      const at = new Date(hourEnd);
      const inits: typeof steps = [];
      const lanes = new Map<string, typeof steps>();
      // The last hour also takes what belongs to a step just before the end (an init's answer).
      for (; i < steps.length && ((steps[i]?.step.at ?? 0) < hourEnd || hourEnd === end); i++) {
        const x = steps[i] as (typeof steps)[number];
        if (x.step.step.kind === 'storage.initialized') inits.push(x);
        else {
          const lane = lanes.get(x.shopper.paymentType);
          if (lane) lane.push(x);
          else lanes.set(x.shopper.paymentType, [x]);
        }
      }
      const run = async (batch: typeof steps, jobs?: () => Promise<void>): Promise<void> => {
        try {
          await this.deps.events.batch(async () => {
            for (const { shopper, step } of batch) await playStep(shopper, step);
            await jobs?.();
          });
        } catch (error) {
          // The transaction did not commit: all of its steps are lost.
          failedSteps += batch.length;
          this.logger.warn(`history up to ${at.toISOString()} not stored: ${error instanceof Error ? error.message : String(error)}`);
        }
      };
      if (inits.length) await run(inits);
      const queue = [...lanes.values()];
      await Promise.all(
        Array.from({ length: Math.min(parallel, queue.length) }, async () => {
          for (let lane = queue.shift(); lane; lane = queue.shift()) await run(lane);
        }),
      );
      await run([], async () => {
        // Expiry is stamped at each storage's own expires_at, whenever the sweeper comes by.
        expiredStorages += (await this.deps.sweeper.sweep(at)).expired;
        await returns.flagReturnsWithoutConfirmation(config.returnGraceSeconds, at);
        if (this.deps.alerts && alertHours(hourEnd)) {
          await this.deps.alerts.runOnce(new Date(hourEnd - 1));
          alertTicks++;
        }
      });
    }

    const reconciled = options.reconcile === false ? 0 : await this.reconcile(ledger, quietShops, plan.end);

    return this.summarize(plan, options.days, { steps: steps.length, failedSteps, expiredStorages, reconciled, alertTicks }, performance.now() - started);
  }

  /**
   * Gateway reconciliation over the payments of the reconciliation window, answered by the seeded gateway (with two
   * disagreements planted among the recent approvals): the live job then finds them checked in their state and
   * does not ask the real gateway, which never saw them.
   */
  private async reconcile(ledger: SeededGatewayLedger, shops: ShopsService, end: Date): Promise<number> {
    const recent = ledger.approvedSince(new Date(end.getTime() - this.deps.config.reconciliation.windowSeconds * 1000 + HOUR));
    if (recent.length >= 6) {
      ledger.disagreeOn(recent[Math.floor(recent.length / 3)] as string, 'amount');
      ledger.disagreeOn(recent[Math.floor((2 * recent.length) / 3)] as string, 'missing');
    }
    const reconciliation = this.deps.reconciliation(ledger, shops);
    let checked = 0;
    for (let pass = 0; pass < 100; pass++) {
      const r = await reconciliation.run({ limiter: { acquire: async () => 0 }, maxPayments: 10_000 });
      checked += r.checked;
      if (!r.locked || r.passComplete) break;
    }
    return checked;
  }

  private async apply(shop: Shop, s: HistoryShopper, timed: TimedStep, ctx: { confirmations: ConfirmationService; returns: ReturnService; ledger: SeededGatewayLedger }): Promise<void> {
    const at = new Date(timed.at);
    const step = timed.step;
    const gatewayCall = { durationMs: 70 + ((s.index * 37 + timed.at) % 260) };
    switch (step.kind) {
      case 'checkout.started':
      case 'checkout.step':
        await this.deps.checkoutEvents.record(
          shop,
          { kind: step.kind, orderIdent: s.orderIdent, paymentType: s.paymentType, occurredAt: at.toISOString(), ...(step.kind === 'checkout.step' ? { name: 'order-review' } : {}) },
          at,
        );
        return;
      case 'storage.initialized':
        await this.deps.storages.recordInitialized(
          shop,
          { storageId: s.storageId as string, javascriptUrl: storageJavascriptUrl(this.deps.config.gateway.baseUrl, shop, s.storageId as string), orderIdent: s.orderIdent, language: shop.language },
          gatewayCall,
          at,
          at,
        );
        return;
      case 'storage.read':
        await this.deps.storages.recordRead(
          shop,
          { storageId: s.storageId as string, orderIdent: s.orderIdent },
          [anonymized(toPaymentInformation(storedPaymentInformation(s)))],
          gatewayCall,
          at,
          at,
        );
        return;
      case 'payment.initiated':
        await this.deps.payments.recordInitiated(shop, paymentRequestOf(shop, s), s.paymentId, s.storageId, at);
        return;
      case 'storage.consumed':
        await this.deps.payments.recordConsumed(shop, { paymentId: s.paymentId, storageId: s.storageId as string, orderIdent: s.orderIdent, paymentType: s.paymentType }, gatewayCall, at);
        return;
      case 'payment.init_failed': {
        const errors = [{ errorCode: '10099', message: 'Internal error.' }];
        await this.deps.payments.recordInitEnd(shop, s.paymentId, paymentRequestOf(shop, s), s.storageId, s.orderIdent, 'INIT_FAILED', 'payment.init_failed', {
          outcome: 'declined',
          errors,
          gateway: { ...gatewayCall, httpStatus: 200, body: encodeForm(encodeErrors(errors)) },
        }, at);
        return;
      }
      case 'confirmation': {
        const body = confirmationBody(shop, s, step, at);
        // The gateway posts from its own address; forged and probing requests come from elsewhere.
        const outcome = await ctx.confirmations.handle(body, s.attackerAddress ?? '127.0.0.1', at);
        if (outcome.result === 'accepted' && step.state === 'SUCCESS' && !step.forged) ctx.ledger.approve(s, at);
        return;
      }
      case 'consumer.returned':
        await ctx.returns.record(step.outcome, { paymentId: s.paymentId, shopId: s.shopId }, s.ipAddress, at);
        return;
    }
  }

  private async summarize(
    plan: HistoryPlan,
    days: number,
    counts: Pick<HistorySeedResult, 'steps' | 'failedSteps' | 'expiredStorages' | 'reconciled' | 'alertTicks'>,
    durationMs: number,
  ): Promise<HistorySeedResult> {
    const sql = this.deps.dataSource;
    const grouped = async (query: string): Promise<Record<string, number>> =>
      Object.fromEntries(((await sql.query(query)) as { k: string; n: number }[]).map((r) => [r.k, r.n]));
    const states = await grouped(`SELECT state AS k, count(*)::int AS n FROM payments GROUP BY 1 ORDER BY 1`);
    const [events] = (await sql.query(`SELECT count(*)::int AS n FROM checkout_events`)) as { n: number }[];
    return {
      days,
      from: plan.start,
      to: plan.end,
      shoppers: plan.shoppers.length,
      ...counts,
      payments: Object.values(states).reduce((sum, n) => sum + n, 0),
      states,
      events: events?.n ?? 0,
      mismatches: await grouped(`SELECT kind AS k, count(*)::int AS n FROM mismatches GROUP BY 1 ORDER BY 1`),
      alerts: await grouped(`SELECT status AS k, count(*)::int AS n FROM alerts GROUP BY 1 ORDER BY 1`),
      anomalies: plan.anomalies,
      durationMs: Math.round(durationMs),
    };
  }
}

/** What the demo shop's server sends to POST /api/checkout/payments for this shopper, parsed as the API parses it. */
export function paymentRequestOf(shop: Shop, s: HistoryShopper): InitPaymentRequest {
  const address = { firstname: s.consumer.firstname, lastname: s.consumer.lastname, address1: s.consumer.address1, zipCode: s.consumer.zipCode, city: s.consumer.city, country: s.consumer.country };
  const basket = s.basket.map(({ productId, quantity }) => {
    const p = HISTORY_PRODUCTS.find((x) => x.id === productId) ?? (HISTORY_PRODUCTS[0] as (typeof HISTORY_PRODUCTS)[number]);
    const net = Math.round((p.cents * 100) / (100 + p.taxRate));
    const cents = (n: number): string => `${Math.trunc(n / 100)}.${String(n % 100).padStart(2, '0')}`;
    return { articleNumber: p.id, quantity, name: p.name, unitGrossAmount: cents(p.cents), unitNetAmount: cents(net), unitTaxAmount: cents(p.cents - net), unitTaxRate: String(p.taxRate) };
  });
  const body = {
    ...(s.storageId ? { storageId: s.storageId } : {}),
    orderIdent: s.orderIdent,
    amount: s.amount,
    currency: 'EUR',
    paymentType: s.paymentType,
    orderDescription: `Bean & Brew order ${s.orderIdent}`,
    orderReference: s.orderIdent,
    consumerIpAddress: s.ipAddress,
    consumerUserAgent: s.userAgent,
    language: shop.language,
    consumerEmail: s.consumer.email,
    ...(s.financialInstitution ? { financialInstitution: s.financialInstitution } : {}),
    billingAddress: address,
    shippingAddress: address,
    basket,
  };
  const { request, problems } = parseInitPaymentRequest(body);
  if (!request) throw new Error(`seeded payment request refused: ${problems.join('; ')}`);
  return request;
}

/**
 * The event store the seeder's services write through. {@link batch} runs a stretch of history in one transaction:
 * every domain call inside it (each of which opens "its" transaction) joins that one, so an hour of history costs
 * one commit instead of one per write — the writes themselves are the domain code's, unchanged. Its transactions
 * run with `synchronous_commit` off (a crash while seeding may lose the last moments of made-up history, nothing
 * else), which saves a WAL flush per commit.
 */
export class SeedingEventStore extends EventStore {
  private readonly ambient = new AsyncLocalStorage<EventTransaction>();

  override transaction<T>(work: (tx: EventTransaction) => Promise<T>): Promise<T> {
    const joined = this.ambient.getStore();
    if (joined) return work(joined);
    return super.transaction(async (tx) => {
      await tx.query('SET LOCAL synchronous_commit TO off');
      return work(tx);
    });
  }

  /**
   * A statement of the confirmation's fast path: inside a batch it joins the batch's transaction too. (Its one
   * expected error, a concurrent copy of a delivery, cannot happen there: a shopper's steps play in order in one
   * lane, and the fast path sees its own batch's events.)
   */
  override query<T>(sql: string, parameters: unknown[]): Promise<T[]> {
    const joined = this.ambient.getStore();
    return joined ? joined.query<T>(sql, parameters) : super.query<T>(sql, parameters);
  }

  /** Runs `work` in one transaction that every {@link transaction} and {@link query} inside it joins. */
  batch<T>(work: () => Promise<T>): Promise<T> {
    return this.transaction((tx) => this.ambient.run(tx, work));
  }
}

/**
 * The `npm start` hook (demo mode, DEMO_HISTORY_DAYS > 0): on a database without payments or events, seeds the
 * history and prints one line about it (plain text, like the demo admin's credentials: `npm start` runs the
 * ingester at LOG_LEVEL=warn). Never throws: a failed seeding is logged and the ingester starts regardless.
 */
export async function seedDemoHistory(
  app: INestApplication,
  config: IngesterConfig,
  out: NodeJS.WritableStream = process.stdout,
  logger = new Logger('HistorySeeder'),
): Promise<HistorySeedResult | null> {
  if (!config.demoMode || config.demoHistoryDays <= 0) return null;
  if (config.database.poolSize < MIN_POOL_FOR_SEEDING) {
    logger.warn(`demo history not seeded: it needs DB_POOL_SIZE of at least ${MIN_POOL_FOR_SEEDING}`);
    return null;
  }
  const seeder = HistorySeeder.fromApp(app, config);
  try {
    if (!(await seeder.isEmpty())) return null;
    const r = await seeder.seed({ days: config.demoHistoryDays });
    if (r) out.write(`  ${describeSeeding(r)}\n`);
    return r;
  } catch (error) {
    logger.error(`demo history not seeded: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return null;
  }
}

/** The one line about a seeding. */
export function describeSeeding(r: HistorySeedResult): string {
  const list = (counts: Record<string, number>): string =>
    Object.entries(counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ') || 'none';
  const day = (d: Date): string => d.toISOString().slice(0, 16).replace('T', ' ');
  return (
    `Demo history: ${r.days} day${r.days === 1 ? '' : 's'} (${day(r.from)} – ${day(r.to)} UTC) seeded through the domain code in ${(r.durationMs / 1000).toFixed(1)} s — ` +
    `${r.shoppers} shoppers, ${r.payments} payments (${list(r.states)}), ${r.events} events, ${r.expiredStorages} expired storages, ` +
    `mismatches: ${list(r.mismatches)}, alerts: ${list(r.alerts)}, ${r.reconciled} reconciled; ` +
    `bad hour ${day(r.anomalies.badHour)}, confirmation outage ${day(r.anomalies.confirmationOutage.from)} UTC` +
    (r.failedSteps ? `; ${r.failedSteps} step(s) FAILED (see the log)` : '')
  );
}
