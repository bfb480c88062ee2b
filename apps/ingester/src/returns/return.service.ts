import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PaymentState, ReturnOutcome } from '@seamless-ops/contracts';
import { isPaymentId } from '../checkout/correlation';
import { INGESTER_CONFIG } from '../config/config.module';
import type { IngesterConfig } from '../config/config';
import { returnContradiction } from '../confirmation/payment-state-machine';
import { EventStore } from '../events/event-store';
import { Metrics } from '../observability/metrics';
import { ShopsService } from '../shops/shops.service';

interface ReturnedPayment {
  id: string;
  shop_id: string;
  state: PaymentState;
  order_ident: string | null;
  payment_type: string;
  returned_at: Date | null;
}

/**
 * Browser returns (ARCHITECTURE §1.6): the consumer's browser comes back from the gateway. A return proves
 * nothing (no parameters, no signature): it is recorded, compared with the confirmed state, and never sets one.
 */
@Injectable()
export class ReturnService {
  private readonly logger = new Logger(ReturnService.name);

  constructor(
    private readonly events: EventStore,
    private readonly shops: ShopsService,
    private readonly metrics: Metrics,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {}

  /**
   * Records the return and tells where to send the browser (null: no shop can be told). `at` is when the browser
   * came back (default: the database's now()); history seeding passes it.
   */
  async record(outcome: ReturnOutcome, query: { paymentId?: string; shopId?: string }, sourceAddress: string | null, at?: Date): Promise<string | null> {
    this.metrics.returns.inc({ outcome });
    const paymentId = isPaymentId(query.paymentId) ? query.paymentId.toLowerCase() : null;
    let payment: ReturnedPayment | null = null;
    try {
      payment = await this.events.transaction(async (tx) => {
        const rows = paymentId
          ? await tx.query<ReturnedPayment>(
              `SELECT id, shop_id, state, order_ident, payment_type, returned_at FROM payments WHERE id = $1 FOR UPDATE`,
              [paymentId],
            )
          : [];
        const found = rows[0] ?? null;
        const shopId = found?.shop_id ?? (query.shopId && this.shops.get(query.shopId) ? query.shopId : null);
        const event = await tx.append({
          kind: 'consumer.returned',
          source: 'consumer',
          shopId,
          paymentId: found?.id ?? null,
          orderIdent: found?.order_ident ?? null,
          paymentState: found?.state ?? null,
          paymentType: found?.payment_type ?? null,
          ...(at ? { occurredAt: at } : {}),
          payload: { outcome, knownPayment: Boolean(found), ...(found ? {} : { claimedPaymentId: query.paymentId ?? null }) },
          sourceAddress,
        });
        if (!found || !event) return found;
        await tx.query(
          `UPDATE payments SET returned_at = coalesce(returned_at, $2), return_outcome = coalesce(return_outcome, $3), updated_at = now()
           WHERE id = $1`,
          [found.id, event.occurredAt, outcome],
        );
        if (!found.returned_at) await tx.bumpFunnel(event.occurredAt, found.shop_id, found.payment_type, { returns: 1 });
        const contradiction = returnContradiction(outcome, found.state);
        if (contradiction) await tx.openMismatch({ ...contradiction, shopId: found.shop_id, paymentId: found.id, ...(at ? { detectedAt: at } : {}) });
        return found;
      });
    } catch (error) {
      // The consumer must not be stranded because the database is unavailable: send the browser on regardless.
      this.logger.error(`return not recorded: ${error instanceof Error ? error.message : String(error)}`);
    }

    const shop = this.shops.get(payment?.shop_id ?? query.shopId ?? '') ?? this.shops.soleShop();
    if (!shop) return null;
    const target = new URL(shop.returnUrls[outcome]);
    if (payment) {
      target.searchParams.set('paymentId', payment.id);
      if (payment.order_ident) target.searchParams.set('orderIdent', payment.order_ident);
    }
    return target.toString();
  }

  /**
   * Payments whose consumer came back more than `graceSeconds` ago without any confirmation become mismatches
   * (PROTOCOL.md §12 #8–#10: a firewall or an outage swallowed the confirmation). One runner per tick. An explicit
   * `now` (tests, history seeding) is also the mismatches' detection time; otherwise that is the database's now().
   */
  async flagReturnsWithoutConfirmation(graceSeconds = this.config.returnGraceSeconds, explicitNow?: Date): Promise<number> {
    const now = explicitNow ?? new Date();
    return this.events.transaction(async (tx) => {
      const [lock] = await tx.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(7405338101) AS locked`);
      if (!lock.locked) return 0;
      const rows = await tx.query<{ id: string; shop_id: string; return_outcome: string; returned_at: Date }>(
        `SELECT p.id, p.shop_id, p.return_outcome, p.returned_at FROM payments p
         WHERE p.returned_at < $1::timestamptz - make_interval(secs => $2)
           AND p.first_confirmation_at IS NULL
           AND p.state IN ('INITIATED', 'UNKNOWN')
           AND NOT EXISTS (SELECT 1 FROM mismatches m WHERE m.payment_id = p.id AND m.kind = 'return_without_confirmation')
         ORDER BY p.returned_at
         LIMIT 500
         FOR UPDATE OF p SKIP LOCKED`,
        [now, graceSeconds],
      );
      for (const p of rows) {
        const minutes = Math.round((now.getTime() - new Date(p.returned_at).getTime()) / 60_000);
        await tx.openMismatch({
          shopId: p.shop_id,
          paymentId: p.id,
          kind: 'return_without_confirmation',
          reason: `returned to ${p.return_outcome} page ${minutes} min ago, no confirmation received`,
          detail: { returnOutcome: p.return_outcome, returnedAt: new Date(p.returned_at).toISOString() },
          ...(explicitNow ? { detectedAt: explicitNow } : {}),
        });
      }
      return rows.length;
    });
  }
}
