import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pending payments and payment updates:
 *
 * - `payments_open_idx` replaces `payments_open_created_idx`: the same partial index of the payments that are not
 *   final, in (created_at, id) order (the pending list, oldest first), now also carrying shop_id and payment_type
 *   so that the pending counts (the age buckets, the overview's pending, the funnel's still-pending), which an
 *   operator of some shops always filters by shop, are index-only scans. Written by hand: TypeORM cannot declare
 *   INCLUDE (the entity lists it with synchronize: false).
 * - `payments_gateway_reference_idx` is dropped: `payments_gateway_reference_prefix_idx` (text_pattern_ops, from
 *   AddOperatorApiIndexes) serves equality on gateway_reference_number as well as the prefix search, and one index
 *   fewer is one entry fewer written by every payment update that is not HOT (the confirmation's).
 *
 * CREATE INDEX scans the table once (about a second for 2.4 million payments) and holds off writes to payments
 * meanwhile; the migration runs before the ingester starts.
 */
export class OpenPaymentsIndex1795721686844 implements MigrationInterface {
  name = 'OpenPaymentsIndex1795721686844';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "payments_open_idx" ON "payments" ("created_at", "id") INCLUDE ("shop_id", "payment_type") WHERE "state" IN ('INITIATED', 'PENDING', 'UNKNOWN')`,
    );
    await queryRunner.query(`DROP INDEX "public"."payments_open_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."payments_gateway_reference_idx"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "payments_gateway_reference_idx" ON "payments" ("gateway_reference_number") `);
    await queryRunner.query(`CREATE INDEX "payments_open_created_idx" ON "payments" ("created_at", "id") WHERE "state" IN ('INITIATED', 'PENDING', 'UNKNOWN')`);
    await queryRunner.query(`DROP INDEX "public"."payments_open_idx"`);
  }
}
