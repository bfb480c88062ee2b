import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { GatewayCheckOutcome, PaymentState } from '@seamless-ops/contracts';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { EventStore, type EventTransaction } from '../events/event-store';
import { ShopsService } from '../shops/shops.service';
import { GatewayBackend, GatewayCallLimiter } from './gateway-backend';
import { answerOf, appendCheckEvent, lockPaymentForCheck, openGatewayDisagreement, resolveGatewayDisagreement, upsertPaymentCheck } from './gateway-checks';
import { compareWithGateway, gatewayView } from './gateway-order';
import { GATEWAY_RECONCILIATION_LOCK_KEY, GatewayJobSchedule, withTickLock } from './job-lock';
import type { RateLimiter } from './rate-limiter';

/** Candidates read per query; the checkpoint moves after each payment. */
const BATCH = 100;

export interface ReconciliationRunOptions {
  /** "Now" for the window and the settle delay (tests move it); default the database's clock. */
  now?: Date;
  /** Default: the process's GatewayCallLimiter (RECONCILIATION_CALLS_PER_SECOND). */
  limiter?: Pick<RateLimiter, 'acquire'>;
  /** Gateway calls in this run at most; default RECONCILIATION_MAX_PER_TICK. */
  maxPayments?: number;
}

export interface ReconciliationRunResult {
  /** False: another runner held the lock; this run did nothing. */
  locked: boolean;
  /** Payments the gateway was asked about. */
  checked: number;
  outcomes: Partial<Record<GatewayCheckOutcome, number>>;
  /** Asked, but their state changed during the call: left for the next run. */
  changedMeanwhile: number;
  /** The run reached the end of the candidates (the next one starts a new pass from the beginning). */
  passComplete: boolean;
}

interface Candidate {
  id: string;
  shopId: string;
  orderNumber: string;
  state: PaymentState;
  /** Keyset position at microsecond precision (text: a JavaScript Date would round it). */
  sortAt: string;
}

/**
 * Gateway reconciliation (issue 5 item 2): every RECONCILIATION_INTERVAL_MINUTES (when JOBS=on) asks the gateway
 * (getOrderDetails, with the shop's back-end password) about recent payments — those with an orderNumber, final
 * or PENDING, first confirmed within RECONCILIATION_WINDOW_HOURS, whose state is at least
 * RECONCILIATION_SETTLE_SECONDS old, and not checked since they reached it — and records a
 * `reconciliation.checked` event for each. Disagreements open a `gateway_disagrees` mismatch with the reasons
 * inline (see compareWithGateway); a later agreeing check resolves it. It only reports: it never changes a
 * payment's state (the pending janitor settles PENDING payments on gateway evidence).
 *
 * - One runner at a time: each tick holds pg_try_advisory_xact_lock (withTickLock); other replicas skip.
 * - Rate-limited: every call waits for the process's limiter (RECONCILIATION_CALLS_PER_SECOND).
 * - Resumable: payments are taken in (first confirmation, id) order; the position of the last finished payment is
 *   written to `job_checkpoints` in the transaction of its check, so a restart (or the next tick, when a tick's
 *   budget RECONCILIATION_MAX_PER_TICK ran out) continues after it. A run that finds nothing after the position
 *   clears it: the next run starts a new pass.
 * - A gateway answer we cannot use (timeout, network, HTTP error, refusal) is recorded with outcome unknown or
 *   declined and never counts as a disagreement; the payment stays a candidate, so the next pass asks again.
 */
@Injectable()
export class GatewayReconciliation implements OnApplicationBootstrap, OnModuleDestroy {
  static readonly JOB = 'gateway-reconciliation';
  private readonly logger = new Logger('GatewayReconciliation');
  private readonly schedule: GatewayJobSchedule;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventStore,
    private readonly shops: ShopsService,
    private readonly backend: GatewayBackend,
    private readonly limiter: GatewayCallLimiter,
    scheduler: SchedulerRegistry,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {
    this.schedule = new GatewayJobSchedule(GatewayReconciliation.JOB, 'gateway reconciliation', scheduler, this.logger);
  }

  onApplicationBootstrap(): void {
    if (!this.schedule.start(this.config, this.config.reconciliation.intervalSeconds, () => this.run())) return;
    const unaskable = this.shops.shops.filter((s) => !this.backend.canAsk(s)).map((s) => s.id);
    if (unaskable.length) this.logger.warn(`no back-end password for shop(s) ${unaskable.join(', ')}: their payments are not reconciled with the gateway`);
  }

  onModuleDestroy(): Promise<void> {
    return this.schedule.stop();
  }

  async run(options: ReconciliationRunOptions = {}): Promise<ReconciliationRunResult> {
    const now = options.now ?? null;
    const limiter = options.limiter ?? this.limiter;
    const budget = options.maxPayments ?? this.config.reconciliation.maxPerTick;
    const askable = this.shops.shops.filter((s) => this.backend.canAsk(s)).map((s) => s.id);
    const result: ReconciliationRunResult = { locked: true, checked: 0, outcomes: {}, changedMeanwhile: 0, passComplete: false };

    const tick = await withTickLock(this.dataSource, GATEWAY_RECONCILIATION_LOCK_KEY, async (lock) => {
      let position = await this.readCheckpoint();
      let remaining = budget;
      while (remaining > 0 && !this.schedule.stopping) {
        const size = Math.min(remaining, BATCH);
        const batch = await this.candidates(now, askable, position, size);
        for (const candidate of batch) {
          if (this.schedule.stopping) return;
          await this.check(candidate, limiter, result);
          position = { at: candidate.sortAt, id: candidate.id };
          remaining--;
        }
        if (batch.length < size) {
          await this.dataSource.query(
            `UPDATE job_checkpoints SET position_at = NULL, position_id = NULL, pass_started_at = NULL, updated_at = now() WHERE job = $1`,
            [GatewayReconciliation.JOB],
          );
          result.passComplete = true;
          return;
        }
        await lock.confirm();
      }
    });
    if (!tick.locked) return { ...result, locked: false };
    return result;
  }

  private async readCheckpoint(): Promise<{ at: string; id: string } | null> {
    const [row] = (await this.dataSource.query(
      `SELECT to_char(position_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, position_id AS id
       FROM job_checkpoints WHERE job = $1 AND position_at IS NOT NULL`,
      [GatewayReconciliation.JOB],
    )) as { at: string; id: string }[];
    return row ?? null;
  }

  /**
   * The next candidates after the position. Without an injected `now` the database's clock decides (microseconds,
   * the same clock that stamped the payments: a JavaScript Date would lag by up to a millisecond).
   */
  private candidates(now: Date | null, shopIds: string[], after: { at: string; id: string } | null, limit: number): Promise<Candidate[]> {
    const { windowSeconds, settleSeconds } = this.config.reconciliation;
    return this.dataSource.query(
      `SELECT p.id, p.shop_id AS "shopId", p.order_number AS "orderNumber", p.state,
              to_char(k.sort_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "sortAt"
       FROM payments p
       CROSS JOIN LATERAL (SELECT coalesce(p.first_confirmation_at, p.final_at, p.created_at) AS sort_at) k
       LEFT JOIN payment_checks c ON c.payment_id = p.id
       WHERE p.order_number IS NOT NULL
         AND p.state IN ('SUCCESS', 'CANCEL', 'FAILURE', 'PENDING')
         AND p.shop_id = ANY($1::text[])
         AND k.sort_at >= coalesce($2::timestamptz, now()) - $3::int * interval '1 second'
         AND coalesce(p.final_at, p.first_confirmation_at, p.created_at) <= coalesce($2::timestamptz, now()) - $7::int * interval '1 second'
         AND c.checked_state IS DISTINCT FROM p.state
         AND ($4::timestamptz IS NULL OR (k.sort_at, p.id) > ($4::timestamptz, $5::uuid))
       ORDER BY k.sort_at, p.id
       LIMIT $6`,
      [shopIds, now, windowSeconds, after?.at ?? null, after?.id ?? null, limit, settleSeconds],
    ) as Promise<Candidate[]>;
  }

  /** Asks the gateway about one payment and records the answer with the checkpoint, in one transaction. */
  private async check(candidate: Candidate, limiter: Pick<RateLimiter, 'acquire'>, result: ReconciliationRunResult): Promise<void> {
    const shop = this.shops.get(candidate.shopId);
    if (!shop) return; // only configured shops are candidates
    await limiter.acquire();
    const answer = await this.backend.getOrderDetails(shop, candidate.orderNumber);
    result.checked++;
    const view = answer.outcome === 'success' ? gatewayView(candidate.orderNumber, answer.value, this.config.reconciliation.gatewayTimeZone) : undefined;

    const outcome = await this.events.transaction(async (tx) => {
      await this.saveCheckpoint(tx, candidate);
      const payment = await lockPaymentForCheck(tx, candidate.id);
      // A confirmation landed while we asked: compare the new state on the next pass, with a fresh answer.
      if (!payment || payment.state !== candidate.state || payment.orderNumber !== candidate.orderNumber) return null;
      const at = payment.txNow;
      if (!view) {
        const inconclusive: GatewayCheckOutcome = answer.outcome === 'declined' ? 'declined' : 'unknown';
        await appendCheckEvent(tx, { check: 'reconciliation', payment, outcome: inconclusive, stateAfter: payment.state, gateway: answerOf(answer, undefined) });
        await upsertPaymentCheck(tx, payment, { at, outcome: inconclusive });
        return inconclusive;
      }
      const verdict = compareWithGateway({ ...payment, orderNumber: candidate.orderNumber }, view);
      const conclusive: GatewayCheckOutcome = verdict.agrees ? 'agrees' : 'disagrees';
      await appendCheckEvent(tx, { check: 'reconciliation', payment, outcome: conclusive, stateAfter: payment.state, gateway: answerOf(answer, view), verdict });
      if (verdict.agrees) await resolveGatewayDisagreement(tx, payment.id);
      else await openGatewayDisagreement(tx, payment, view, verdict, 'reconciliation');
      await upsertPaymentCheck(tx, payment, { at, outcome: conclusive, checkedState: payment.state });
      return conclusive;
    });
    if (outcome === null) result.changedMeanwhile++;
    else {
      result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
      if (outcome === 'declined') this.logger.warn(`gateway refused getOrderDetails for order ${candidate.orderNumber} of shop ${shop.id}`);
    }
  }

  private async saveCheckpoint(tx: EventTransaction, candidate: Candidate): Promise<void> {
    await tx.query(
      `INSERT INTO job_checkpoints AS j (job, position_at, position_id, pass_started_at, updated_at)
       VALUES ($1, $2::timestamptz, $3, now(), now())
       ON CONFLICT (job) DO UPDATE SET
         position_at = excluded.position_at, position_id = excluded.position_id, updated_at = now(),
         pass_started_at = coalesce(j.pass_started_at, excluded.pass_started_at)`,
      [GatewayReconciliation.JOB, candidate.sortAt, candidate.id],
    );
  }
}
