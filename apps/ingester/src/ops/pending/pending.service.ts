import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PENDING_AGE_BUCKETS, type PendingResponse } from '@seamless-ops/contracts';
import { shopScope, type AuthenticatedOperator } from '../../auth/operator-access';
import { QueryReader, UUID_PATTERN, type RawQuery } from '../ops-query';
import { count, toPage } from '../ops-sql';
import { toPaymentListItem } from '../payments/payment-row';
import { ageBucket, listPending, pendingAgeBuckets } from './pending.queries';

const PARAMETERS = ['from', 'to', 'shopId', 'paymentType', 'cursor', 'limit'] as const;

/**
 * `GET /api/ops/pending`: payments initiated or PENDING and not final, oldest first, with their age (since the
 * payment was initiated) and the count per age bucket over all of them (not only this page).
 */
@Injectable()
export class PendingService {
  constructor(private readonly dataSource: DataSource) {}

  async list(operator: AuthenticatedOperator, query: RawQuery, now: Date = new Date()): Promise<PendingResponse> {
    const r = new QueryReader(query, PARAMETERS);
    const range = r.listRange();
    const shopId = r.shopId();
    const paymentType = r.paymentType();
    const cursor = r.cursor('pending', UUID_PATTERN);
    const limit = r.limit();
    r.done();
    const filter = { scope: shopScope(operator, shopId), paymentType, range, now };
    const [rows, buckets] = await Promise.all([listPending(this.dataSource, { ...filter, cursor, limit }), pendingAgeBuckets(this.dataSource, filter)]);
    const page = toPage('pending', rows, limit, (row) => row.paymentId, (row) => {
      const ageSeconds = count(row.ageSeconds);
      return { ...toPaymentListItem(row), ageSeconds, ageBucket: ageBucket(ageSeconds) };
    });
    const counts = new Map(buckets.map((b) => [b.bucket, b.count]));
    const ageBuckets = PENDING_AGE_BUCKETS.map((bucket) => ({ bucket, count: counts.get(bucket) ?? 0 }));
    return { ...page, ageBuckets, total: ageBuckets.reduce((sum, b) => sum + b.count, 0) };
  }
}
