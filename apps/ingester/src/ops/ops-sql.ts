import type { Page } from '@seamless-ops/contracts';
import { encodeCursor, type Cursor, type ListRange } from './ops-query';

/** Something that runs SQL: the DataSource (or a test's). */
export interface Sql {
  query<T = Record<string, unknown>>(sql: string, parameters?: unknown[]): Promise<T[]>;
}

/**
 * The WHERE clause of one statement, built from trusted SQL fragments and numbered parameters (values never
 * enter the SQL text).
 */
export class Conditions {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  /** Adds `value` as the next parameter and returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(condition: string): this {
    this.parts.push(condition);
    return this;
  }

  /** `column = ANY(shops)` unless the scope is every shop (null). */
  shops(column: string, scope: string[] | null): this {
    if (scope !== null) this.add(`${column} = ANY(${this.param(scope)}::text[])`);
    return this;
  }

  /** `column >= from AND column < to` for the ends that are given. */
  range(column: string, range: ListRange): this {
    if (range.from) this.add(`${column} >= ${this.param(range.from)}::timestamptz`);
    if (range.to) this.add(`${column} < ${this.param(range.to)}::timestamptz`);
    return this;
  }

  /** Rows after the cursor in `(at, id)` order, descending or ascending. */
  after(atColumn: string, idColumn: string, cursor: Cursor | undefined, direction: 'asc' | 'desc', idType: 'uuid' | 'bigint' | 'text'): this {
    if (cursor) {
      const op = direction === 'desc' ? '<' : '>';
      this.add(`(${atColumn}, ${idColumn}) ${op} (${this.param(cursor.at)}::timestamptz, ${this.param(cursor.id)}::${idType})`);
    }
    return this;
  }

  get where(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

/** `to_char(column)` at microsecond precision in UTC: the sort key a cursor carries. */
export function sortKey(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * One page from `limit + 1` rows fetched in order: the extra row only tells that a next page exists; the
 * cursor is the last returned row's key.
 */
export function toPage<R extends { sortAt: string }, T>(list: string, rows: R[], limit: number, id: (row: R) => string, map: (row: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(map), nextCursor: rows.length > limit && last ? encodeCursor(list, last.sortAt, id(last)) : null };
}

export const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : new Date(d).toISOString());
export const isoRequired = (d: Date | string): string => new Date(d).toISOString();

/** An int8/numeric count as PostgreSQL returns it (a string) → number. */
export const count = (v: string | number | null | undefined): number => (v == null ? 0 : Number(v));

/** `value` with LIKE's wildcards escaped, for a prefix match `LIKE escaped || '%'`. */
export function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
