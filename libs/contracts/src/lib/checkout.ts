import type { PaymentState, ReturnOutcome, StorageStatus } from './domain';

/** `POST /api/checkout/storages` */
export interface InitStorageRequest {
  /** The shop's reference for this checkout; generated when absent. Reused for the payment. */
  orderIdent?: string;
  language?: string;
  /** `pci3` for the PCI DSS SAQ-A iframe variant; empty for the classic JavaScript store. */
  javascriptScriptVersion?: '' | 'pci3';
}
export interface InitStorageResponse {
  storageId: string;
  javascriptUrl: string;
  orderIdent: string;
  expiresAt: string;
}

/** Anonymized payment information kept by the gateway (never a full card number). */
export interface AnonymizedPaymentInformation {
  paymentType: string;
  maskedPan?: string;
  anonymousPan?: string;
  brand?: string;
  financialInstitution?: string;
  cardholdername?: string;
  expiry?: string;
  bankAccountIban?: string;
  bankBic?: string;
  accountOwner?: string;
}

/** `GET /api/checkout/storages/:storageId` */
export interface StorageStatusResponse {
  storageId: string;
  orderIdent: string;
  status: StorageStatus;
  expiresAt: string;
  paymentInformation: AnonymizedPaymentInformation[];
}

export interface BasketItem {
  articleNumber: string;
  quantity: number;
  name: string;
  description?: string;
  imageUrl?: string;
  unitGrossAmount: string;
  unitNetAmount: string;
  unitTaxAmount: string;
  unitTaxRate: string;
}

export interface ConsumerAddress {
  firstname?: string;
  lastname?: string;
  address1?: string;
  address2?: string;
  city?: string;
  country?: string;
  state?: string;
  zipCode?: string;
  phone?: string;
}

/** `POST /api/checkout/payments` */
export interface InitPaymentRequest {
  /** Required for card, SEPA-DD and other storage-backed payment types. */
  storageId?: string;
  orderIdent?: string;
  /** Decimal string with `.` as separator and at most the currency's minor digits, e.g. `12.50`. */
  amount: string;
  currency: string;
  paymentType: string;
  orderDescription: string;
  consumerIpAddress: string;
  consumerUserAgent: string;
  language?: string;
  orderReference?: string;
  customerStatement?: string;
  financialInstitution?: string;
  consumerEmail?: string;
  billingAddress?: ConsumerAddress;
  shippingAddress?: ConsumerAddress;
  basket?: BasketItem[];
}
export interface InitPaymentResponse {
  paymentId: string;
  redirectUrl: string;
}

/** `GET /api/checkout/payments/:paymentId` */
export interface PaymentStatusResponse {
  paymentId: string;
  orderIdent: string | null;
  orderNumber: string | null;
  state: PaymentState;
  amount: string;
  currency: string;
  paymentType: string;
  /** True when an inconsistency (e.g. a confirmed amount that differs) holds the payment for review. */
  onHold: boolean;
  holdReason: string | null;
  initiatedAt: string;
  firstConfirmationAt: string | null;
  finalAt: string | null;
  returnedAt: string | null;
  returnOutcome: ReturnOutcome | null;
}

/** `POST /api/checkout/events` */
export interface CheckoutEventRequest {
  kind: 'checkout.started' | 'checkout.step';
  orderIdent: string;
  /** Name of the shop's intermediate step (`checkout.step`), e.g. `order-review`. */
  name?: string;
  paymentType?: string;
  occurredAt?: string;
}

/** The JSON body of the signed outbound notification to the shop. */
export interface PaymentNotification {
  event: 'payment.state_changed';
  paymentId: string;
  orderIdent: string | null;
  orderNumber: string | null;
  state: PaymentState;
  amount: string;
  currency: string;
  occurredAt: string;
}

/** Every 4xx/5xx answer of the checkout and operator APIs. */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  details?: string[];
}
