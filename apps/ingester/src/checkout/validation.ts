/**
 * Small typed validators for the checkout API's JSON bodies (no validation library): each reads one field,
 * records a readable problem (`"amount must be …"`) and returns the typed value or undefined. A request is
 * accepted only when the list stays empty; the 400 answer lists every problem at once.
 */
export type JsonObject = Record<string, unknown>;

export interface StringRule {
  required?: boolean;
  /** Maximum length in characters (default 255). */
  max?: number;
  pattern?: RegExp;
  /** Appended to "<field> must …" when the pattern does not match, e.g. "be 2 letters". */
  hint?: string;
}

export class Validator {
  readonly problems: string[] = [];

  problem(message: string): void {
    this.problems.push(message);
  }

  /** A JSON object with only the `allowed` keys; every other key is reported as unknown. */
  object(value: unknown, where: string, allowed: readonly string[]): JsonObject | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problem(`${where} must be a JSON object`);
      return undefined;
    }
    const o = value as JsonObject;
    const unknown = Object.keys(o).filter((k) => !allowed.includes(k));
    for (const k of unknown) this.problem(`${prefix(where)}${k} is not a known field`);
    return o;
  }

  /** A string field; absent (undefined or null) is fine unless required; "" counts as absent for required ones. */
  string(o: JsonObject, key: string, where: string, rule: StringRule = {}): string | undefined {
    const name = `${prefix(where)}${key}`;
    const v = Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
    if (v === undefined || v === null) {
      if (rule.required) this.problem(`${name} is required`);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.problem(`${name} must be a string`);
      return undefined;
    }
    if (rule.required && v.trim() === '') {
      this.problem(`${name} must not be empty`);
      return undefined;
    }
    const max = rule.max ?? 255;
    if (v.length > max) {
      this.problem(`${name} must be at most ${max} characters`);
      return undefined;
    }
    if (rule.pattern && !rule.pattern.test(v)) {
      this.problem(`${name} must ${rule.hint ?? 'have a valid format'}`);
      return undefined;
    }
    return v;
  }

  /** A member of a closed list. */
  oneOf<T extends string>(o: JsonObject, key: string, where: string, values: readonly T[], rule: { required?: boolean; what?: string } = {}): T | undefined {
    const v = this.string(o, key, where, { required: rule.required, max: 64 });
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) {
      this.problem(`${prefix(where)}${key} "${v}" is not a known ${rule.what ?? 'value'}`);
      return undefined;
    }
    return v as T;
  }
}

function prefix(where: string): string {
  return where === 'body' ? '' : `${where}.`;
}

/** 1–64 characters of [A-Za-z0-9_-] (the gateway's orderIdent; the simulator allows up to 64). */
export const ORDER_IDENT = /^[A-Za-z0-9_-]{1,64}$/;
export const ORDER_IDENT_HINT = 'be 1-64 characters of A-Z, a-z, 0-9, _ or -';

/** Two letters, e.g. `en` (PROTOCOL.md §7.1). */
export const LANGUAGE = /^[A-Za-z]{2}$/;
export const LANGUAGE_HINT = 'be 2 letters (ISO 639-1), e.g. en';

/** The gateway's storageId is 32 alphanumeric characters (§4.2); anything else cannot be one of ours. */
export const STORAGE_ID = /^[A-Za-z0-9]{1,64}$/;

/** No control characters (they break the fingerprinted key=value body and mean nothing in these fields). */
export const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;
