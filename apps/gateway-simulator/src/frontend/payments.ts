import type { AnonymizedPaymentInformation } from '../data-storage/payment-data';
import type { Knobs } from '../knobs';

/** What the consumer (or a test) picks on the payment page. */
export const OUTCOMES = ['SUCCESS', 'CANCEL', 'FAILURE', 'PENDING_SUCCESS', 'PENDING_FAILURE'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Accepts `PENDING_SUCCESS`, `pending-success`, `PENDING→SUCCESS`, … */
export function parseOutcome(value: unknown): Outcome | undefined {
  if (typeof value !== 'string') return undefined;
  const normalized = value
    .trim()
    .toUpperCase()
    .replace(/[^A-Z]+/g, '_');
  return (OUTCOMES as readonly string[]).includes(normalized) ? (normalized as Outcome) : undefined;
}

export type SimulatedPaymentState = 'INITIATED' | 'PENDING' | 'SUCCESS' | 'CANCEL' | 'FAILURE';

/** A payment started by frontend init, identified by the SID of its payment page. */
export interface SimulatedPayment {
  sid: string;
  customerId: string;
  shopId: string;
  orderNumber: string;
  orderIdent?: string;
  storageId?: string;
  paymentType: string;
  /** As sent (echoed in confirmations). */
  amount: string;
  amountMinor: bigint;
  /** As sent; `currencyCode` is the alpha-3 form. */
  currency: string;
  currencyCode: string;
  language: string;
  orderDescription: string;
  orderReference: string;
  customerStatement: string;
  financialInstitution?: string;
  autoDeposit: boolean;
  successUrl: string;
  cancelUrl?: string;
  failureUrl?: string;
  pendingUrl?: string;
  serviceUrl?: string;
  confirmUrl: string;
  /** Non-protocol request parameters, echoed to confirmUrl (§7.4). */
  customParameters: Array<[string, string]>;
  /** From the `simulatorKnobs` request parameter. */
  requestKnobs?: Partial<Knobs>;
  /** Anonymized data from the data storage (cards: maskedPan, expiry, …); never a full PAN. */
  paymentInformation?: AnonymizedPaymentInformation;
  createdAt: number;
  state: SimulatedPaymentState;
  outcome?: Outcome;
  completedAt?: number;
  /** Where the browser was sent. */
  redirectedTo?: string;
}

export interface PaymentFilter {
  orderIdent?: string;
  orderNumber?: string;
  state?: string;
}

export class PaymentStore {
  private readonly bySid = new Map<string, SimulatedPayment>();
  private readonly byOrderNumber = new Map<string, SimulatedPayment>();

  add(payment: SimulatedPayment): void {
    this.bySid.set(payment.sid, payment);
    this.byOrderNumber.set(payment.orderNumber, payment);
  }

  get(sid: string): SimulatedPayment | undefined {
    return this.bySid.get(sid);
  }

  withOrderNumber(orderNumber: string): SimulatedPayment | undefined {
    return this.byOrderNumber.get(orderNumber);
  }

  list(filter: PaymentFilter = {}): SimulatedPayment[] {
    return [...this.bySid.values()].filter(
      (p) =>
        (filter.orderIdent === undefined || p.orderIdent === filter.orderIdent) &&
        (filter.orderNumber === undefined || p.orderNumber === filter.orderNumber) &&
        (filter.state === undefined || p.state === filter.state),
    );
  }

  get size(): number {
    return this.bySid.size;
  }

  clear(): void {
    this.bySid.clear();
    this.byOrderNumber.clear();
  }
}
