import { Injectable } from '@nestjs/common';
import { ALERT_STATUSES, type AlertItem, type Page } from '@seamless-ops/contracts';
import { shopScope, type AuthenticatedOperator } from '../../auth/operator-access';
import { BIGINT_PATTERN, notFound, QueryReader, type RawQuery } from '../ops-query';

const PARAMETERS = ['status', 'from', 'to', 'shopId', 'paymentType', 'cursor', 'limit'] as const;

/**
 * `GET /api/ops/alerts` and `POST /api/ops/alerts/:id/ack`.
 *
 * PLACEHOLDER for the alerting issue: there is no alerts table yet, so the list is always empty and every
 * acknowledgement answers 404. The parameters are validated as they will be, so clients can be written now.
 * The alerting issue replaces the bodies of these two methods (reading its table, scoped by shop, and
 * recording acknowledgements in the audit log).
 */
@Injectable()
export class AlertsService {
  list(operator: AuthenticatedOperator, query: RawQuery): Page<AlertItem> {
    const r = new QueryReader(query, PARAMETERS);
    r.oneOf('status', ALERT_STATUSES);
    r.listRange();
    const shopId = r.shopId();
    r.paymentType();
    r.cursor('alerts', BIGINT_PATTERN);
    r.limit();
    r.done();
    shopScope(operator, shopId);
    return { items: [], nextCursor: null };
  }

  acknowledge(_operator: AuthenticatedOperator, _alertId: string): never {
    throw notFound('alert');
  }
}
