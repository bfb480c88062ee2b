import { Router, type Request, type Response } from 'express';
import {
  encodeDataStorageReadResponse,
  nonEmpty,
  own,
  verifyDataStorageInitRequest,
  verifyDataStorageReadRequest,
  type FormFields,
} from '@seamless-ops/qenta';
import type { Account } from '../accounts';
import type { SimulatorContext } from '../context';
import { ERRORS, localize, type GatewayError } from '../gateway-errors';
import { readFormBody } from '../http/form-body';
import { gatewayPost } from '../http/gateway-route';
import { sendErrors, sendForm } from '../http/wire';
import { dataStorageScript } from './data-storage-script';
import { anonymizePaymentData, isStoredPaymentType } from './payment-data';
import type { DataStorage, StorageLookup } from './storage-store';

/** orderIdent length limit: not published; the gateway answers 15300 for a missing one (§4.1). */
const MAX_ORDER_IDENT_LENGTH = 64;

export function javascriptUrl(ctx: SimulatorContext, storage: DataStorage): string {
  const seg = encodeURIComponent;
  return `${ctx.publicUrl()}/seamless/dataStorage/js/${seg(storage.customerId)}/${seg(storage.shopId)}/${seg(storage.storageId)}/dataStorage.js`;
}

function storeUrl(ctx: SimulatorContext, storage: DataStorage): string {
  return `${ctx.publicUrl()}/seamless/dataStorage/store/${encodeURIComponent(storage.storageId)}`;
}

/** The error for a storage that cannot be used (unknown, expired, consumed, or another merchant's). */
export function storageProblem(lookup: StorageLookup, customerId: string, shopId: string): GatewayError | undefined {
  switch (lookup.kind) {
    case 'unknown':
      return ERRORS.storageIdInvalid;
    case 'expired':
      return ERRORS.storageExpired;
    case 'consumed':
      return ERRORS.storageConsumed;
    case 'valid':
      return lookup.storage.customerId === customerId && lookup.storage.shopId === shopId ? undefined : ERRORS.storageIdInvalid;
  }
}

/**
 * Account lookup after the lib's verification: missing fields are answered first (they do not need the
 * account), then an unknown customer or shop, then the fingerprint verdict.
 */
export function accountFor(ctx: SimulatorContext, fields: FormFields): { account?: Account; error?: GatewayError } {
  const customerId = own(fields, 'customerId') ?? '';
  const shopId = own(fields, 'shopId') ?? '';
  const account = ctx.accounts.find(customerId, shopId);
  if (account) return { account };
  return { error: ctx.accounts.customer(customerId) ? ERRORS.shopIdInvalid : ERRORS.customerIdInvalid };
}

/** Secret used to run the lib's checks when the account is unknown (only its missing-field verdict is used then). */
const NO_SECRET = '\u0000unknown-account';

export function dataStorageRouter(ctx: SimulatorContext): Router {
  const router = Router();

  gatewayPost(router, '/seamless/dataStorage/init', async (_req, res, fields) => {
    const language = own(fields, 'language');
    const orderIdent = own(fields, 'orderIdent');
    const knobs = ctx.knobs.resolve(orderIdent ? { orderIdent } : {});
    if (knobs.initTarget !== 'frontend') {
      if (knobs.initDelayMs > 0) await ctx.sleep(knobs.initDelayMs);
      if (knobs.initError) return sendErrors(res, [knobs.initError], { language });
    }
    const { account, error } = accountFor(ctx, fields);
    const verdict = verifyDataStorageInitRequest(fields, account?.secret ?? NO_SECRET, account?.fingerprintAlgorithm);
    if (!verdict.ok && verdict.reason === 'missing_fields') return sendErrors(res, verdict.errors, { language });
    if (!account) return sendErrors(res, [error as GatewayError], { language });
    if (!verdict.ok) {
      ctx.log(`dataStorage/init rejected for ${account.customerId}: ${verdict.detail}`);
      return sendErrors(res, verdict.errors, { language });
    }
    if ((orderIdent as string).length > MAX_ORDER_IDENT_LENGTH) return sendErrors(res, [ERRORS.orderIdentInvalidLength], { language });
    if (!/^[a-zA-Z]{2}$/.test(language as string)) return sendErrors(res, [ERRORS.languageInvalid], { language });
    const storage = ctx.storages.create({
      customerId: account.customerId,
      shopId: own(fields, 'shopId') ?? '',
      orderIdent: orderIdent as string,
      returnUrl: own(fields, 'returnUrl') as string,
      language: language as string,
      javascriptScriptVersion: own(fields, 'javascriptScriptVersion') ?? '',
    });
    sendForm(res, [
      ['storageId', storage.storageId],
      ['javascriptUrl', javascriptUrl(ctx, storage)],
    ]);
  });

  gatewayPost(router, '/seamless/dataStorage/read', (_req, res, fields) => {
    const language = own(fields, 'language');
    const { account, error } = accountFor(ctx, fields);
    const verdict = verifyDataStorageReadRequest(fields, account?.secret ?? NO_SECRET, account?.fingerprintAlgorithm);
    if (!verdict.ok && verdict.reason === 'missing_fields') return sendErrors(res, verdict.errors, { language });
    if (!account) return sendErrors(res, [error as GatewayError], { language });
    if (!verdict.ok) {
      ctx.log(`dataStorage/read rejected for ${account.customerId}: ${verdict.detail}`);
      return sendErrors(res, verdict.errors, { language });
    }
    const lookup = ctx.storages.lookup(own(fields, 'storageId') as string);
    const problem = storageProblem(lookup, account.customerId, own(fields, 'shopId') ?? '');
    if (problem || lookup.kind !== 'valid') return sendErrors(res, [problem ?? ERRORS.storageIdInvalid], { language });
    ctx.storages.touch(lookup.storage);
    const entries = [...lookup.storage.paymentInformation.values()];
    sendForm(res, encodeDataStorageReadResponse(lookup.storage.storageId, entries, javascriptUrl(ctx, lookup.storage)));
  });

  // The JavaScript (GET), loaded by the consumer's browser with a <script> tag.
  router.get(/^\/seamless\/dataStorage\/js\/([^/]+)\/([^/]*)\/([^/]+)\/dataStorage\.js$/i, (req: Request, res: Response) => {
    const params = req.params as unknown as Record<string, string>;
    const [customerId, shopId, storageId] = [params[0], params[1], params[2]].map((p) => safeDecode(p ?? ''));
    const lookup = ctx.storages.lookup(storageId ?? '');
    const storage = lookup.kind === 'unknown' ? undefined : lookup.storage;
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'no-store');
    if (!storage || storage.customerId !== customerId || storage.shopId !== shopId) {
      res.status(404).type('application/javascript').send('/* unknown data storage */\n');
      return;
    }
    res.type('application/javascript').send(
      dataStorageScript({
        storeUrl: storeUrl(ctx, storage),
        storageId: storage.storageId,
        javascriptScriptVersion: storage.javascriptScriptVersion,
        language: storage.language,
      }),
    );
  });

  // Where the script posts payment data (cross-origin from the shop's page).
  router.options('/seamless/dataStorage/store/:storageId', (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });
  router.post('/seamless/dataStorage/store/:storageId', async (req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    const language = ctx.storages.get(String(req.params['storageId']))?.language;
    const answer = (status: number, errors: GatewayError[], info: Record<string, string> = {}, httpStatus = 200): void => {
      res.status(httpStatus).json({ status, errors: errors.map((e) => localize(e, language)), paymentInformation: info });
    };
    const body = await readFormBody(req);
    if (!body.ok) {
      const error = body.problem.kind === 'too-large' ? ERRORS.requestTooLarge : ERRORS.malformedRequest;
      return answer(1, [error], {}, body.problem.kind === 'too-large' ? 413 : 400);
    }
    const lookup = ctx.storages.lookup(String(req.params['storageId']));
    const problem = lookup.kind === 'valid' ? undefined : storageProblem(lookup, '', '');
    if (problem || lookup.kind !== 'valid') return answer(1, [problem ?? ERRORS.storageIdInvalid]);
    const paymentType = nonEmpty(body.fields, 'paymentType') ?? '';
    if (!isStoredPaymentType(paymentType)) return answer(1, [ERRORS.paymentTypeInvalid]);
    const result = anonymizePaymentData(paymentType, body.fields, new Date(ctx.clock.now()));
    if (!result.ok) return answer(1, result.errors);
    lookup.storage.paymentInformation.set(paymentType, result.info);
    ctx.storages.touch(lookup.storage);
    answer(0, [], result.info);
  });

  return router;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}
