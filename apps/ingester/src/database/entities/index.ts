import { CheckoutEvent } from './checkout-event.entity';
import { FunnelHourly } from './funnel-hourly.entity';
import { Mismatch } from './mismatch.entity';
import { OutboxMessage } from './outbox.entity';
import { Payment } from './payment.entity';
import { DataStorage } from './data-storage.entity';

export { CheckoutEvent, FunnelHourly, Mismatch, OutboxMessage, Payment, DataStorage };

/** Every entity, listed explicitly so the webpack bundle contains them (no globs). */
export const ENTITIES = [CheckoutEvent, Payment, DataStorage, Mismatch, FunnelHourly, OutboxMessage];
