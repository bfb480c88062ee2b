import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MISMATCH_KINDS, type MismatchListResponse } from '@seamless-ops/contracts';
import { shopScope, type AuthenticatedOperator } from '../../auth/operator-access';
import { MISMATCH_STATUSES } from '../../database/enums';
import { BIGINT_PATTERN, QueryReader, type RawQuery } from '../ops-query';
import { count, toPage } from '../ops-sql';
import { toMismatchItem } from './mismatch-row';
import { listMismatches, openMismatchesByKind } from './mismatches.queries';

const PARAMETERS = ['status', 'kind', 'from', 'to', 'shopId', 'paymentType', 'cursor', 'limit'] as const;

/**
 * `GET /api/ops/mismatches`: newest first, each with its reason inline; without `status` both open and resolved
 * ones. countsByKind counts the open ones of every kind for the same shops, range and payment type (not
 * narrowed by `kind` or `status`, so the grouping stays visible while one kind is shown).
 */
@Injectable()
export class MismatchesService {
  constructor(private readonly dataSource: DataSource) {}

  async list(operator: AuthenticatedOperator, query: RawQuery): Promise<MismatchListResponse> {
    const r = new QueryReader(query, PARAMETERS);
    const status = r.oneOf('status', MISMATCH_STATUSES);
    const kind = r.oneOf('kind', MISMATCH_KINDS);
    const range = r.listRange();
    const shopId = r.shopId();
    const paymentType = r.paymentType();
    const cursor = r.cursor('mismatches', BIGINT_PATTERN);
    const limit = r.limit();
    r.done();
    const filter = { scope: shopScope(operator, shopId), range, paymentType };
    const [rows, open] = await Promise.all([
      listMismatches(this.dataSource, { ...filter, status, kind, cursor, limit }),
      openMismatchesByKind(this.dataSource, filter),
    ]);
    const counts = new Map(open.map((o) => [o.kind, count(o.open)]));
    return {
      ...toPage('mismatches', rows, limit, (row) => row.id, toMismatchItem),
      countsByKind: MISMATCH_KINDS.map((k) => ({ kind: k, open: counts.get(k) ?? 0 })),
    };
  }
}
