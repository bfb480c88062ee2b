import { existsSync, readFileSync } from 'node:fs';
import type { FingerprintAlgorithm } from '@seamless-ops/qenta';

/**
 * A merchant account as the gateway knows it: one customerId with its shops. The secret signs fingerprints in
 * both directions; the back-end password is part of back-end fingerprints (PROTOCOL.md §9.1). Which hash scheme
 * the gateway expects is an account setting (§3.1).
 */
export interface Account {
  customerId: string;
  /** Shop ids assigned to the account; `''` stands for "no shopId sent". */
  shopIds: string[];
  secret: string;
  backendPassword: string;
  fingerprintAlgorithm: FingerprintAlgorithm;
}

/** The public demo account (PROTOCOL.md §10). */
export const DEMO_ACCOUNT: Account = {
  customerId: 'D200001',
  shopIds: ['qmore', 'seamless'],
  secret: 'B8AKTPWBRMNBV455FG6M2DANE99WU2',
  backendPassword: 'jcv45z',
  fingerprintAlgorithm: 'hmac-sha512',
};

export class AccountConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountConfigError';
  }
}

const CUSTOMER_ID = /^[A-Za-z0-9]{7}$/;
const SHOP_ID = /^[A-Za-z0-9]{0,16}$/;

/**
 * Validates one account entry as written in configuration. Accepted shape:
 * `{ customerId, shopIds?: string[] | shopId?: string, secret, backendPassword (or password), fingerprintAlgorithm? }`
 * where fingerprintAlgorithm is `hmac-sha512` (default) or `sha512` (legacy).
 */
export function parseAccount(raw: unknown, where: string): Account {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AccountConfigError(`${where}: must be an object`);
  const entry = raw as Record<string, unknown>;
  const known = new Set(['customerId', 'shopIds', 'shopId', 'secret', 'backendPassword', 'password', 'fingerprintAlgorithm']);
  const unknown = Object.keys(entry).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new AccountConfigError(`${where}: unknown field(s) ${unknown.join(', ')}`);

  const { customerId, secret } = entry;
  if (typeof customerId !== 'string' || !CUSTOMER_ID.test(customerId)) {
    throw new AccountConfigError(`${where}.customerId: must be 7 letters or digits (e.g. "D200001")`);
  }
  let shopIds: string[];
  if (entry.shopIds !== undefined && entry.shopId !== undefined) throw new AccountConfigError(`${where}: give shopIds or shopId, not both`);
  if (entry.shopIds !== undefined) {
    if (!Array.isArray(entry.shopIds) || entry.shopIds.length === 0 || entry.shopIds.some((s) => typeof s !== 'string')) {
      throw new AccountConfigError(`${where}.shopIds: must be a non-empty array of strings ("" = no shopId)`);
    }
    shopIds = entry.shopIds as string[];
  } else if (entry.shopId !== undefined) {
    if (typeof entry.shopId !== 'string') throw new AccountConfigError(`${where}.shopId: must be a string`);
    shopIds = [entry.shopId];
  } else {
    shopIds = [''];
  }
  for (const shopId of shopIds) {
    if (!SHOP_ID.test(shopId)) throw new AccountConfigError(`${where}.shopIds: "${shopId}" must be at most 16 letters or digits`);
  }
  if (new Set(shopIds).size !== shopIds.length) throw new AccountConfigError(`${where}.shopIds: contains duplicates`);
  if (typeof secret !== 'string' || secret.length === 0) throw new AccountConfigError(`${where}.secret: must be a non-empty string`);
  const password = entry.backendPassword ?? entry.password;
  if (entry.backendPassword !== undefined && entry.password !== undefined) {
    throw new AccountConfigError(`${where}: give backendPassword or password, not both`);
  }
  if (typeof password !== 'string' || password.length === 0) {
    throw new AccountConfigError(`${where}.backendPassword: must be a non-empty string`);
  }
  const algorithm = entry.fingerprintAlgorithm ?? 'hmac-sha512';
  if (algorithm !== 'hmac-sha512' && algorithm !== 'sha512') {
    throw new AccountConfigError(`${where}.fingerprintAlgorithm: must be "hmac-sha512" or "sha512" (legacy), got ${JSON.stringify(algorithm)}`);
  }
  return { customerId, shopIds, secret, backendPassword: password, fingerprintAlgorithm: algorithm };
}

/**
 * Reads `SIMULATOR_ACCOUNTS`: inline JSON (an array of accounts or a single account) or the path of a JSON file
 * holding the same. Returns [] when unset.
 */
export function accountsFromSetting(setting: string | undefined): Account[] {
  if (setting === undefined || setting.trim() === '') return [];
  const text = setting.trim();
  let json: string;
  let source: string;
  if (text.startsWith('[') || text.startsWith('{')) {
    json = text;
    source = 'SIMULATOR_ACCOUNTS';
  } else {
    if (!existsSync(text)) throw new AccountConfigError(`SIMULATOR_ACCOUNTS: neither JSON nor an existing file: ${text}`);
    json = readFileSync(text, 'utf8');
    source = text;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new AccountConfigError(`${source}: invalid JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((entry, i) => parseAccount(entry, `${source}[${i}]`));
}

/** Lookup by customerId and shopId. Configured accounts replace the demo account when they share a customerId. */
export class AccountRegistry {
  private readonly byCustomer = new Map<string, Account>();

  constructor(accounts: readonly Account[], includeDemo = true) {
    if (includeDemo) this.byCustomer.set(DEMO_ACCOUNT.customerId, DEMO_ACCOUNT);
    const seen = new Set<string>();
    for (const account of accounts) {
      if (seen.has(account.customerId)) {
        throw new AccountConfigError(`customerId ${account.customerId} is configured twice; list all its shops in one entry`);
      }
      seen.add(account.customerId);
      this.byCustomer.set(account.customerId, account);
    }
  }

  customer(customerId: string): Account | undefined {
    return this.byCustomer.get(customerId);
  }

  /** The account if the customer exists and owns the shop (`''` = no shopId). */
  find(customerId: string, shopId: string): Account | undefined {
    const account = this.byCustomer.get(customerId);
    return account && account.shopIds.includes(shopId) ? account : undefined;
  }

  all(): Account[] {
    return [...this.byCustomer.values()];
  }
}
