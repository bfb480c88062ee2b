import type { Clock } from '../clock';
import { DEMO_CONTRACT_NUMBER } from '../confirmation/build';
import { formatAmount } from '../money';

/**
 * The gateway's record of orders, as back-end operations see and change it (PROTOCOL.md §9). An order exists
 * once a payment succeeded (or was created by recurPayment). Amounts are minor units.
 */
export type PaymentRecordState = 'payment_approved' | 'payment_deposited' | 'payment_closed';
export type CreditRecordState = 'credit_refunded';

export interface OrderPayment {
  paymentNumber: string;
  approveAmount: bigint;
  depositAmount: bigint;
  state: PaymentRecordState;
  approvalCode: string;
  batchNumber: string;
  gatewayReferenceNumber: string;
  timeCreated: number;
  timeModified: number;
}

export interface OrderCredit {
  creditNumber: string;
  amount: bigint;
  state: CreditRecordState;
  batchNumber: string;
  gatewayReferenceNumber: string;
  timeCreated: number;
  timeModified: number;
}

export interface GatewayOrder {
  orderNumber: string;
  customerId: string;
  shopId: string;
  merchantNumber: string;
  /** Frontend paymentType (CCARD, PAYPAL, …). */
  paymentType: string;
  brand: string;
  amount: bigint;
  currency: string;
  orderDescription: string;
  orderReference: string;
  customerStatement: string;
  orderText: string;
  acquirer: string;
  contractNumber: string;
  sourceOrderNumber: string;
  timeCreated: number;
  timeModified: number;
  payments: OrderPayment[];
  credits: OrderCredit[];
  /** Copied to recurring payments. */
  financialInstitution: string;
}

/**
 * Back-end paymentType codes (§9.4): VPG = VISA, APG = MasterCard, SCM = Maestro, SUE = SOFORT, PPL = PayPal,
 * PSC = paysafecard, IDL. Methods without an observed code keep their frontend name.
 */
export function backendPaymentType(paymentType: string, brand: string): string {
  switch (paymentType) {
    case 'CCARD':
    case 'CCARD-MOTO':
      if (/visa/i.test(brand)) return 'VPG';
      if (/master/i.test(brand)) return 'APG';
      if (/maestro/i.test(brand)) return 'SCM';
      return 'VPG';
    case 'MAESTRO':
      return 'SCM';
    case 'SOFORTUEBERWEISUNG':
      return 'SUE';
    case 'PAYPAL':
      return 'PPL';
    case 'PSC':
      return 'PSC';
    case 'IDL':
      return 'IDL';
    default:
      return paymentType;
  }
}

export type OperationName = 'DEPOSIT' | 'APPROVEREVERSAL' | 'DEPOSITREVERSAL' | 'REFUND' | 'REFUNDREVERSAL';

export function orderTotals(order: GatewayOrder): { approved: bigint; deposited: bigint; refunded: bigint } {
  let approved = 0n;
  let deposited = 0n;
  for (const p of order.payments) {
    if (p.state !== 'payment_closed') approved += p.approveAmount;
    deposited += p.depositAmount;
  }
  const refunded = order.credits.reduce((sum, c) => sum + c.amount, 0n);
  return { approved, deposited, refunded };
}

export function paymentOperations(order: GatewayOrder, payment: OrderPayment): OperationName[] {
  if (payment.state === 'payment_closed') return [];
  const ops: OperationName[] = [];
  if (payment.depositAmount < payment.approveAmount) ops.push('DEPOSIT');
  if (payment.depositAmount === 0n) ops.push('APPROVEREVERSAL');
  if (payment.depositAmount > 0n && order.credits.length === 0) ops.push('DEPOSITREVERSAL');
  return ops;
}

export function orderOperations(order: GatewayOrder): OperationName[] {
  const { approved, deposited, refunded } = orderTotals(order);
  const ops: OperationName[] = [];
  if (deposited < approved) ops.push('DEPOSIT');
  if (approved > 0n && deposited === 0n) ops.push('APPROVEREVERSAL');
  if (deposited > refunded) ops.push('REFUND');
  return ops;
}

export function creditOperations(credit: OrderCredit): OperationName[] {
  return credit.state === 'credit_refunded' ? ['REFUNDREVERSAL'] : [];
}

/** ORDERED until money was deposited, REFUNDABLE afterwards (the two states observed, §9.4). */
export function orderState(order: GatewayOrder): 'ORDERED' | 'REFUNDABLE' {
  return orderTotals(order).deposited > 0n ? 'REFUNDABLE' : 'ORDERED';
}

export type OperationResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export class OrderBook {
  private readonly orders = new Map<string, GatewayOrder>();
  private readonly reservedNumbers = new Set<string>();
  private nextNumber: number;
  private nextCreditNumber: number;

  constructor(private readonly clock: Clock) {
    // Random start so numbers differ between simulator runs; always 8 digits (≤ 9, §8.3).
    this.nextNumber = 10_000_000 + Math.floor(Math.random() * 50_000_000);
    this.nextCreditNumber = 100_000 + Math.floor(Math.random() * 800_000);
  }

  /** A fresh order number no order, payment or reservation uses yet. */
  newOrderNumber(isTaken: (n: string) => boolean = () => false): string {
    for (;;) {
      const candidate = String(this.nextNumber++);
      if (this.nextNumber > 999_999_999) this.nextNumber = 10_000_000;
      if (!this.orders.has(candidate) && !this.reservedNumbers.has(candidate) && !isTaken(candidate)) return candidate;
    }
  }

  /** generateOrderNumber: the number is reserved for a later frontend init. */
  reserve(isTaken: (n: string) => boolean): string {
    const n = this.newOrderNumber(isTaken);
    this.reservedNumbers.add(n);
    return n;
  }

  isReserved(orderNumber: string): boolean {
    return this.reservedNumbers.has(orderNumber);
  }

  releaseReservation(orderNumber: string): void {
    this.reservedNumbers.delete(orderNumber);
  }

  get(orderNumber: string): GatewayOrder | undefined {
    return this.orders.get(orderNumber);
  }

  has(orderNumber: string): boolean {
    return this.orders.has(orderNumber);
  }

  all(): GatewayOrder[] {
    return [...this.orders.values()];
  }

  clear(): void {
    this.orders.clear();
    this.reservedNumbers.clear();
  }

  /** Records an approved (and with autoDeposit also deposited) payment. */
  createOrder(init: Omit<GatewayOrder, 'merchantNumber' | 'acquirer' | 'contractNumber' | 'timeCreated' | 'timeModified' | 'payments' | 'credits'>, autoDeposit: boolean): GatewayOrder {
    const now = this.clock.now();
    const order: GatewayOrder = {
      ...init,
      merchantNumber: '1',
      acquirer: ['CCARD', 'CCARD-MOTO', 'MAESTRO'].includes(init.paymentType) ? 'card complete' : '',
      contractNumber: DEMO_CONTRACT_NUMBER,
      timeCreated: now,
      timeModified: now,
      payments: [
        {
          paymentNumber: init.orderNumber,
          approveAmount: init.amount,
          depositAmount: autoDeposit ? init.amount : 0n,
          state: autoDeposit ? 'payment_deposited' : 'payment_approved',
          approvalCode: '123456',
          batchNumber: String(now % 100_000).padStart(5, '0'),
          gatewayReferenceNumber: `DGW_${init.orderNumber}_RN`,
          timeCreated: now,
          timeModified: now,
        },
      ],
      credits: [],
    };
    this.reservedNumbers.delete(order.orderNumber);
    this.orders.set(order.orderNumber, order);
    return order;
  }

  deposit(order: GatewayOrder, amount: bigint): OperationResult<OrderPayment> {
    const payment = order.payments.find((p) => p.state !== 'payment_closed' && p.depositAmount < p.approveAmount);
    if (!payment) return { ok: false, reason: 'DEPOSIT is not allowed: nothing left to deposit.' };
    if (amount <= 0n || amount > payment.approveAmount - payment.depositAmount) {
      return { ok: false, reason: `DEPOSIT is not allowed: amount exceeds the open approval of ${formatAmount(payment.approveAmount - payment.depositAmount, order.currency)}.` };
    }
    payment.depositAmount += amount;
    payment.state = 'payment_deposited';
    this.touch(order, payment);
    return { ok: true, value: payment };
  }

  depositReversal(order: GatewayOrder, paymentNumber: string): OperationResult<OrderPayment> {
    const payment = order.payments.find((p) => p.paymentNumber === paymentNumber);
    if (!payment) return { ok: false, reason: 'Payment number is invalid.' };
    if (!paymentOperations(order, payment).includes('DEPOSITREVERSAL')) return { ok: false, reason: 'DEPOSITREVERSAL is not allowed for this payment.' };
    payment.depositAmount = 0n;
    payment.state = 'payment_approved';
    this.touch(order, payment);
    return { ok: true, value: payment };
  }

  approveReversal(order: GatewayOrder): OperationResult<OrderPayment> {
    const payment = order.payments.find((p) => paymentOperations(order, p).includes('APPROVEREVERSAL'));
    if (!payment) return { ok: false, reason: 'APPROVEREVERSAL is not allowed: the payment was deposited or already reversed.' };
    payment.state = 'payment_closed';
    this.touch(order, payment);
    return { ok: true, value: payment };
  }

  refund(order: GatewayOrder, amount: bigint): OperationResult<OrderCredit> {
    const { deposited, refunded } = orderTotals(order);
    if (amount <= 0n || amount > deposited - refunded) {
      return { ok: false, reason: `REFUND is not allowed: amount exceeds the refundable ${formatAmount(deposited - refunded, order.currency)}.` };
    }
    const now = this.clock.now();
    const credit: OrderCredit = {
      creditNumber: String(this.nextCreditNumber++),
      amount,
      state: 'credit_refunded',
      batchNumber: String(now % 100_000).padStart(5, '0'),
      gatewayReferenceNumber: `DGW_${order.orderNumber}_RN`,
      timeCreated: now,
      timeModified: now,
    };
    order.credits.push(credit);
    order.timeModified = now;
    return { ok: true, value: credit };
  }

  refundReversal(order: GatewayOrder, creditNumber: string): OperationResult<OrderCredit> {
    const index = order.credits.findIndex((c) => c.creditNumber === creditNumber);
    if (index < 0) return { ok: false, reason: 'Credit number is invalid.' };
    const [credit] = order.credits.splice(index, 1);
    order.timeModified = this.clock.now();
    return { ok: true, value: credit as OrderCredit };
  }

  /** transferFund: a credit without a refund of this order's money (returns the creditNumber). */
  newCreditNumber(): string {
    return String(this.nextCreditNumber++);
  }

  private touch(order: GatewayOrder, payment: OrderPayment): void {
    const now = this.clock.now();
    payment.timeModified = now;
    order.timeModified = now;
  }
}
