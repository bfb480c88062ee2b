import { Router } from 'express';
import {
  BACKEND_OPERATIONS,
  encodeOrderDetailsResponse,
  formatQentaTimestamp,
  own,
  verifyBackendRequest,
  type BackendOperation,
  type BackendStatus,
  type FormFields,
  type OrderDetailsRecord,
} from '@seamless-ops/qenta';
import type { Account } from '../accounts';
import type { SimulatorContext } from '../context';
import { accountFor } from '../data-storage/routes';
import { ERRORS, withMessage, type GatewayError } from '../gateway-errors';
import { gatewayPost } from '../http/gateway-route';
import { sendErrors, sendForm } from '../http/wire';
import { formatAmount, normalizeCurrency, parseAmount } from '../money';
import {
  backendPaymentType,
  creditOperations,
  orderOperations,
  orderState,
  orderTotals,
  paymentOperations,
  type GatewayOrder,
} from './order-book';

const NO_SECRET = '\u0000unknown-account';

/** getOrderDetails record of one order (§9.4): amounts `1.00` style, timestamps `DD.MM.YYYY HH:MM:SS`. */
export function orderDetailsRecord(order: GatewayOrder, timeZone: string): OrderDetailsRecord {
  const time = (ms: number): string => formatQentaTimestamp(new Date(ms), timeZone);
  const amount = (minor: bigint): string => formatAmount(minor, order.currency);
  const code = backendPaymentType(order.paymentType, order.brand);
  const totals = orderTotals(order);
  return {
    order: {
      merchantNumber: order.merchantNumber,
      orderNumber: order.orderNumber,
      paymentType: code,
      brand: order.brand,
      amount: amount(order.amount),
      approveAmount: amount(totals.approved),
      depositAmount: amount(totals.deposited),
      refundAmount: amount(totals.refunded),
      currency: order.currency,
      orderDescription: order.orderDescription,
      orderReference: order.orderReference,
      customerStatement: order.customerStatement,
      orderText: order.orderText,
      acquirer: order.acquirer,
      contractNumber: order.contractNumber,
      state: orderState(order),
      operationsAllowed: orderOperations(order).join(','),
      timeCreated: time(order.timeCreated),
      timeModified: time(order.timeModified),
      sourceOrderNumber: order.sourceOrderNumber,
    },
    payments: order.payments.map((p) => ({
      merchantNumber: order.merchantNumber,
      paymentNumber: p.paymentNumber,
      orderNumber: order.orderNumber,
      paymentType: code,
      approveAmount: amount(p.approveAmount),
      depositAmount: amount(p.depositAmount),
      currency: order.currency,
      state: p.state,
      operationsAllowed: paymentOperations(order, p).join(','),
      approvalCode: p.approvalCode,
      batchNumber: p.batchNumber,
      gatewayReferenceNumber: p.gatewayReferenceNumber,
      avsResultCode: 'X',
      avsResultMessage: 'Demo AVS ResultMessage',
      timeCreated: time(p.timeCreated),
      timeModified: time(p.timeModified),
    })),
    credits: order.credits.map((c) => ({
      merchantNumber: order.merchantNumber,
      creditNumber: c.creditNumber,
      orderNumber: order.orderNumber,
      batchNumber: c.batchNumber,
      amount: amount(c.amount),
      currency: order.currency,
      state: c.state,
      operationsAllowed: creditOperations(c).join(','),
      gatewayReferenceNumber: c.gatewayReferenceNumber,
      timeCreated: time(c.timeCreated),
      timeModified: time(c.timeModified),
    })),
  };
}

type Answer = { fields: Array<[string, string]> } | { errors: GatewayError[]; status: BackendStatus };

const ok = (...fields: Array<[string, string]>): Answer => ({ fields: [...fields, ['status', '0']] });
const fail = (status: BackendStatus, ...errors: GatewayError[]): Answer => ({ errors, status });

/** `POST /seamless/backend/<operation>` (PROTOCOL.md §9); the operation name is matched case-insensitively. */
export function backendRouter(ctx: SimulatorContext): Router {
  const router = Router();
  gatewayPost(
    router,
    '/seamless/backend/:operation',
    (req, res, fields) => {
      const language = own(fields, 'language');
      const requested = String(req.params['operation'] ?? '').toLowerCase();
      const operation = BACKEND_OPERATIONS.find((op) => op.toLowerCase() === requested);
      if (!operation) return sendErrors(res, [ERRORS.unknownOperation], { language, backendStatus: 1, httpStatus: 404 });

      const { account, error } = accountFor(ctx, fields);
      const verdict = verifyBackendRequest(operation, fields, account?.secret ?? NO_SECRET, account?.fingerprintAlgorithm);
      if (!verdict.ok && verdict.reason === 'missing_fields') return sendErrors(res, verdict.errors, { language, backendStatus: 1 });
      if (!account) return sendErrors(res, [error as GatewayError], { language, backendStatus: 1 });
      if (!verdict.ok) {
        ctx.log(`backend/${operation} rejected for ${account.customerId}: ${verdict.detail}`);
        return sendErrors(res, verdict.errors, { language, backendStatus: 1 });
      }
      if (own(fields, 'password') !== account.backendPassword) return sendErrors(res, [ERRORS.passwordInvalid], { language, backendStatus: 1 });

      const answer = execute(ctx, account, operation, fields);
      if ('errors' in answer) return sendErrors(res, answer.errors, { language, backendStatus: answer.status });
      sendForm(res, answer.fields);
    },
    { backend: true },
  );
  return router;
}

function execute(ctx: SimulatorContext, account: Account, operation: BackendOperation, fields: FormFields): Answer {
  const shopId = own(fields, 'shopId') ?? '';
  const field = (name: string): string => own(fields, name) ?? '';
  const findOrder = (orderNumber: string): GatewayOrder | undefined => {
    const order = ctx.orders.get(orderNumber);
    return order && order.customerId === account.customerId && order.shopId === shopId ? order : undefined;
  };
  const money = (order: GatewayOrder | undefined): { minor: bigint; currency: string } | Answer => {
    const currency = normalizeCurrency(field('currency'));
    if (!currency || (order && currency !== order.currency)) return fail(1, ERRORS.currencyInvalid);
    const minor = parseAmount(field('amount'), currency);
    if (minor === undefined || minor <= 0n) return fail(1, ERRORS.amountInvalid);
    return { minor, currency };
  };
  const denied = (reason: string): Answer => fail(2, withMessage(ERRORS.operationNotAllowed, reason));
  const isTaken = (n: string): boolean => ctx.payments.withOrderNumber(n) !== undefined;

  switch (operation) {
    case 'getOrderDetails': {
      const order = findOrder(field('orderNumber'));
      // Unknown order, as recorded: `status=0&objectsTotal=0&orders=0` (§9.4).
      if (!order) return { fields: [['status', '0'], ['objectsTotal', '0'], ['orders', '0']] };
      return { fields: Object.entries(encodeOrderDetailsResponse([orderDetailsRecord(order, ctx.timeZone)])) };
    }
    case 'generateOrderNumber':
      return ok(['orderNumber', ctx.orders.reserve(isTaken)]);
    case 'recurPayment': {
      const source = findOrder(field('sourceOrderNumber'));
      if (!source) return fail(1, ERRORS.sourceOrderNumberInvalid);
      const m = money(undefined);
      if (!('minor' in m)) return m;
      let orderNumber = field('orderNumber');
      if (orderNumber !== '') {
        if (!/^[0-9]{1,9}$/.test(orderNumber) || ctx.orders.has(orderNumber) || isTaken(orderNumber)) return fail(1, ERRORS.orderNumberInvalid);
      } else {
        orderNumber = ctx.orders.newOrderNumber(isTaken);
      }
      ctx.orders.createOrder(
        {
          orderNumber,
          customerId: account.customerId,
          shopId,
          paymentType: source.paymentType,
          brand: source.brand,
          amount: m.minor,
          currency: m.currency,
          orderDescription: field('orderDescription'),
          orderReference: field('orderReference'),
          customerStatement: field('customerStatement'),
          orderText: '',
          sourceOrderNumber: source.orderNumber,
          financialInstitution: source.financialInstitution,
        },
        field('autoDeposit').toLowerCase() === 'yes',
      );
      return ok(['orderNumber', orderNumber]);
    }
    case 'transferFund': {
      if (field('fundTransferType') === 'EXISTINGORDER' && !findOrder(field('sourceOrderNumber'))) return fail(1, ERRORS.sourceOrderNumberInvalid);
      const m = money(undefined);
      if (!('minor' in m)) return m;
      return ok(['creditNumber', field('creditNumber') || ctx.orders.newCreditNumber()]);
    }
    default:
      break;
  }

  const order = findOrder(field('orderNumber'));
  if (!order) return fail(1, ERRORS.orderNumberInvalid);
  switch (operation) {
    case 'deposit': {
      const m = money(order);
      if (!('minor' in m)) return m;
      const r = ctx.orders.deposit(order, m.minor);
      return r.ok ? ok(['paymentNumber', r.value.paymentNumber]) : denied(r.reason);
    }
    case 'depositReversal': {
      const r = ctx.orders.depositReversal(order, field('paymentNumber'));
      return r.ok ? ok() : r.reason === 'Payment number is invalid.' ? fail(1, ERRORS.paymentNumberInvalid) : denied(r.reason);
    }
    case 'approveReversal': {
      const r = ctx.orders.approveReversal(order);
      return r.ok ? ok() : denied(r.reason);
    }
    case 'refund': {
      const m = money(order);
      if (!('minor' in m)) return m;
      const r = ctx.orders.refund(order, m.minor);
      return r.ok ? ok(['creditNumber', r.value.creditNumber]) : denied(r.reason);
    }
    case 'refundReversal': {
      const r = ctx.orders.refundReversal(order, field('creditNumber'));
      return r.ok ? ok() : fail(1, ERRORS.creditNumberInvalid);
    }
    default:
      return fail(4, ERRORS.internalError);
  }
}
