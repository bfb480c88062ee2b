import type { MismatchKind } from '@seamless-ops/contracts';
import type { MismatchStatus } from '../../database/enums';
import type { Cursor, ListRange } from '../ops-query';
import { Conditions, type Sql } from '../ops-sql';
import { MISMATCH_COLUMNS, type MismatchRow } from './mismatch-row';

// The mismatches projection: by (status, detected_at) when a status is given (mismatches_status_detected_idx).

export interface MismatchFilter {
  scope: string[] | null;
  /** On detected_at. */
  range: ListRange;
  /** The payment's type; mismatches without a payment (unknown_payment) have none and drop out. */
  paymentType?: string;
}

function conditions(f: MismatchFilter): Conditions {
  const c = new Conditions().shops('m.shop_id', f.scope).range('m.detected_at', f.range);
  if (f.paymentType) c.add(`EXISTS (SELECT 1 FROM payments p WHERE p.id = m.payment_id AND p.payment_type = ${c.param(f.paymentType)})`);
  return c;
}

/** Newest detection first by (detected_at, id); `limit + 1` rows. */
export function listMismatches(sql: Sql, f: MismatchFilter & { status?: MismatchStatus; kind?: MismatchKind; cursor?: Cursor; limit: number }): Promise<MismatchRow[]> {
  const c = conditions(f);
  if (f.status) c.add(`m.status = ${c.param(f.status)}`);
  if (f.kind) c.add(`m.kind = ${c.param(f.kind)}`);
  c.after('m.detected_at', 'm.id', f.cursor, 'desc', 'bigint');
  return sql.query<MismatchRow>(
    `SELECT ${MISMATCH_COLUMNS} FROM mismatches m ${c.where}
     ORDER BY m.detected_at DESC, m.id DESC
     LIMIT ${c.param(f.limit + 1)}`,
    c.params,
  );
}

/** Open mismatches per kind (only kinds that have any). */
export function openMismatchesByKind(sql: Sql, f: MismatchFilter): Promise<{ kind: MismatchKind; open: string }[]> {
  const c = conditions(f).add(`m.status = 'open'`);
  return sql.query(`SELECT m.kind, count(*) AS open FROM mismatches m ${c.where} GROUP BY m.kind`, c.params);
}
