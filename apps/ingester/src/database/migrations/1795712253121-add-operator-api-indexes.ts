import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes of the operator API (src/ops): search by orderIdent and by gatewayReferenceNumber prefix, the pending
 * list (payments not final, oldest first), expired storages and every mismatch newest first. The prefix index
 * is written by hand: TypeORM cannot declare an operator class (the entity lists it with synchronize: false);
 * text_pattern_ops lets `LIKE 'prefix%'` use it whatever the database's collation.
 */
export class AddOperatorApiIndexes1795712253121 implements MigrationInterface {
  name = 'AddOperatorApiIndexes1795712253121';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "mismatches_detected_idx" ON "mismatches"  ("detected_at", "id") `);
    await queryRunner.query(`CREATE INDEX "payments_open_created_idx" ON "payments"  ("created_at", "id") WHERE "state" IN ('INITIATED', 'PENDING', 'UNKNOWN')`);
    await queryRunner.query(`CREATE INDEX "payments_order_ident_idx" ON "payments"  ("order_ident") `);
    await queryRunner.query(`CREATE INDEX "storages_expired_idx" ON "storages"  ("expired_at", "storage_id") WHERE "status" = 'expired'`);
    await queryRunner.query(`CREATE INDEX "payments_gateway_reference_prefix_idx" ON "payments" ("gateway_reference_number" text_pattern_ops)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."payments_gateway_reference_prefix_idx"`);
    await queryRunner.query(`DROP INDEX "public"."storages_expired_idx"`);
    await queryRunner.query(`DROP INDEX "public"."payments_order_ident_idx"`);
    await queryRunner.query(`DROP INDEX "public"."payments_open_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."mismatches_detected_idx"`);
  }
}
