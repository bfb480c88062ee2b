import { CheckoutEvent } from './checkout-event.entity';
import { FunnelHourly } from './funnel-hourly.entity';
import { Mismatch } from './mismatch.entity';
import { OutboxMessage } from './outbox.entity';
import { Payment } from './payment.entity';
import { DataStorage } from './data-storage.entity';
import { AuditLogEntry } from './audit-log.entity';
import { LoginFailure } from './login-failure.entity';
import { Operator } from './operator.entity';
import { OperatorSession } from './operator-session.entity';
import { Alert } from './alert.entity';
import { AlertEvent } from './alert-event.entity';
import { AlertRuleRun } from './alert-rule-run.entity';
import { ShopReference } from './shop-reference.entity';
import { PaymentCheck } from './payment-check.entity';
import { JobCheckpoint } from './job-checkpoint.entity';

export { CheckoutEvent, FunnelHourly, Mismatch, OutboxMessage, Payment, DataStorage };
export { AuditLogEntry, LoginFailure, Operator, OperatorSession };
export { Alert, AlertEvent, AlertRuleRun };
export { ShopReference, PaymentCheck, JobCheckpoint };

/** Every entity, listed explicitly so the webpack bundle contains them (no globs). */
export const ENTITIES = [CheckoutEvent, Payment, DataStorage, Mismatch, FunnelHourly, OutboxMessage, Operator, OperatorSession, AuditLogEntry, LoginFailure, ShopReference, PaymentCheck, JobCheckpoint, Alert, AlertEvent, AlertRuleRun];
