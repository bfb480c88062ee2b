import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Page, SecurityEventItem } from '@seamless-ops/contracts';
import { shopScope, type AuthenticatedOperator } from '../../auth/operator-access';
import { BIGINT_PATTERN, QueryReader, type RawQuery } from '../ops-query';
import { isoRequired, toPage } from '../ops-sql';
import { listSecurityEvents } from './security-events.queries';

const PARAMETERS = ['from', 'to', 'shopId', 'paymentType', 'cursor', 'limit'] as const;

/**
 * `GET /api/ops/security-events`: rejected confirmations, newest first. Events without a shop are visible only
 * to operators of every shop (and only when no shopId is asked for). `paymentType` is accepted (clients send
 * the global filters to every list) but does not narrow: a rejected confirmation's payment type is whatever
 * an unauthenticated body claimed; the overview counts them the same way.
 */
@Injectable()
export class SecurityEventsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(operator: AuthenticatedOperator, query: RawQuery): Promise<Page<SecurityEventItem>> {
    const r = new QueryReader(query, PARAMETERS);
    const range = r.listRange();
    const shopId = r.shopId();
    r.paymentType();
    const cursor = r.cursor('security-events', BIGINT_PATTERN);
    const limit = r.limit();
    r.done();
    const rows = await listSecurityEvents(this.dataSource, { scope: shopScope(operator, shopId), range, cursor, limit });
    return toPage('security-events', rows, limit, (row) => row.id, (row) => ({
      id: row.id,
      occurredAt: isoRequired(row.occurredAt),
      shopId: row.shopId,
      paymentId: row.paymentId,
      kind: row.kind,
      reason: row.reason ?? 'unknown',
      paymentState: row.paymentState,
      sourceAddress: row.sourceAddress,
    }));
  }
}
