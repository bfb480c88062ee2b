import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795711520376 implements MigrationInterface {
  name = 'InitialSchema1795711520376';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "checkout_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "kind" text NOT NULL, "source" text NOT NULL, "shop_id" text, "payment_id" uuid, "storage_id" text, "order_ident" text, "order_number" text, "payment_state" text, "amount" numeric, "currency" character(3), "payment_type" text, "payload" jsonb NOT NULL DEFAULT '{}', "dedup_key" text, "source_address" inet, CONSTRAINT "checkout_events_payment_state_check" CHECK ("payment_state" IN ('INITIATED', 'PENDING', 'SUCCESS', 'CANCEL', 'FAILURE', 'INIT_FAILED', 'UNKNOWN')), CONSTRAINT "checkout_events_source_check" CHECK ("source" IN ('shop', 'gateway', 'consumer', 'system')), CONSTRAINT "checkout_events_kind_check" CHECK ("kind" IN ('checkout.started', 'checkout.step', 'storage.initialized', 'storage.init_failed', 'storage.read', 'storage.expired', 'storage.consumed', 'payment.initiated', 'payment.init_failed', 'payment.init_unknown', 'confirmation.received', 'confirmation.duplicate', 'confirmation.rejected', 'consumer.returned', 'notification.sent', 'notification.failed', 'reconciliation.checked')), CONSTRAINT "checkout_events_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "checkout_events_dedup_key_key" ON "checkout_events"  ("dedup_key") `);
    await queryRunner.query(`CREATE INDEX "checkout_events_kind_idx" ON "checkout_events"  ("kind", "occurred_at") `);
    await queryRunner.query(`CREATE INDEX "checkout_events_shop_idx" ON "checkout_events"  ("shop_id", "occurred_at") `);
    await queryRunner.query(`CREATE INDEX "checkout_events_storage_idx" ON "checkout_events"  ("storage_id", "occurred_at") `);
    await queryRunner.query(`CREATE INDEX "checkout_events_payment_idx" ON "checkout_events"  ("payment_id", "occurred_at") `);
    await queryRunner.query(`CREATE TABLE "funnel_hourly" ("bucket" TIMESTAMP WITH TIME ZONE NOT NULL, "shop_id" text NOT NULL, "payment_type" text NOT NULL, "shard" smallint NOT NULL DEFAULT '0', "checkouts_started" integer NOT NULL DEFAULT '0', "storages_initialized" integer NOT NULL DEFAULT '0', "storages_expired" integer NOT NULL DEFAULT '0', "payment_data_stored" integer NOT NULL DEFAULT '0', "payments_initiated" integer NOT NULL DEFAULT '0', "confirmations" integer NOT NULL DEFAULT '0', "successes" integer NOT NULL DEFAULT '0', "cancels" integer NOT NULL DEFAULT '0', "failures" integer NOT NULL DEFAULT '0', "pendings" integer NOT NULL DEFAULT '0', "init_failures" integer NOT NULL DEFAULT '0', "returns" integer NOT NULL DEFAULT '0', CONSTRAINT "funnel_hourly_pkey" PRIMARY KEY ("bucket", "shop_id", "payment_type", "shard"))`);
    await queryRunner.query(`CREATE TABLE "mismatches" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "payment_id" uuid, "shop_id" text NOT NULL, "kind" text NOT NULL, "reason" text NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "status" text NOT NULL DEFAULT 'open', "detected_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "mismatches_payment_kind_key" UNIQUE ("payment_id", "kind"), CONSTRAINT "mismatches_status_check" CHECK ("status" IN ('open', 'resolved')), CONSTRAINT "mismatches_kind_check" CHECK ("kind" IN ('return_without_confirmation', 'return_contradicts_confirmation', 'amount_mismatch', 'conflicting_final_states', 'unknown_payment', 'gateway_disagrees')), CONSTRAINT "mismatches_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "mismatches_shop_detected_idx" ON "mismatches"  ("shop_id", "detected_at") `);
    await queryRunner.query(`CREATE INDEX "mismatches_status_detected_idx" ON "mismatches"  ("status", "detected_at") `);
    await queryRunner.query(`CREATE TABLE "outbox" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "kind" text NOT NULL, "target" text NOT NULL, "payload" jsonb NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text, "status" text NOT NULL DEFAULT 'pending', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "outbox_attempts_check" CHECK ("attempts" >= 0), CONSTRAINT "outbox_status_check" CHECK ("status" IN ('pending', 'sent', 'failed')), CONSTRAINT "outbox_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "outbox_status_next_attempt_idx" ON "outbox"  ("status", "next_attempt_at") `);
    await queryRunner.query(`CREATE TABLE "payments" ("id" uuid NOT NULL, "shop_id" text NOT NULL, "storage_id" text, "order_ident" text, "order_number" text, "payment_type" text NOT NULL, "amount" numeric NOT NULL, "currency" character(3) NOT NULL, "state" text NOT NULL DEFAULT 'INITIATED', "confirmed_amount" numeric, "confirmed_currency" character(3), "gateway_reference_number" text, "masked_pan" text, "financial_institution" text, "initiated_at" TIMESTAMP WITH TIME ZONE, "first_confirmation_at" TIMESTAMP WITH TIME ZONE, "final_at" TIMESTAMP WITH TIME ZONE, "returned_at" TIMESTAMP WITH TIME ZONE, "return_outcome" text, "confirmation_count" integer NOT NULL DEFAULT '0', "duplicate_count" integer NOT NULL DEFAULT '0', "hold_reason" text, "has_mismatch" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payments_counts_check" CHECK ("confirmation_count" >= 0 AND "duplicate_count" >= 0), CONSTRAINT "payments_amount_check" CHECK ("amount" >= 0), CONSTRAINT "payments_return_outcome_check" CHECK ("return_outcome" IN ('success', 'cancel', 'failure', 'pending')), CONSTRAINT "payments_state_check" CHECK ("state" IN ('INITIATED', 'PENDING', 'SUCCESS', 'CANCEL', 'FAILURE', 'INIT_FAILED', 'UNKNOWN')), CONSTRAINT "payments_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "payments_storage_idx" ON "payments"  ("storage_id") `);
    await queryRunner.query(`CREATE INDEX "payments_gateway_reference_idx" ON "payments"  ("gateway_reference_number") `);
    await queryRunner.query(`CREATE INDEX "payments_order_number_idx" ON "payments"  ("order_number") `);
    await queryRunner.query(`CREATE INDEX "payments_state_created_idx" ON "payments"  ("state", "created_at") `);
    await queryRunner.query(`CREATE INDEX "payments_created_idx" ON "payments"  ("created_at") `);
    await queryRunner.query(`CREATE INDEX "payments_shop_created_idx" ON "payments"  ("shop_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "storages" ("storage_id" text NOT NULL, "shop_id" text NOT NULL, "order_ident" text NOT NULL, "status" text NOT NULL DEFAULT 'active', "payment_type" text, "initialized_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_access_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "payment_data_stored_at" TIMESTAMP WITH TIME ZONE, "consumed_at" TIMESTAMP WITH TIME ZONE, "expired_at" TIMESTAMP WITH TIME ZONE, "payment_id" uuid, CONSTRAINT "storages_status_check" CHECK ("status" IN ('active', 'consumed', 'expired')), CONSTRAINT "storages_pkey" PRIMARY KEY ("storage_id"))`);
    await queryRunner.query(`CREATE INDEX "storages_shop_initialized_idx" ON "storages"  ("shop_id", "initialized_at") `);
    await queryRunner.query(`CREATE INDEX "storages_status_expires_idx" ON "storages"  ("status", "expires_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."storages_status_expires_idx"`);
    await queryRunner.query(`DROP INDEX "public"."storages_shop_initialized_idx"`);
    await queryRunner.query(`DROP TABLE "storages"`);
    await queryRunner.query(`DROP INDEX "public"."payments_shop_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."payments_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."payments_state_created_idx"`);
    await queryRunner.query(`DROP INDEX "public"."payments_order_number_idx"`);
    await queryRunner.query(`DROP INDEX "public"."payments_gateway_reference_idx"`);
    await queryRunner.query(`DROP INDEX "public"."payments_storage_idx"`);
    await queryRunner.query(`DROP TABLE "payments"`);
    await queryRunner.query(`DROP INDEX "public"."outbox_status_next_attempt_idx"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
    await queryRunner.query(`DROP INDEX "public"."mismatches_status_detected_idx"`);
    await queryRunner.query(`DROP INDEX "public"."mismatches_shop_detected_idx"`);
    await queryRunner.query(`DROP TABLE "mismatches"`);
    await queryRunner.query(`DROP TABLE "funnel_hourly"`);
    await queryRunner.query(`DROP INDEX "public"."checkout_events_payment_idx"`);
    await queryRunner.query(`DROP INDEX "public"."checkout_events_storage_idx"`);
    await queryRunner.query(`DROP INDEX "public"."checkout_events_shop_idx"`);
    await queryRunner.query(`DROP INDEX "public"."checkout_events_kind_idx"`);
    await queryRunner.query(`DROP INDEX "public"."checkout_events_dedup_key_key"`);
    await queryRunner.query(`DROP TABLE "checkout_events"`);
  }
}
