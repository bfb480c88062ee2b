import type { FingerprintAlgorithm } from './fingerprint';
import type { FormFields } from './form-codec';

/** What a merchant needs for data storage and frontend init calls (PROTOCOL.md §4, §7). */
export interface MerchantCredentials {
  customerId: string;
  /** Only when the account has one (`qmore`, `seamless`, …); omitted from fields and fingerprints otherwise. */
  shopId?: string;
  secret: string;
  /** Per-account gateway setting (§3.1); default HMAC-SHA512. */
  algorithm?: FingerprintAlgorithm;
}

/** Ordered fields of a request as sent on the wire (insertion order = fingerprint order). */
export type RequestFields = FormFields;

/** Thrown by builders for programmer errors only (bad names, reserved custom parameters, …). */
export class QentaUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QentaUsageError';
  }
}

/** Appends `[name, value]` when the value is defined (optional parameters that are not sent are left out, §3.1). */
export function put(target: FormFields, name: string, value: string | undefined): void {
  if (value !== undefined) target[name] = value;
}

/** Own-property lookup that never reaches the prototype (`__proto__`, `constructor`, …). */
export function own(fields: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
}

/** Non-empty own value, or undefined. */
export function nonEmpty(fields: Readonly<Record<string, string>>, name: string): string | undefined {
  const v = own(fields, name);
  return v === undefined || v === '' ? undefined : v;
}

/** True for a plain record whose values are all strings (what a form decoder produces). */
export function isStringRecord(value: unknown): value is Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const v of Object.values(value)) if (typeof v !== 'string') return false;
  return true;
}

/** Splits a comma list (`operationsAllowed`, fingerprint orders); empty string → empty list. */
export function splitList(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  return value.split(',');
}
