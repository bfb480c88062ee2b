import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ExpiredStorageItem, Page } from '@seamless-ops/contracts';
import { shopScope, type AuthenticatedOperator } from '../../auth/operator-access';
import { QueryReader, STORAGE_ID_PATTERN, type RawQuery } from '../ops-query';
import { count, isoRequired, toPage } from '../ops-sql';
import { listExpiredStorages } from './expired-storages.queries';

const PARAMETERS = ['from', 'to', 'shopId', 'paymentType', 'cursor', 'limit'] as const;

/** `GET /api/ops/storages/expired`: storages that died without a payment, newest expiry first. */
@Injectable()
export class ExpiredStoragesService {
  constructor(private readonly dataSource: DataSource) {}

  async list(operator: AuthenticatedOperator, query: RawQuery): Promise<Page<ExpiredStorageItem>> {
    const r = new QueryReader(query, PARAMETERS);
    const range = r.listRange();
    const shopId = r.shopId();
    const paymentType = r.paymentType();
    const cursor = r.cursor('storages.expired', STORAGE_ID_PATTERN);
    const limit = r.limit();
    r.done();
    const rows = await listExpiredStorages(this.dataSource, { scope: shopScope(operator, shopId), range, paymentType, cursor, limit });
    return toPage('storages.expired', rows, limit, (row) => row.storageId, (row) => ({
      storageId: row.storageId,
      shopId: row.shopId,
      orderIdent: row.orderIdent,
      paymentType: row.paymentType,
      initializedAt: isoRequired(row.initializedAt),
      expiredAt: isoRequired(row.expiredAt),
      livedSeconds: count(row.livedSeconds),
    }));
  }
}
