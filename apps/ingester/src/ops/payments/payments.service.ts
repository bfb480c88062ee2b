import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PAYMENT_STATES, type Page, type PaymentDetailResponse, type PaymentListItem } from '@seamless-ops/contracts';
import { canSeeShop, shopScope, type AuthenticatedOperator } from '../../auth/operator-access';
import { toMismatchItem } from '../mismatches/mismatch-row';
import { notFound, QueryReader, UUID_PATTERN, type RawQuery } from '../ops-query';
import { iso, isoRequired, toPage } from '../ops-sql';
import { OutOfScope } from '../out-of-scope';
import { toPaymentListItem } from './payment-row';
import { findPayment, findStorage, listPayments, paymentMismatches, paymentTimeline } from './payments.queries';

const LIST_PARAMETERS = ['from', 'to', 'shopId', 'paymentType', 'state', 'q', 'cursor', 'limit'] as const;

/** `GET /api/ops/payments` and `GET /api/ops/payments/:paymentId`. */
@Injectable()
export class PaymentsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(operator: AuthenticatedOperator, query: RawQuery): Promise<Page<PaymentListItem>> {
    const r = new QueryReader(query, LIST_PARAMETERS);
    const range = r.listRange();
    const shopId = r.shopId();
    const paymentType = r.paymentType();
    const state = r.oneOf('state', PAYMENT_STATES);
    const q = r.string('q', { max: 128 });
    const cursor = r.cursor('payments', UUID_PATTERN);
    const limit = r.limit();
    r.done();
    const scope = shopScope(operator, shopId);
    const rows = await listPayments(this.dataSource, {
      scope,
      range,
      paymentType,
      state,
      q,
      qPaymentId: q && UUID_PATTERN.test(q) ? q.toLowerCase() : undefined,
      cursor,
      limit,
    });
    return toPage('payments', rows, limit, (row) => row.paymentId, toPaymentListItem);
  }

  /** One payment with its timeline; a payment the operator may not see is answered like an unknown one. */
  async detail(operator: AuthenticatedOperator, paymentId: string): Promise<PaymentDetailResponse> {
    if (!UUID_PATTERN.test(paymentId)) throw notFound('payment');
    const payment = await findPayment(this.dataSource, paymentId.toLowerCase());
    if (!payment) throw notFound('payment');
    if (!canSeeShop(operator, payment.shopId)) throw new OutOfScope('payment', payment.shopId);
    const [timeline, mismatches, storage] = await Promise.all([
      paymentTimeline(this.dataSource, payment),
      paymentMismatches(this.dataSource, payment.paymentId),
      payment.storageId ? findStorage(this.dataSource, payment.storageId, payment.shopId) : undefined,
    ]);
    return {
      ...toPaymentListItem(payment),
      timeline: timeline.map((e) => ({
        id: String(e.id),
        occurredAt: isoRequired(e.occurredAt),
        recordedAt: isoRequired(e.recordedAt),
        kind: e.kind,
        source: e.source,
        paymentState: e.paymentState,
        amount: e.amount,
        currency: e.currency,
        payload: e.payload ?? {},
        sourceAddress: e.sourceAddress,
      })),
      mismatches: mismatches.map(toMismatchItem),
      storage: storage
        ? {
            storageId: storage.storageId,
            status: storage.status,
            initializedAt: isoRequired(storage.initializedAt),
            lastAccessAt: isoRequired(storage.lastAccessAt),
            expiresAt: isoRequired(storage.expiresAt),
            consumedAt: iso(storage.consumedAt),
            expiredAt: iso(storage.expiredAt),
          }
        : null,
    };
  }
}
