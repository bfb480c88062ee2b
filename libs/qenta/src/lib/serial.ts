import type { FormFields } from './form-codec';

/**
 * Dotted keys with 1-based numeric segments (PROTOCOL.md §1.1, CCL `SerialApi`): `error.1.message`,
 * `paymentInformation.1.maskedPan`, `payment.1.1.state`. {@link unflatten} turns flat fields into nested
 * objects/arrays (0-based arrays), {@link flatten} does the reverse.
 */
export type SerialValue = string | SerialValue[] | SerialObject;
export interface SerialObject {
  [key: string]: SerialValue;
}

const INDEX = /^[1-9][0-9]{0,8}$/;

interface Node {
  leaf?: string;
  children?: Map<string, Node>;
}

/**
 * Flat → nested. A group whose keys are exactly `1..n` becomes an array; any other group stays an object (so a
 * gap like `error.2.*` without `error.1.*` keeps the numeric key `"2"` instead of inventing holes).
 * Never throws. When a name is both a value and a prefix (`a=1&a.b=2`), the plain value wins and the nested keys
 * are returned in `conflicts`.
 */
export function unflattenDetailed(fields: Readonly<Record<string, string>>): { value: SerialObject; conflicts: string[] } {
  const root: Node = { children: new Map() };
  const conflicts: string[] = [];
  // Plain values first, so that the outcome does not depend on key order.
  const keys = Object.keys(fields).sort((a, b) => a.split('.').length - b.split('.').length);
  for (const key of keys) {
    const segments = key.split('.');
    let node = root;
    let blocked = false;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as string;
      if (node.leaf !== undefined) {
        blocked = true;
        break;
      }
      node.children ??= new Map();
      let child = node.children.get(seg);
      if (!child) {
        child = {};
        node.children.set(seg, child);
      }
      node = child;
    }
    if (blocked || node.children !== undefined || node.leaf !== undefined) {
      conflicts.push(key);
      continue;
    }
    node.leaf = fields[key] as string;
  }
  return { value: toValue(root) as SerialObject, conflicts };
}

/** Flat → nested (see {@link unflattenDetailed}; conflicting keys are dropped). */
export function unflatten(fields: Readonly<Record<string, string>>): SerialObject {
  return unflattenDetailed(fields).value;
}

function toValue(node: Node): SerialValue {
  if (node.leaf !== undefined) return node.leaf;
  const children = node.children ?? new Map<string, Node>();
  const keys = [...children.keys()];
  const isArray = keys.length > 0 && keys.every((k) => INDEX.test(k)) && keys.every((_, i) => children.has(String(i + 1)));
  if (isArray) return keys.map((_, i) => toValue(children.get(String(i + 1)) as Node));
  const out: SerialObject = Object.create(null) as SerialObject;
  for (const [k, child] of children) out[k] = toValue(child);
  return out;
}

/** Nested → flat, arrays become 1-based segments. Empty arrays/objects contribute nothing. */
export function flatten(value: SerialObject | SerialValue[], prefix = ''): FormFields {
  const out: FormFields = Object.create(null) as FormFields;
  const walk = (v: SerialValue, key: string): void => {
    if (typeof v === 'string') {
      out[key] = v;
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, key === '' ? String(i + 1) : `${key}.${i + 1}`));
    } else {
      for (const k of Object.keys(v)) walk(v[k] as SerialValue, key === '' ? k : `${key}.${k}`);
    }
  };
  walk(value, prefix);
  return { ...out };
}

/**
 * Collects the sub-fields of `prefix.N.*` (1-based) into records, e.g. `listAt(f, 'paymentInformation')`.
 * `count` (from the accompanying counter field) bounds the list (gaps below it become `{}`); without it,
 * indexes are taken from 1 up to the first gap. Never throws.
 */
export function listAt(fields: Readonly<Record<string, string>>, prefix: string, count?: number): Record<string, string>[] {
  const groups = new Map<number, Record<string, string>>();
  const start = prefix + '.';
  for (const key of Object.keys(fields)) {
    if (!key.startsWith(start)) continue;
    const rest = key.slice(start.length);
    const dot = rest.indexOf('.');
    if (dot <= 0) continue;
    const idx = rest.slice(0, dot);
    if (!INDEX.test(idx)) continue;
    const n = Number(idx);
    let g = groups.get(n);
    if (!g) {
      g = Object.create(null) as Record<string, string>; // sub-keys come from the wire (`__proto__`)
      groups.set(n, g);
    }
    g[rest.slice(dot + 1)] = fields[key] as string;
  }
  const out: Record<string, string>[] = [];
  let maxSeen = 0;
  for (const k of groups.keys()) if (k > maxSeen) maxSeen = k;
  let limit: number;
  if (count === undefined) {
    limit = 0;
    while (groups.has(limit + 1)) limit++;
  } else {
    limit = Math.min(count, maxSeen);
  }
  for (let n = 1; n <= limit; n++) out.push(groups.get(n) ?? {});
  return out;
}

/** Parses a list counter such as `errors=2`; anything but a small non-negative integer → undefined. */
export function parseCount(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]{1,6}$/.test(value)) return undefined;
  return Number(value);
}
