import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { InitPaymentRequest, InitPaymentResponse, PaymentState, PaymentStatusResponse, ReturnOutcome } from '@seamless-ops/contracts';
import type { FrontendInitParams, FrontendInitResponse, GatewayResult } from '@seamless-ops/qenta';
import { INGESTER_CONFIG } from '../config/config.module';
import { CONFIRMATION_PATH } from '../confirmation/confirmation.endpoint';
import type { IngesterConfig } from '../config/config';
import { EventStore, type EventTransaction } from '../events/event-store';
import { Gateway } from '../gateway/gateway';
import type { Shop } from '../shops/shop';
import { consumeStorage, expireDueStorages, findStorage, isOverdue, type StorageRow } from '../storages/storage-lifecycle';
import { apiError, gatewayErrorDetails, invalidRequest } from './api-error';
import { CORRELATION_PARAMETER, isPaymentId } from './correlation';
import { isStorageBacked, parseInitPaymentRequest } from './payment-request';
import { exchangeSummary } from './storage-checkout.service';

/** Why a storage cannot start a payment, as the HTTP answer. */
function storageRefusal(row: StorageRow | undefined): { status: number; message: string } | undefined {
  if (!row) return { status: 404, message: 'storage not found' };
  if (row.status === 'consumed') return { status: 409, message: 'the storage has been used for a payment already; initialize a new one' };
  if (row.status === 'expired') return { status: 410, message: 'the storage has expired; initialize a new one' };
  return undefined;
}

interface PaymentRow {
  id: string;
  orderIdent: string | null;
  orderNumber: string | null;
  state: PaymentState;
  amount: string;
  currency: string;
  paymentType: string;
  holdReason: string | null;
  initiatedAt: Date | null;
  createdAt: Date;
  firstConfirmationAt: Date | null;
  finalAt: Date | null;
  returnedAt: Date | null;
  returnOutcome: ReturnOutcome | null;
}

/**
 * Payment init (PROTOCOL.md §7, ARCHITECTURE §1 step 4): the `payment.initiated` record commits before the
 * gateway is called, so a confirmation that arrives at once finds its payment; then `frontend/init` with our
 * confirmUrl, our return URLs and the correlation parameter. A declined init becomes INIT_FAILED, an init
 * whose answer we do not know becomes UNKNOWN (never retried by us: the shop decides).
 */
@Injectable()
export class PaymentInitService {
  private readonly logger = new Logger('PaymentInit');

  constructor(
    private readonly gateway: Gateway,
    private readonly events: EventStore,
    private readonly dataSource: DataSource,
    @Inject(INGESTER_CONFIG) private readonly config: IngesterConfig,
  ) {}

  async init(shop: Shop, body: unknown): Promise<InitPaymentResponse> {
    const { request, problems } = parseInitPaymentRequest(body);
    if (!request) throw invalidRequest(problems);
    const storageId = isStorageBacked(request.paymentType) ? (request.storageId as string) : null;
    const paymentId = randomUUID();
    const language = request.language ?? shop.language;

    const orderIdent = await this.recordInitiated(shop, request, paymentId, storageId);
    const params = this.frontendParams(shop, request, paymentId, language, storageId, orderIdent);

    let result: GatewayResult<FrontendInitResponse>;
    try {
      result = await this.gateway.frontendInit(shop, params);
    } catch (error) {
      // The request could not even be built (a programmer error): nothing was sent, so the init failed.
      this.logger.error(`frontend/init not sent for ${paymentId}: ${error instanceof Error ? error.message : String(error)}`);
      await this.recordInitEnd(shop, paymentId, request, storageId, orderIdent, 'INIT_FAILED', 'payment.init_failed', { outcome: 'not_sent' });
      throw apiError(500, 'the payment could not be initiated');
    }

    if (result.outcome === 'declined') {
      await this.recordInitEnd(shop, paymentId, request, storageId, orderIdent, 'INIT_FAILED', 'payment.init_failed', {
        outcome: 'declined',
        errors: result.errors,
        gateway: exchangeSummary(result.exchange, true),
      });
      throw apiError(502, 'the gateway declined the payment initialization', gatewayErrorDetails(result.errors));
    }
    if (result.outcome === 'unknown') {
      await this.recordInitEnd(shop, paymentId, request, storageId, orderIdent, 'UNKNOWN', 'payment.init_unknown', {
        outcome: 'unknown',
        reason: result.reason,
        detail: result.detail,
        gateway: exchangeSummary(result.exchange, true),
      });
      throw apiError(504, `the gateway's answer to the payment initialization is unknown (${result.reason}); it is not retried: check the payment's status before starting another`, [
        `paymentId ${paymentId}`,
        result.detail,
      ]);
    }

    if (storageId) await this.recordConsumed(shop, { paymentId, storageId, orderIdent, paymentType: request.paymentType }, exchangeSummary(result.exchange, false));
    return { paymentId, redirectUrl: result.value.redirectUrl };
  }

  /** The gateway accepted the payment's init: its storage is used up (`storage.consumed`), at `at` (default: now). */
  async recordConsumed(
    shop: Shop,
    p: { paymentId: string; storageId: string; orderIdent: string | null; paymentType: string },
    gateway: Record<string, unknown>,
    at?: Date,
  ): Promise<void> {
    await this.events.transaction(async (tx) => {
      await consumeStorage(tx, p.storageId, p.paymentId, at);
      await tx.append({
        kind: 'storage.consumed',
        source: 'shop',
        shopId: shop.id,
        paymentId: p.paymentId,
        storageId: p.storageId,
        orderIdent: p.orderIdent,
        paymentType: p.paymentType,
        ...(at ? { occurredAt: at } : {}),
        payload: { gateway },
      });
    });
  }

  /**
   * Checks the storage (404 / 409 / 410; an overdue one is expired on the spot) and commits `payment.initiated`,
   * the payments row and the funnel count, before the gateway is called. `at` (default: the database's now()) is
   * when it happened; history seeding passes it. Returns the orderIdent sent to the gateway.
   */
  async recordInitiated(shop: Shop, request: InitPaymentRequest, paymentId: string, storageId: string | null, at?: Date): Promise<string | null> {
    // Cheap refusal without a transaction for the common mistakes.
    if (storageId) {
      const refusal = storageRefusal(await findStorage(this.dataSource, shop.id, storageId));
      if (refusal) throw apiError(refusal.status, refusal.message);
    }
    const outcome = await this.events.transaction(async (tx) => {
      let orderIdent = request.orderIdent ?? null;
      if (storageId) {
        // The row lock serialises inits on one storage; the second sees the first's payment below.
        const storage = await findStorage(tx, shop.id, storageId, true);
        const refusal = storageRefusal(storage);
        if (refusal) return { refusal };
        const row = storage as StorageRow;
        if (isOverdue(row, at ?? new Date())) {
          await expireDueStorages(tx, { now: at ?? new Date(), limit: 1, storageId });
          return { refusal: { status: 410, message: 'the storage has expired; initialize a new one' } };
        }
        if (request.orderIdent !== undefined && request.orderIdent !== row.orderIdent) {
          return { refusal: { status: 400, message: `orderIdent "${request.orderIdent}" is not the storage's orderIdent` } };
        }
        if (await this.initInFlight(tx, storageId, at)) {
          return { refusal: { status: 409, message: 'another payment is being initiated with this storage' } };
        }
        orderIdent = row.orderIdent;
      }
      const event = await tx.append({
        kind: 'payment.initiated',
        source: 'shop',
        shopId: shop.id,
        paymentId,
        storageId,
        orderIdent,
        paymentState: 'INITIATED',
        amount: request.amount,
        currency: request.currency,
        paymentType: request.paymentType,
        ...(at ? { occurredAt: at } : {}),
        payload: {
          orderDescription: request.orderDescription,
          language: request.language ?? shop.language,
          ...(request.orderReference !== undefined ? { orderReference: request.orderReference } : {}),
          ...(request.customerStatement !== undefined ? { customerStatement: request.customerStatement } : {}),
          ...(request.financialInstitution !== undefined ? { financialInstitution: request.financialInstitution } : {}),
          ...(request.basket ? { basketItems: request.basket.length } : {}),
        },
      });
      const initiatedAt = event?.occurredAt ?? at ?? new Date();
      // created_at is the initiation too (the pending and payment lists order by it).
      await tx.query(
        `INSERT INTO payments (id, shop_id, storage_id, order_ident, payment_type, amount, currency, state, initiated_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'INITIATED', $8, $8)`,
        [paymentId, shop.id, storageId, orderIdent, request.paymentType, request.amount, request.currency, initiatedAt],
      );
      await tx.bumpFunnel(initiatedAt, shop.id, request.paymentType, { paymentsInitiated: 1 });
      return { orderIdent };
    });
    if ('refusal' in outcome && outcome.refusal) throw apiError(outcome.refusal.status, outcome.refusal.message);
    return (outcome as { orderIdent: string | null }).orderIdent;
  }

  /** An INITIATED payment on this storage younger than a gateway call (plus margin) at `at` is still waiting for its answer. */
  private async initInFlight(tx: EventTransaction, storageId: string, at?: Date): Promise<boolean> {
    const rows = await tx.query(
      `SELECT 1 FROM payments WHERE storage_id = $1 AND state = 'INITIATED' AND initiated_at > coalesce($3::timestamptz, now()) - make_interval(secs => $2) LIMIT 1`,
      [storageId, this.config.gateway.timeoutMs / 1000 + 5, at ?? null],
    );
    return rows.length > 0;
  }

  private frontendParams(shop: Shop, r: InitPaymentRequest, paymentId: string, language: string, storageId: string | null, orderIdent: string | null): FrontendInitParams {
    const base = this.config.http.publicBaseUrl;
    const returnUrl = (outcome: ReturnOutcome): string =>
      `${base}/qenta/return/${outcome}?paymentId=${encodeURIComponent(paymentId)}&shopId=${encodeURIComponent(shop.id)}`;
    const params: FrontendInitParams = {
      language,
      paymentType: r.paymentType,
      amount: r.amount,
      currency: r.currency,
      orderDescription: r.orderDescription,
      successUrl: returnUrl('success'),
      cancelUrl: returnUrl('cancel'),
      failureUrl: returnUrl('failure'),
      pendingUrl: returnUrl('pending'),
      serviceUrl: shop.serviceUrl,
      confirmUrl: `${base}${CONFIRMATION_PATH}`,
      consumerIpAddress: r.consumerIpAddress,
      consumerUserAgent: r.consumerUserAgent,
      customParameters: { [CORRELATION_PARAMETER]: paymentId },
    };
    if (storageId) params.storageId = storageId;
    if (orderIdent) params.orderIdent = orderIdent;
    if (r.orderReference !== undefined) params.orderReference = r.orderReference;
    if (r.customerStatement !== undefined) params.customerStatement = r.customerStatement;
    if (r.financialInstitution !== undefined) params.financialInstitution = r.financialInstitution;
    if (r.consumerEmail !== undefined || r.billingAddress || r.shippingAddress) {
      params.consumer = {};
      if (r.consumerEmail !== undefined) params.consumer.email = r.consumerEmail;
      if (r.billingAddress) params.consumer.billing = r.billingAddress;
      if (r.shippingAddress) params.consumer.shipping = r.shippingAddress;
    }
    if (r.basket) params.basket = r.basket;
    return params;
  }

  /**
   * The init's end when it did not succeed: the payment's state (only from INITIATED), its event and funnel, at `at`
   * (default: the database's now()).
   */
  async recordInitEnd(
    shop: Shop,
    paymentId: string,
    request: InitPaymentRequest,
    storageId: string | null,
    orderIdent: string | null,
    state: 'INIT_FAILED' | 'UNKNOWN',
    kind: 'payment.init_failed' | 'payment.init_unknown',
    payload: Record<string, unknown>,
    at?: Date,
  ): Promise<void> {
    await this.events.transaction(async (tx) => {
      const event = await tx.append({
        kind,
        source: 'shop',
        shopId: shop.id,
        paymentId,
        storageId,
        orderIdent,
        paymentState: state,
        amount: request.amount,
        currency: request.currency,
        paymentType: request.paymentType,
        ...(at ? { occurredAt: at } : {}),
        payload,
      });
      // A confirmation may have moved the payment on meanwhile; its state then stands.
      await tx.query(`UPDATE payments SET state = $2, updated_at = now() WHERE id = $1 AND state = 'INITIATED'`, [paymentId, state]);
      if (state === 'INIT_FAILED' && event) await tx.bumpFunnel(event.occurredAt, shop.id, request.paymentType, { initFailures: 1 });
    });
  }

  async status(shop: Shop, paymentId: string): Promise<PaymentStatusResponse> {
    if (!isPaymentId(paymentId)) throw apiError(404, 'payment not found');
    const rows = await this.dataSource.query<PaymentRow[]>(
      `SELECT id, order_ident AS "orderIdent", order_number AS "orderNumber", state, amount, currency, payment_type AS "paymentType",
              hold_reason AS "holdReason", initiated_at AS "initiatedAt", created_at AS "createdAt",
              first_confirmation_at AS "firstConfirmationAt", final_at AS "finalAt", returned_at AS "returnedAt", return_outcome AS "returnOutcome"
       FROM payments WHERE id = $1 AND shop_id = $2`,
      [paymentId.toLowerCase(), shop.id],
    );
    const p = rows[0];
    if (!p) throw apiError(404, 'payment not found');
    const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
    return {
      paymentId: p.id,
      orderIdent: p.orderIdent,
      orderNumber: p.orderNumber,
      state: p.state,
      amount: p.amount,
      currency: p.currency.trim(),
      paymentType: p.paymentType,
      onHold: p.holdReason !== null,
      holdReason: p.holdReason,
      initiatedAt: (p.initiatedAt ?? p.createdAt).toISOString(),
      firstConfirmationAt: iso(p.firstConfirmationAt),
      finalAt: iso(p.finalAt),
      returnedAt: iso(p.returnedAt),
      returnOutcome: p.returnOutcome,
    };
  }
}
