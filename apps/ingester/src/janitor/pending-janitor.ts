import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { GatewayCheckOutcome, PaymentNotification, PaymentState } from '@seamless-ops/contracts';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { applyConfirmation } from '../confirmation/payment-state-machine';
import { EventStore, type EventTransaction } from '../events/event-store';
import { GatewayBackend, GatewayCallLimiter } from '../reconciliation/gateway-backend';
import {
  answerOf,
  appendCheckEvent,
  lockPaymentForCheck,
  openGatewayDisagreement,
  resolveGatewayDisagreement,
  upsertPaymentCheck,
  type CheckedPayment,
} from '../reconciliation/gateway-checks';
import { compareWithGateway, gatewayApproved, gatewayView, type GatewayView, type Verdict } from '../reconciliation/gateway-order';
import { GatewayJobSchedule, PENDING_JANITOR_LOCK_KEY, withTickLock } from '../reconciliation/job-lock';
import type { RateLimiter } from '../reconciliation/rate-limiter';
import type { Shop } from '../shops/shop';
import { ShopsService } from '../shops/shops.service';
import { nextCheckAt } from './backoff';

export interface JanitorRunOptions {
  /** "Now" for the age thresholds and the backoff schedule (tests move it); default the wall clock. */
  now?: Date;
  limiter?: Pick<RateLimiter, 'acquire'>;
  /** Payments in this run at most; default JANITOR_MAX_PER_TICK. */
  maxPayments?: number;
}

export interface JanitorRunResult {
  locked: boolean;
  /** Payments looked at (asked about, or found impossible to ask about). */
  checked: number;
  outcomes: Partial<Record<GatewayCheckOutcome, number>>;
  /** Payments settled on gateway evidence, by id. */
  settled: string[];
}

interface DuePayment {
  id: string;
  shopId: string;
  orderNumber: string | null;
  state: PaymentState;
  checkCount: number;
}

/** States the janitor looks after. */
const OPEN_STATES: readonly PaymentState[] = ['INITIATED', 'PENDING'];

/**
 * The pending janitor (issue 5 item 3): payments still INITIATED JANITOR_INITIATED_MINUTES (45) after their
 * initiation, or PENDING for JANITOR_PENDING_MINUTES (60), are checked against the gateway (getOrderDetails) on a
 * schedule that backs off per payment (`payment_checks.next_check_at`, `check_count`; JANITOR_BACKOFF 5m,1h,1d, the
 * last step repeating). Every check is a `reconciliation.checked` event (source system) with what the gateway said.
 *
 * What moves our state — only authoritative gateway evidence, through the confirmations' state machine
 * (applyConfirmation), in one transaction with the event:
 * - the gateway shows the payment approved or deposited (payment_approved / payment_deposited) for a PENDING (or
 *   INITIATED) payment that is not on hold → SUCCESS, with the gateway's amount checked as a confirmation's would
 *   be (a different amount holds the payment and opens amount_mismatch instead). The event says
 *   `settledByJanitor: true`; `final_at` is the gateway's approval time when it reads well, else now; the funnel and
 *   the shop's notification follow as for a confirmed SUCCESS; an open gateway_disagrees is resolved.
 * - nothing else: getOrderDetails never proves FAILURE or CANCEL (a failed payment leaves no order), so a PENDING
 *   the gateway does not know stays PENDING and is looked at again later; a closed or expired approval, or a held
 *   payment the gateway approved, opens a gateway_disagrees mismatch for a person.
 * - an INITIATED payment without an orderNumber (the consumer never finished, or the confirmation never came)
 *   cannot be looked up — getOrderDetails needs the order number. It is recorded as `unresolvable` and marked for
 *   attention (`payment_checks.attention_reason`), and not looked at again unless it gets an orderNumber. Same for
 *   a shop without a back-end password.
 * - unknown answers (timeout, network) and refusals are recorded and change nothing; unknown is retried on the next
 *   tick (not counted), a refusal is counted and backs off.
 */
@Injectable()
export class PendingJanitor implements OnApplicationBootstrap, OnModuleDestroy {
  static readonly JOB = 'pending-janitor';
  private readonly logger = new Logger('PendingJanitor');
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
    this.schedule = new GatewayJobSchedule(PendingJanitor.JOB, 'pending janitor', scheduler, this.logger);
  }

  onApplicationBootstrap(): void {
    this.schedule.start(this.config, this.config.janitor.intervalSeconds, () => this.run());
  }

  onModuleDestroy(): Promise<void> {
    return this.schedule.stop();
  }

  async run(options: JanitorRunOptions = {}): Promise<JanitorRunResult> {
    const now = options.now ?? new Date();
    const limiter = options.limiter ?? this.limiter;
    const limit = options.maxPayments ?? this.config.janitor.maxPerTick;
    const result: JanitorRunResult = { locked: true, checked: 0, outcomes: {}, settled: [] };
    const tick = await withTickLock(this.dataSource, PENDING_JANITOR_LOCK_KEY, async (lock) => {
      const due = await this.due(now, limit);
      for (const [i, payment] of due.entries()) {
        if (this.schedule.stopping) return;
        const outcome = await this.check(payment, now, limiter);
        if (outcome === null) continue;
        result.checked++;
        result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
        if (outcome === 'settled') result.settled.push(payment.id);
        if (i % 50 === 49) await lock.confirm();
      }
    });
    return tick.locked ? result : { ...result, locked: false };
  }

  private askableShops(): string[] {
    return this.shops.shops.filter((s) => this.backend.canAsk(s)).map((s) => s.id);
  }

  /** Due payments, longest waiting first. */
  private due(now: Date, limit: number): Promise<DuePayment[]> {
    const { initiatedAfterSeconds, pendingAfterSeconds } = this.config.janitor;
    return this.dataSource.query(
      `SELECT p.id, p.shop_id AS "shopId", p.order_number AS "orderNumber", p.state, coalesce(c.check_count, 0) AS "checkCount"
       FROM payments p
       LEFT JOIN payment_checks c ON c.payment_id = p.id
       WHERE ((p.state = 'INITIATED' AND coalesce(p.initiated_at, p.created_at) <= $1::timestamptz)
           OR (p.state = 'PENDING' AND coalesce(p.first_confirmation_at, p.initiated_at, p.created_at) <= $2::timestamptz))
         AND (c.next_check_at IS NULL OR c.next_check_at <= $3::timestamptz
              -- marked unresolvable, but it can be asked now (it got an orderNumber, or the shop a password)
              OR (c.last_outcome = 'unresolvable' AND p.order_number IS NOT NULL AND p.shop_id = ANY($4::text[])))
       ORDER BY coalesce(c.next_check_at, p.created_at), p.id
       LIMIT $5`,
      [new Date(now.getTime() - initiatedAfterSeconds * 1000), new Date(now.getTime() - pendingAfterSeconds * 1000), now, this.askableShops(), limit],
    ) as Promise<DuePayment[]>;
  }

  /** One payment: ask (or find it cannot be asked), record, perhaps settle. Null: its state changed meanwhile. */
  private async check(due: DuePayment, now: Date, limiter: Pick<RateLimiter, 'acquire'>): Promise<GatewayCheckOutcome | null> {
    const shop = this.shops.get(due.shopId);
    const unresolvable = !shop
      ? `shop ${due.shopId} is not configured`
      : !this.backend.canAsk(shop)
        ? `shop ${shop.id} has no back-end password: the gateway cannot be asked`
        : !due.orderNumber
          ? 'no orderNumber yet: the gateway can only be asked by order number'
          : null;
    if (unresolvable !== null || !shop || !due.orderNumber) {
      return this.events.transaction(async (tx) => {
        const payment = await this.relock(tx, due);
        if (!payment) return null;
        await appendCheckEvent(tx, {
          check: 'janitor',
          payment,
          outcome: 'unresolvable',
          stateAfter: payment.state,
          gateway: null,
          extra: { reason: unresolvable, attention: true },
        });
        await upsertPaymentCheck(tx, payment, { at: now, outcome: 'unresolvable', janitor: { nextCheckAt: 'never' }, attentionReason: unresolvable ?? 'unresolvable' });
        return 'unresolvable' as const;
      });
    }

    await limiter.acquire();
    const answer = await this.backend.getOrderDetails(shop, due.orderNumber);
    const view = answer.outcome === 'success' ? gatewayView(due.orderNumber, answer.value, this.config.reconciliation.gatewayTimeZone) : undefined;
    const outcome = await this.events.transaction(async (tx): Promise<GatewayCheckOutcome | null> => {
      const payment = await this.relock(tx, due);
      if (!payment) return null;
      const backoff = { nextCheckAt: nextCheckAt(now, due.checkCount + 1, this.config.janitor.backoffSeconds) };
      if (!view) {
        const inconclusive: GatewayCheckOutcome = answer.outcome === 'declined' ? 'declined' : 'unknown';
        await appendCheckEvent(tx, { check: 'janitor', payment, outcome: inconclusive, stateAfter: payment.state, gateway: answerOf(answer, undefined) });
        // unknown: retried on the next tick (not counted); declined: counted and backed off.
        await upsertPaymentCheck(tx, payment, { at: now, outcome: inconclusive, ...(inconclusive === 'declined' ? { janitor: backoff } : {}) });
        return inconclusive;
      }
      const verdict = compareWithGateway({ ...payment, orderNumber: due.orderNumber as string }, view);
      const gateway = answerOf(answer, view);
      if (gatewayApproved(view) && payment.holdReason === null) {
        const settled = await this.settle(tx, shop, payment, view, verdict, gateway);
        if (settled) {
          await upsertPaymentCheck(tx, payment, { at: now, outcome: 'settled', checkedState: 'SUCCESS', janitor: { nextCheckAt: null } });
          return 'settled';
        }
      }
      const conclusive: GatewayCheckOutcome = verdict.agrees ? 'agrees' : 'disagrees';
      await appendCheckEvent(tx, { check: 'janitor', payment, outcome: conclusive, stateAfter: payment.state, gateway, verdict });
      if (verdict.agrees) await resolveGatewayDisagreement(tx, payment.id);
      else await openGatewayDisagreement(tx, payment, view, verdict, 'janitor');
      await upsertPaymentCheck(tx, payment, { at: now, outcome: conclusive, checkedState: payment.state, janitor: backoff });
      return conclusive;
    });
    if (outcome === 'settled') this.logger.log(`payment ${due.id} settled SUCCESS on gateway evidence (${view?.paymentState})`);
    return outcome;
  }

  /** The payment, locked, if it is still what the janitor selected (a confirmation may have arrived meanwhile). */
  private async relock(tx: EventTransaction, due: DuePayment): Promise<CheckedPayment | null> {
    const payment = await lockPaymentForCheck(tx, due.id);
    if (!payment || payment.state !== due.state || !OPEN_STATES.includes(payment.state) || payment.orderNumber !== due.orderNumber) return null;
    return payment;
  }

  /**
   * Applies the gateway's evidence as a SUCCESS confirmation would be applied (same state machine). Returns false
   * when the state machine does not move the payment to SUCCESS (e.g. the gateway's amount differs: it holds the
   * payment and reports amount_mismatch, which is written here; the caller then records a disagreement).
   */
  private async settle(tx: EventTransaction, shop: Shop, payment: CheckedPayment, view: GatewayView, verdict: Verdict, gateway: Record<string, unknown>): Promise<boolean> {
    const transition = applyConfirmation(
      { state: payment.state, amount: payment.amount, currency: payment.currency, returnOutcome: payment.returnOutcome },
      { state: 'SUCCESS', amount: view.order?.amount ?? undefined, currency: view.order?.currency ?? undefined },
    );
    for (const m of transition.mismatches) await tx.openMismatch({ ...m, shopId: shop.id, paymentId: payment.id });
    if (!transition.changed || transition.state !== 'SUCCESS') {
      if (transition.holdReason) {
        await tx.query(`UPDATE payments SET hold_reason = coalesce(hold_reason, $2), updated_at = now() WHERE id = $1`, [payment.id, transition.holdReason]);
      }
      return false;
    }
    // When the money was approved, as the gateway tells it; our clock when that is unreadable or in the future.
    const approvedAt = view.approvedAt ? new Date(view.approvedAt) : null;
    const finalAt = approvedAt && approvedAt.getTime() <= payment.txNow.getTime() ? approvedAt : payment.txNow;
    await tx.query(
      `UPDATE payments SET state = 'SUCCESS', final_at = coalesce(final_at, $2), hold_reason = coalesce($3, hold_reason), updated_at = now()
       WHERE id = $1`,
      [payment.id, finalAt, transition.holdReason],
    );
    await appendCheckEvent(tx, {
      check: 'janitor',
      payment,
      outcome: 'settled',
      stateAfter: 'SUCCESS',
      gateway,
      verdict,
      extra: { settledByJanitor: true, from: payment.state, to: 'SUCCESS', finalAt: finalAt.toISOString() },
    });
    await tx.bumpFunnel(finalAt, shop.id, payment.paymentType, { successes: 1 });
    if (shop.notificationUrl) {
      const notification: PaymentNotification & { shopId: string } = {
        event: 'payment.state_changed',
        shopId: shop.id,
        paymentId: payment.id,
        orderIdent: payment.orderIdent,
        orderNumber: payment.orderNumber,
        state: 'SUCCESS',
        amount: payment.amount,
        currency: payment.currency,
        occurredAt: payment.txNow.toISOString(),
      };
      await tx.enqueue('payment.notification', shop.notificationUrl, notification);
    }
    await resolveGatewayDisagreement(tx, payment.id);
    return true;
  }
}
