import type { AccountRegistry } from './accounts';
import type { OrderBook } from './backend/order-book';
import type { Clock } from './clock';
import type { ConfirmationDelivery } from './confirmation/delivery';
import type { StorageStore } from './data-storage/storage-store';
import type { PaymentStore } from './frontend/payments';
import type { KnobRegistry } from './knobs';
import type { Scheduler } from './scheduler';

/** Everything the route handlers share: the simulator's in-memory state and its collaborators. */
export interface SimulatorContext {
  clock: Clock;
  accounts: AccountRegistry;
  storages: StorageStore;
  payments: PaymentStore;
  orders: OrderBook;
  knobs: KnobRegistry;
  deliveries: ConfirmationDelivery;
  scheduler: Scheduler;
  /** Base URL the simulator tells clients about (javascriptUrl, redirectUrl), without a trailing slash. */
  publicUrl(): string;
  /** Zone of back-end timestamps. */
  timeZone: string;
  /** Waits `ms` (request handling, e.g. the init-delay knob); ends early when the simulator closes. */
  sleep(ms: number): Promise<void>;
  log(message: string): void;
}
