/**
 * The gateway's wire format (PROTOCOL.md §1): `application/x-www-form-urlencoded`, UTF-8, `key=value` joined by
 * `&`. Commas inside values are always percent-encoded (`%2C`), because clients split raw commas into lists.
 */
export type FormFields = Record<string, string>;

export class FormDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormDecodeError';
  }
}

function encodeComponent(value: string): string {
  // encodeURIComponent leaves !'()* alone; the form encoding escapes them too, and spaces become '+'.
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** Encodes fields in their given order. */
export function encodeForm(fields: FormFields | ReadonlyArray<readonly [string, string]>): string {
  const pairs = Array.isArray(fields) ? fields : Object.entries(fields);
  return pairs.map(([k, v]) => `${encodeComponent(k)}=${encodeComponent(v)}`).join('&');
}

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // The message never quotes the input: it may carry card data into logs.
    throw new FormDecodeError("malformed percent-encoding");
  }
}

export interface DecodedForm {
  /** Fields in the order they were sent (first occurrence wins). */
  fields: FormFields;
  /** Names that occurred more than once. */
  duplicates: string[];
}

/**
 * Strict decoder: malformed percent-encoding or an empty key throws {@link FormDecodeError}; duplicate keys are
 * reported so callers can reject them.
 */
export function decodeForm(body: string): DecodedForm {
  const fields: FormFields = Object.create(null);
  const duplicates: string[] = [];
  if (body.length === 0) return { fields, duplicates };
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(part.slice(eq + 1));
    if (key === '') throw new FormDecodeError('empty parameter name');
    if (Object.prototype.hasOwnProperty.call(fields, key)) {
      if (!duplicates.includes(key)) duplicates.push(key);
      continue;
    }
    fields[key] = value;
  }
  return { fields: { ...fields }, duplicates };
}
