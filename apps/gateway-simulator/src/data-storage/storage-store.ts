import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock';
import type { AnonymizedPaymentInformation, StoredPaymentType } from './payment-data';

/** Valid for 30 minutes after the last access (PROTOCOL.md §4.3). */
export const DEFAULT_STORAGE_LIFETIME_MS = 30 * 60 * 1000;
/** Expired storages are remembered this long (answering "expired" rather than "unknown"), then dropped. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export interface DataStorage {
  storageId: string;
  customerId: string;
  shopId: string;
  orderIdent: string;
  returnUrl: string;
  language: string;
  javascriptScriptVersion: string;
  createdAt: number;
  lastAccessAt: number;
  /** Set by a successful frontend init; the storage is invalid from then on. */
  consumedAt?: number;
  consumedBySid?: string;
  /** One entry per payment type; a later store of the same type replaces the earlier one. */
  paymentInformation: Map<StoredPaymentType, AnonymizedPaymentInformation>;
}

export type StorageLookup =
  | { kind: 'valid'; storage: DataStorage }
  | { kind: 'unknown' }
  | { kind: 'expired'; storage: DataStorage }
  | { kind: 'consumed'; storage: DataStorage };

export class StorageStore {
  private readonly storages = new Map<string, DataStorage>();
  private creations = 0;

  constructor(
    private readonly clock: Clock,
    readonly lifetimeMs: number = DEFAULT_STORAGE_LIFETIME_MS,
  ) {}

  create(init: Pick<DataStorage, 'customerId' | 'shopId' | 'orderIdent' | 'returnUrl' | 'language' | 'javascriptScriptVersion'>): DataStorage {
    if (++this.creations % 1000 === 0) this.forgetOld();
    const now = this.clock.now();
    const storage: DataStorage = { ...init, storageId: randomBytes(16).toString('hex'), createdAt: now, lastAccessAt: now, paymentInformation: new Map() };
    this.storages.set(storage.storageId, storage);
    return storage;
  }

  expiresAt(storage: DataStorage): number {
    return storage.lastAccessAt + this.lifetimeMs;
  }

  /** Finds a storage and classifies it; does not extend its lifetime. */
  lookup(storageId: string): StorageLookup {
    const storage = this.storages.get(storageId);
    if (!storage) return { kind: 'unknown' };
    if (storage.consumedAt !== undefined) return { kind: 'consumed', storage };
    if (this.clock.now() > this.expiresAt(storage)) return { kind: 'expired', storage };
    return { kind: 'valid', storage };
  }

  /** Every store or read extends the lifetime by another 30 minutes (§4.3). */
  touch(storage: DataStorage): void {
    storage.lastAccessAt = this.clock.now();
  }

  consume(storage: DataStorage, sid: string): void {
    storage.consumedAt = this.clock.now();
    storage.consumedBySid = sid;
  }

  get(storageId: string): DataStorage | undefined {
    return this.storages.get(storageId);
  }

  all(): DataStorage[] {
    return [...this.storages.values()];
  }

  clear(): void {
    this.storages.clear();
  }

  private forgetOld(): void {
    const limit = this.clock.now() - FORGET_AFTER_MS;
    for (const [id, s] of this.storages) if ((s.consumedAt ?? this.expiresAt(s)) < limit) this.storages.delete(id);
  }
}

/** The status of a storage as shown by the simulator's JSON API. */
export function storageStatus(lookup: StorageLookup): 'valid' | 'unknown' | 'expired' | 'consumed' {
  return lookup.kind;
}
