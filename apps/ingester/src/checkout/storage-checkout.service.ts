import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AnonymizedPaymentInformation, InitStorageRequest, InitStorageResponse, StorageStatusResponse } from '@seamless-ops/contracts';
import type { HttpExchange, PaymentInformation } from '@seamless-ops/qenta';
import { redactPans } from '../confirmation/sanitize';
import { EventStore } from '../events/event-store';
import { Gateway } from '../gateway/gateway';
import type { Shop } from '../shops/shop';
import { expireDueStorages, expiresAfter, findStorage, insertActiveStorage, isOverdue, touchStorage, type StorageRow } from '../storages/storage-lifecycle';
import { apiError, gatewayErrorDetails, invalidRequest } from './api-error';
import { LANGUAGE, LANGUAGE_HINT, ORDER_IDENT, ORDER_IDENT_HINT, STORAGE_ID, Validator } from './validation';

/** `POST /api/checkout/storages` body; absent means `{}`. */
export function parseInitStorageRequest(body: unknown): { request?: InitStorageRequest; problems: string[] } {
  const v = new Validator();
  const o = v.object(body ?? {}, 'body', ['orderIdent', 'language', 'javascriptScriptVersion']);
  if (!o) return { problems: v.problems };
  const request: InitStorageRequest = {};
  const orderIdent = v.string(o, 'orderIdent', 'body', { pattern: ORDER_IDENT, hint: ORDER_IDENT_HINT, max: 64 });
  const language = v.string(o, 'language', 'body', { pattern: LANGUAGE, hint: LANGUAGE_HINT, max: 2 });
  const version = v.oneOf(o, 'javascriptScriptVersion', 'body', ['', 'pci3'] as const, { what: 'javascriptScriptVersion ("" or "pci3")' });
  if (orderIdent !== undefined) request.orderIdent = orderIdent;
  if (language !== undefined) request.language = language.toLowerCase();
  if (version !== undefined) request.javascriptScriptVersion = version;
  return v.problems.length ? { problems: v.problems } : { request, problems: [] };
}

/** 20 lowercase hex characters (80 random bits): unique per checkout for all practical purposes. */
export function newOrderIdent(): string {
  return randomBytes(10).toString('hex');
}

/** What the shop may see of stored payment data: masked fields only, PAN-redacted once more. */
export function anonymized(info: PaymentInformation): AnonymizedPaymentInformation {
  const out: AnonymizedPaymentInformation = { paymentType: info.paymentType };
  const fields = ['maskedPan', 'anonymousPan', 'brand', 'financialInstitution', 'cardholdername', 'expiry', 'bankAccountIban', 'bankBic', 'accountOwner'] as const;
  const source = info as unknown as Record<string, unknown>;
  for (const f of fields) {
    const value = source[f];
    if (typeof value === 'string') out[f] = redactPans(value);
  }
  return out;
}

/** Gateway exchange details worth keeping in an event (never the request: it carries the fingerprint). */
export function exchangeSummary(exchange: HttpExchange, withBody: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { durationMs: exchange.durationMs };
  if (exchange.httpStatus !== undefined) out['httpStatus'] = exchange.httpStatus;
  if (withBody && exchange.body !== undefined) out['body'] = exchange.body.slice(0, 2000);
  return out;
}

function statusResponse(row: StorageRow, paymentInformation: AnonymizedPaymentInformation[]): StorageStatusResponse {
  return { storageId: row.storageId, orderIdent: row.orderIdent, status: row.status, expiresAt: row.expiresAt.toISOString(), paymentInformation };
}

/** Data storage init and read for the shop (PROTOCOL.md §4, §6); every outcome becomes an event. */
@Injectable()
export class StorageCheckoutService {
  constructor(
    private readonly gateway: Gateway,
    private readonly events: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async init(shop: Shop, body: unknown): Promise<InitStorageResponse> {
    const { request, problems } = parseInitStorageRequest(body);
    if (!request) throw invalidRequest(problems);
    const orderIdent = request.orderIdent ?? newOrderIdent();
    const language = request.language ?? shop.language;
    const javascriptScriptVersion = request.javascriptScriptVersion || undefined;
    // Taken before the call: our expiry is never later than the gateway's.
    const accessedAt = new Date();
    const result = await this.gateway.dataStorageInit(shop, { orderIdent, returnUrl: shop.storageReturnUrl, language, javascriptScriptVersion });

    if (result.outcome !== 'success') {
      const declined = result.outcome === 'declined';
      await this.events.append({
        kind: 'storage.init_failed',
        source: 'shop',
        shopId: shop.id,
        orderIdent,
        payload: {
          outcome: result.outcome,
          ...(declined ? { errors: result.errors } : { reason: result.reason, detail: result.detail }),
          language,
          ...(javascriptScriptVersion ? { javascriptScriptVersion } : {}),
          gateway: exchangeSummary(result.exchange, true),
        },
      });
      if (declined) throw apiError(502, 'the gateway declined the data storage initialization', gatewayErrorDetails(result.errors));
      throw apiError(504, `the gateway's answer to the data storage initialization is unknown (${result.reason})`, [result.detail]);
    }

    const { storageId, javascriptUrl } = result.value;
    await this.recordInitialized(
      shop,
      { storageId, javascriptUrl, orderIdent, language, ...(javascriptScriptVersion ? { javascriptScriptVersion } : {}) },
      exchangeSummary(result.exchange, false),
      accessedAt,
    );
    return { storageId, javascriptUrl, orderIdent, expiresAt: expiresAfter(accessedAt).toISOString() };
  }

  /**
   * Records a storage the gateway initialized: the active storages row (its life counted from `accessedAt`, taken
   * before the gateway call), `storage.initialized` and the funnel count. `occurredAt` (default: the database's
   * now()) is when it happened; history seeding passes both times explicitly.
   */
  async recordInitialized(
    shop: Shop,
    storage: { storageId: string; javascriptUrl: string; orderIdent: string; language: string; javascriptScriptVersion?: string },
    gateway: Record<string, unknown>,
    accessedAt: Date,
    occurredAt?: Date,
  ): Promise<void> {
    const { storageId, javascriptUrl, orderIdent, language, javascriptScriptVersion } = storage;
    await this.events.transaction(async (tx) => {
      if (!(await insertActiveStorage(tx, { storageId, shopId: shop.id, orderIdent, accessedAt }))) {
        throw apiError(502, 'the gateway answered with a storageId that is already in use');
      }
      const event = await tx.append({
        kind: 'storage.initialized',
        source: 'shop',
        shopId: shop.id,
        storageId,
        orderIdent,
        ...(occurredAt ? { occurredAt } : {}),
        payload: { language, javascriptUrl, ...(javascriptScriptVersion ? { javascriptScriptVersion } : {}), gateway },
      });
      if (event) await tx.bumpFunnel(event.occurredAt, shop.id, null, { storagesInitialized: 1 });
    });
  }

  async status(shop: Shop, storageId: string): Promise<StorageStatusResponse> {
    const row = STORAGE_ID.test(storageId) ? await findStorage(this.dataSource, shop.id, storageId) : undefined;
    if (!row) throw apiError(404, 'storage not found');
    if (row.status !== 'active') return statusResponse(row, []);
    if (isOverdue(row, new Date())) return statusResponse(await this.expireNow(row), []);

    const accessedAt = new Date();
    const result = await this.gateway.dataStorageRead(shop, storageId);
    const base = { kind: 'storage.read' as const, source: 'shop' as const, shopId: shop.id, storageId, orderIdent: row.orderIdent };

    if (result.outcome !== 'success' || !result.value.exists) {
      const payload =
        result.outcome === 'declined'
          ? { outcome: 'declined', errors: result.errors }
          : result.outcome === 'unknown'
            ? { outcome: 'unknown', reason: result.reason, detail: result.detail }
            : { outcome: 'missing' };
      await this.events.append({ ...base, payload: { ...payload, gateway: exchangeSummary(result.exchange, result.outcome !== 'success') } });
      if (result.outcome === 'declined') throw apiError(502, 'the gateway declined reading the data storage', gatewayErrorDetails(result.errors));
      if (result.outcome === 'unknown') throw apiError(504, `the gateway's answer to reading the data storage is unknown (${result.reason})`, [result.detail]);
      throw apiError(502, 'the gateway does not know this data storage (expired or used there)');
    }

    const informations = result.value.paymentInformations.map(anonymized);
    const current = await this.recordRead(shop, row, informations, exchangeSummary(result.exchange, false), accessedAt);
    const now = current ?? row;
    return statusResponse(now, now.status === 'active' ? informations : []);
  }

  /**
   * Records a successful read of an existing storage: `storage.read`, the extended life (from `accessedAt`, taken
   * before the gateway call) and, the first time payment data shows, payment_data_stored_at and the funnel count.
   * `occurredAt` (default: the database's now()) is when it happened. Returns the storage row after the change.
   */
  async recordRead(
    shop: Shop,
    storage: Pick<StorageRow, 'storageId' | 'orderIdent'>,
    informations: AnonymizedPaymentInformation[],
    gateway: Record<string, unknown>,
    accessedAt: Date,
    occurredAt?: Date,
  ): Promise<StorageRow | undefined> {
    const { storageId, orderIdent } = storage;
    const storedType = informations[0]?.paymentType || null;
    return this.events.transaction(async (tx) => {
      const touched = await touchStorage(tx, storageId, accessedAt, storedType, occurredAt);
      const event = await tx.append({
        kind: 'storage.read',
        source: 'shop',
        shopId: shop.id,
        storageId,
        orderIdent,
        paymentType: storedType,
        ...(occurredAt ? { occurredAt } : {}),
        // Sanitized by the event store: no cardholder name or expiry in events.
        payload: { outcome: 'ok', paymentInformations: informations.length, paymentInformation: informations, gateway },
      });
      if (touched?.firstPaymentData && event) await tx.bumpFunnel(event.occurredAt, shop.id, storedType, { paymentDataStored: 1 });
      // Consumed or expired while the gateway answered: report what the projection says now.
      return touched?.row ?? (await findStorage(tx, shop.id, storageId));
    });
  }

  /** A storage past its lifetime that the sweeper has not reached: expire it now, as the sweeper would. */
  private async expireNow(row: StorageRow): Promise<StorageRow> {
    return this.events.transaction(async (tx) => {
      await expireDueStorages(tx, { now: new Date(), limit: 1, storageId: row.storageId });
      return (await findStorage(tx, row.shopId, row.storageId)) ?? row;
    });
  }
}
