import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { FRONTEND_CORE_ORDER, isConsumerOrBasketField, own, PAYMENT_TYPES, verifyFrontendInitRequest, type FormFields } from '@seamless-ops/qenta';
import type { SimulatorContext } from '../context';
import { accountFor, storageProblem } from '../data-storage/routes';
import { isStoredPaymentType } from '../data-storage/payment-data';
import { ERRORS, withMessage, type GatewayError } from '../gateway-errors';
import { gatewayPost } from '../http/gateway-route';
import { sendErrors, sendForm } from '../http/wire';
import { KnobError, parseKnobs, type Knobs } from '../knobs';
import { normalizeCurrency, parseAmount } from '../money';
import type { SimulatedPayment } from './payments';

/** The request parameter carrying per-payment knobs (JSON); never echoed. */
export const KNOBS_PARAMETER = 'simulatorKnobs';

/** Protocol names (compared case-insensitively); everything else a merchant sends is a custom parameter (§7.4). */
const PROTOCOL_NAMES = new Set(
  [
    ...FRONTEND_CORE_ORDER,
    'windowName', 'requestFingerprint', 'requestFingerprintOrder', 'secret', 'basketItems', 'basketAmount', 'basketCurrency',
    'imageUrl', 'displayText', 'paymentState', 'responseFingerprint', 'responseFingerprintOrder', KNOBS_PARAMETER,
  ].map((n) => n.toLowerCase()),
);

/**
 * Custom parameters in the order sent. Names with a comma cannot be listed in responseFingerprintOrder and are
 * not echoed.
 */
export function customParameters(fields: FormFields): Array<[string, string]> {
  return Object.entries(fields).filter(([name]) => !PROTOCOL_NAMES.has(name.toLowerCase()) && !isConsumerOrBasketField(name) && !name.includes(','));
}

const NO_SECRET = '\u0000unknown-account';

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export function redirectUrlFor(ctx: SimulatorContext, payment: Pick<SimulatedPayment, 'customerId' | 'shopId' | 'sid'>): string {
  return `${ctx.publicUrl()}/seamless/frontend/${encodeURIComponent(payment.customerId + payment.shopId)}_DESKTOP/select.php?SID=${payment.sid}`;
}

/** `POST /seamless/frontend/init` (PROTOCOL.md §7). */
export function frontendInitRouter(ctx: SimulatorContext): Router {
  const router = Router();
  gatewayPost(router, '/seamless/frontend/init', async (_req, res, fields) => {
    const language = own(fields, 'language');
    const orderIdent = own(fields, 'orderIdent') || undefined;
    const orderNumberSent = own(fields, 'orderNumber') || undefined;

    let requestKnobs: Partial<Knobs> | undefined;
    const rawKnobs = own(fields, KNOBS_PARAMETER);
    if (rawKnobs) {
      try {
        requestKnobs = parseKnobs(JSON.parse(rawKnobs));
      } catch (e) {
        const why = e instanceof KnobError ? e.message : 'not valid JSON';
        return sendErrors(res, [{ errorCode: '10097', message: `${KNOBS_PARAMETER} is invalid: ${why}.` }], { language });
      }
    }
    const knobs = ctx.knobs.resolve({ ...(orderIdent ? { orderIdent } : {}), ...(orderNumberSent ? { orderNumber: orderNumberSent } : {}) }, requestKnobs);
    if (knobs.initTarget !== 'dataStorage') {
      if (knobs.initDelayMs > 0) await ctx.sleep(knobs.initDelayMs);
      if (knobs.initError) return sendErrors(res, [knobs.initError], { language });
    }

    const { account, error } = accountFor(ctx, fields);
    const verdict = verifyFrontendInitRequest(fields, account?.secret ?? NO_SECRET, account?.fingerprintAlgorithm);
    if (!verdict.ok && verdict.reason === 'missing_fields') return sendErrors(res, verdict.errors, { language });
    if (!account) return sendErrors(res, [error as GatewayError], { language });
    if (!verdict.ok) {
      ctx.log(`frontend/init rejected for ${account.customerId}: ${verdict.detail}`);
      return sendErrors(res, verdict.errors, { language });
    }

    const shopId = own(fields, 'shopId') ?? '';
    const paymentType = own(fields, 'paymentType') as string;
    const currency = own(fields, 'currency') as string;
    const amount = own(fields, 'amount') as string;
    const errors: GatewayError[] = [];
    if (!/^[a-zA-Z]{2}$/.test(language as string)) errors.push(ERRORS.languageInvalid);
    if (!(PAYMENT_TYPES as readonly string[]).includes(paymentType)) errors.push(ERRORS.paymentTypeInvalid);
    const currencyCode = normalizeCurrency(currency);
    if (!currencyCode) errors.push(ERRORS.currencyInvalid);
    const amountMinor = currencyCode ? parseAmount(amount, currencyCode) : undefined;
    if (currencyCode && amountMinor === undefined) errors.push(ERRORS.amountInvalid);
    if ((own(fields, 'orderDescription') as string).length > 255) errors.push(ERRORS.orderDescriptionInvalidLength);
    if (!isHttpUrl(own(fields, 'confirmUrl') as string)) errors.push(ERRORS.confirmUrlInvalid);
    if (orderNumberSent !== undefined) {
      const taken = ctx.payments.withOrderNumber(orderNumberSent) !== undefined || ctx.orders.has(orderNumberSent);
      if (!/^[0-9]{1,9}$/.test(orderNumberSent) || taken) errors.push(taken ? withMessage(ERRORS.orderNumberInvalid, 'Order number has already been used.') : ERRORS.orderNumberInvalid);
    }

    const storageId = own(fields, 'storageId') || undefined;
    let storage;
    if (storageId !== undefined) {
      const lookup = ctx.storages.lookup(storageId);
      const problem = storageProblem(lookup, account.customerId, shopId);
      if (problem) errors.push(problem);
      else if (lookup.kind === 'valid') {
        storage = lookup.storage;
        if (orderIdent === undefined) errors.push(ERRORS.orderIdentInvalidLength);
        else if (orderIdent !== storage.orderIdent) errors.push(ERRORS.orderIdentInvalid);
      }
    }
    if (errors.length > 0) return sendErrors(res, errors, { language });

    const sid = randomBytes(16).toString('hex');
    const orderNumber = orderNumberSent ?? ctx.orders.newOrderNumber((n) => ctx.payments.withOrderNumber(n) !== undefined);
    const optionalUrl = (name: string): string | undefined => own(fields, name) || undefined;
    const payment: SimulatedPayment = {
      sid,
      customerId: account.customerId,
      shopId,
      orderNumber,
      paymentType,
      amount,
      amountMinor: amountMinor as bigint,
      currency,
      currencyCode: currencyCode as string,
      language: language as string,
      orderDescription: own(fields, 'orderDescription') as string,
      orderReference: own(fields, 'orderReference') ?? '',
      customerStatement: own(fields, 'customerStatement') ?? '',
      autoDeposit: own(fields, 'autoDeposit') === 'yes',
      successUrl: own(fields, 'successUrl') as string,
      confirmUrl: own(fields, 'confirmUrl') as string,
      customParameters: customParameters(fields),
      createdAt: ctx.clock.now(),
      state: 'INITIATED',
    };
    const optional = {
      orderIdent,
      storageId,
      financialInstitution: own(fields, 'financialInstitution') || undefined,
      cancelUrl: optionalUrl('cancelUrl'),
      failureUrl: optionalUrl('failureUrl'),
      pendingUrl: optionalUrl('pendingUrl'),
      serviceUrl: optionalUrl('serviceUrl'),
      requestKnobs,
      paymentInformation: storage && isStoredPaymentType(paymentType) ? storage.paymentInformation.get(paymentType) : undefined,
    };
    for (const [k, v] of Object.entries(optional)) if (v !== undefined) (payment as unknown as Record<string, unknown>)[k] = v;
    ctx.payments.add(payment);
    if (storage) ctx.storages.consume(storage, sid);
    sendForm(res, [['redirectUrl', redirectUrlFor(ctx, payment)]]);
  });
  return router;
}
