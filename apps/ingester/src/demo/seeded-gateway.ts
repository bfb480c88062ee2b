import {
  encodeForm,
  encodeOrderDetailsResponse,
  formatQentaTimestamp,
  parseBackendResponse,
  signConfirmation,
  type GatewayResult,
  type GetOrderDetailsResponse,
  type HttpExchange,
} from '@seamless-ops/qenta';
import { CORRELATION_PARAMETER } from '../checkout/correlation';
import type { Shop } from '../shops/shop';
import type { HistoryShopper, HistoryStep } from './history-plan';

/**
 * The gateway's side of the demo history, made up where the live flow would have called the gateway: the data
 * storage's id and script URL, the payment data the consumer stored there, the confirmations it posts (the same
 * fields, order and signature as the gateway simulator's — apps/gateway-simulator/src/confirmation/build.ts —
 * signed with libs/qenta's signConfirmation and the shop's secret, the correlation parameter included), and its
 * order book for the back-end lookups of reconciliation. Nothing here writes to the database.
 */

/** The simulator's (and the gateway's) script URL shape: `<base>/dataStorage/js/<customerId>/<shopId>/<storageId>/dataStorage.js`. */
export function storageJavascriptUrl(gatewayBaseUrl: string, shop: Shop, storageId: string): string {
  const seg = (s: string): string => encodeURIComponent(s);
  return `${gatewayBaseUrl}/dataStorage/js/${seg(shop.customerId)}/${seg(shop.gatewayShopId)}/${seg(storageId)}/dataStorage.js`;
}

const DEMO_CARDS: Readonly<Record<string, { brand: string; financialInstitution: string }>> = {
  '9500000000000001': { brand: 'MasterCard', financialInstitution: 'MC' },
  '9500000000000002': { brand: 'MasterCard', financialInstitution: 'MC' },
  '9400000000000004': { brand: 'VISA', financialInstitution: 'Visa' },
  '9600000000000005': { brand: 'Maestro', financialInstitution: 'Maestro' },
};

/** What a data storage read answers for the shopper's stored data (paymentInformation.1.* without the prefix). */
export function storedPaymentInformation(s: HistoryShopper): Record<string, string> {
  if (s.paymentType === 'SEPA-DD') {
    const iban = s.paymentData.iban ?? 'AT000000000000000000';
    const out: Record<string, string> = {
      paymentType: 'SEPA-DD',
      accountOwner: `${s.consumer.firstname} ${s.consumer.lastname}`,
      bankAccountIban: iban.slice(0, 4) + '*'.repeat(Math.max(0, iban.length - 8)) + iban.slice(-4),
      bankCountry: iban.slice(0, 2),
    };
    if (s.paymentData.bic) out['bankBic'] = s.paymentData.bic;
    return out;
  }
  const pan = s.paymentData.pan ?? '9500000000000001';
  const card = DEMO_CARDS[pan] ?? { brand: 'MasterCard', financialInstitution: 'MC' };
  return {
    paymentType: s.paymentType,
    anonymousPan: pan.slice(-4),
    maskedPan: pan.slice(0, 6) + '*'.repeat(pan.length - 10) + pan.slice(-4),
    financialInstitution: card.financialInstitution,
    brand: card.brand,
    cardholdername: `${s.consumer.firstname} ${s.consumer.lastname}`,
    expiry: s.paymentData.expiry ?? '12/2030',
  };
}

const FINANCIAL_INSTITUTION_BY_TYPE: Readonly<Record<string, string>> = {
  'SEPA-DD': 'SEPA-DD',
  PAYPAL: 'PayPal',
  SOFORTUEBERWEISUNG: 'sofortueberweisung',
  EPS: 'BA-CA',
};

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const dotDate = (d: Date): string => `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
const compactTimestamp = (d: Date): string =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

/** The simulator's default FAILURE error block (knob failureError). */
const DECLINED = { errorCode: '24997', message: 'Demo payment declined.', consumerMessage: 'The payment was declined.', paySysMessage: 'Declined by the demo acquirer.' };

/**
 * The form body the gateway posts to confirmUrl for this step, as the simulator builds it: SUCCESS and PENDING
 * signed (every field in posting order, the correlation parameter last), CANCEL and FAILURE unsigned. A forged
 * one is signed with a secret that is not the shop's; a probe is an unsigned SUCCESS naming no payment.
 */
export function confirmationBody(shop: Shop, s: HistoryShopper, step: Extract<HistoryStep, { kind: 'confirmation' }>, at: Date): string {
  const custom: [string, string][] = [[CORRELATION_PARAMETER, s.paymentId]];
  if (s.scenario === 'probe') return encodeForm([['paymentState', 'SUCCESS'], ['orderNumber', s.orderNumber], ['amount', s.amount], ['currency', 'EUR']]);
  if (step.state === 'CANCEL') return encodeForm([['paymentState', 'CANCEL'], ...custom]);
  if (step.state === 'FAILURE') {
    return encodeForm([
      ['paymentState', 'FAILURE'],
      ...custom,
      ['error.1.errorCode', DECLINED.errorCode],
      ['error.1.message', DECLINED.message],
      ['error.1.consumerMessage', DECLINED.consumerMessage],
      ['error.1.paySysMessage', DECLINED.paySysMessage],
      ['errors', '1'],
    ]);
  }
  const storage = s.storageId ? storedPaymentInformation(s) : undefined;
  const isCard = s.paymentType === 'CCARD';
  const fields: [string, string][] = [
    ['amount', step.amount ?? s.amount],
    ['currency', 'EUR'],
    ['paymentType', s.paymentType],
    ['financialInstitution', (isCard ? storage?.['financialInstitution'] : undefined) ?? s.financialInstitution ?? FINANCIAL_INSTITUTION_BY_TYPE[s.paymentType] ?? s.paymentType],
    ['language', shop.language],
    ['orderNumber', s.orderNumber],
    ['paymentState', step.state],
  ];
  if (isCard && storage) {
    fields.push(['authenticated', 'Yes'], ['anonymousPan', storage['anonymousPan'] ?? ''], ['expiry', storage['expiry'] ?? ''], ['cardholder', storage['cardholdername'] ?? ''], ['maskedPan', storage['maskedPan'] ?? '']);
  }
  if (s.paymentType === 'SEPA-DD') {
    const due = new Date(at.getTime() + 2 * 24 * 3_600_000);
    fields.push(
      ['mandateId', `P000000001-1${s.orderNumber.padStart(9, '0')}${compactTimestamp(at)}`],
      ['mandateSignatureDate', dotDate(at)],
      ['creditorId', 'AT94ZZZ00000001251'],
      ['dueDate', dotDate(due)],
    );
  }
  fields.push(
    ['gatewayReferenceNumber', `DGW_${s.orderNumber}_RN`],
    ['gatewayContractNumber', 'DemoContractNumber123'],
    ['avsResponseCode', 'X'],
    ['avsResponseMessage', 'Demo AVS ResultMessage'],
    ['avsProviderResultCode', 'X'],
    ['avsProviderResultMessage', 'Demo AVS ProviderResultMessage'],
    ...custom,
  );
  const secret = step.forged ? `${shop.secret.slice(0, -3)}XYZ` : shop.secret;
  return encodeForm(signConfirmation(fields, secret, { algorithm: shop.fingerprintAlgorithm }));
}

interface LedgerOrder {
  shopId: string;
  orderNumber: string;
  paymentType: string;
  brand: string;
  /** Minor units of the initiated amount (what the gateway holds, whatever a confirmation said). */
  amount: string;
  approvedAt: Date;
  orderDescription: string;
}

/** The back-end paymentType codes (the simulator's backendPaymentType). */
function backendPaymentType(paymentType: string, brand: string): string {
  if (paymentType === 'CCARD') return /visa/i.test(brand) ? 'VPG' : /master/i.test(brand) ? 'APG' : /maestro/i.test(brand) ? 'SCM' : 'VPG';
  return ({ SOFORTUEBERWEISUNG: 'SUE', PAYPAL: 'PPL' } as Record<string, string>)[paymentType] ?? paymentType;
}

/**
 * The gateway's order book for the history: one order per approved payment (created when the gateway confirms
 * SUCCESS, with the initiated amount, as the simulator does), answered to getOrderDetails in the gateway's wire
 * format (encoded and parsed back with libs/qenta). Stands in for GatewayBackend while the seeder runs gateway
 * reconciliation over the seeded payments. {@link disagreeOn} plants the gateway's side of a disagreement.
 */
export class SeededGatewayLedger {
  private readonly orders = new Map<string, LedgerOrder>();
  private readonly changed = new Map<string, 'missing' | 'amount'>();

  constructor(private readonly timeZone: string) {}

  approve(s: HistoryShopper, at: Date): void {
    if (this.orders.has(s.orderNumber)) return;
    const brand = s.paymentType === 'CCARD' ? (DEMO_CARDS[s.paymentData.pan ?? ''] ?? { brand: 'MasterCard' }).brand : '';
    this.orders.set(s.orderNumber, { shopId: s.shopId, orderNumber: s.orderNumber, paymentType: s.paymentType, brand, amount: s.amount, approvedAt: at, orderDescription: `Bean & Brew order ${s.orderIdent}` });
  }

  /** Approved orders since `since`, oldest first. */
  approvedSince(since: Date): string[] {
    return [...this.orders.values()].filter((o) => o.approvedAt.getTime() >= since.getTime()).sort((a, b) => a.approvedAt.getTime() - b.approvedAt.getTime()).map((o) => o.orderNumber);
  }

  /** The gateway has no such order (`missing`) or holds 5.00 less (`amount`). */
  disagreeOn(orderNumber: string, how: 'missing' | 'amount'): void {
    this.changed.set(orderNumber, how);
  }

  canAsk(shop: Shop): boolean {
    return shop.backendPassword !== '';
  }

  async getOrderDetails(shop: Shop, orderNumber: string): Promise<GatewayResult<GetOrderDetailsResponse>> {
    const order = this.orders.get(orderNumber);
    const how = this.changed.get(orderNumber);
    const records =
      !order || order.shopId !== shop.id || how === 'missing'
        ? []
        : [
            {
              order: {
                merchantNumber: '1',
                orderNumber,
                paymentType: backendPaymentType(order.paymentType, order.brand),
                brand: order.brand,
                amount: how === 'amount' ? lessBy(order.amount, 500) : order.amount,
                approveAmount: how === 'amount' ? lessBy(order.amount, 500) : order.amount,
                depositAmount: '0.00',
                refundAmount: '0.00',
                currency: 'EUR',
                orderDescription: order.orderDescription,
                state: 'ORDERED',
                operationsAllowed: 'DEPOSIT,APPROVEREVERSAL',
                timeCreated: formatQentaTimestamp(order.approvedAt, this.timeZone),
                timeModified: formatQentaTimestamp(order.approvedAt, this.timeZone),
              },
              payments: [
                {
                  merchantNumber: '1',
                  paymentNumber: orderNumber,
                  orderNumber,
                  paymentType: backendPaymentType(order.paymentType, order.brand),
                  approveAmount: how === 'amount' ? lessBy(order.amount, 500) : order.amount,
                  depositAmount: '0.00',
                  currency: 'EUR',
                  state: 'payment_approved',
                  operationsAllowed: 'DEPOSIT,APPROVEREVERSAL',
                  approvalCode: '123456',
                  gatewayReferenceNumber: `DGW_${orderNumber}_RN`,
                  timeCreated: formatQentaTimestamp(order.approvedAt, this.timeZone),
                  timeModified: formatQentaTimestamp(order.approvedAt, this.timeZone),
                },
              ],
            },
          ];
    const fields = encodeOrderDetailsResponse(records);
    const exchange: HttpExchange = { url: 'seeded-history:getOrderDetails', request: {}, httpStatus: 200, body: encodeForm(fields), durationMs: 0 };
    const parsed = parseBackendResponse('getOrderDetails', fields);
    if (parsed.kind !== 'ok') return { outcome: 'unknown', reason: 'unparseable', detail: parsed.kind === 'malformed' ? parsed.reason : 'declined', exchange };
    return { outcome: 'success', value: parsed.value, exchange };
  }
}

function lessBy(amount: string, cents: number): string {
  const [units = '0', fraction = '00'] = amount.split('.');
  const total = Math.max(1, Number(units) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2)) - cents);
  return `${Math.trunc(total / 100)}.${String(total % 100).padStart(2, '0')}`;
}
