import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddOperatorsSessionsAudit1795712011245 implements MigrationInterface {
  name = 'AddOperatorsSessionsAudit1795712011245';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_log" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "operator_id" uuid, "email" text, "action" text NOT NULL, "target" text, "ip" inet, "detail" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "audit_log_action_check" CHECK ("action" IN ('login', 'login_failed', 'logout', 'session_expired', 'operator_created', 'operator_disabled', 'password_reset', 'access_denied', 'alert_acknowledged', 'export')), CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "audit_log_action_idx" ON "audit_log"  ("action", "occurred_at") `);
    await queryRunner.query(`CREATE INDEX "audit_log_operator_idx" ON "audit_log"  ("operator_id", "occurred_at") `);
    await queryRunner.query(`CREATE INDEX "audit_log_occurred_idx" ON "audit_log"  ("occurred_at") `);
    await queryRunner.query(`CREATE TABLE "login_failures" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "email" text NOT NULL, "ip" inet, CONSTRAINT "login_failures_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "login_failures_attempted_idx" ON "login_failures"  ("attempted_at") `);
    await queryRunner.query(`CREATE INDEX "login_failures_ip_idx" ON "login_failures"  ("ip", "attempted_at") `);
    await queryRunner.query(`CREATE INDEX "login_failures_email_idx" ON "login_failures"  ("email", "attempted_at") `);
    await queryRunner.query(`CREATE TABLE "operators" ("id" uuid NOT NULL, "email" text NOT NULL, "password_hash" text NOT NULL, "role" text NOT NULL, "shop_ids" text array, "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_login_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "operators_email_key" UNIQUE ("email"), CONSTRAINT "operators_shop_ids_check" CHECK ("shop_ids" IS NULL OR cardinality("shop_ids") > 0), CONSTRAINT "operators_role_check" CHECK ("role" IN ('viewer', 'operator', 'finance', 'admin')), CONSTRAINT "operators_email_check" CHECK ("email" = lower("email") AND "email" LIKE '%_@_%'), CONSTRAINT "operators_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "sessions" ("id" uuid NOT NULL, "operator_id" uuid NOT NULL, "token_hash" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ended_at" TIMESTAMP WITH TIME ZONE, "ended_reason" text, "ip" inet, "user_agent" text, CONSTRAINT "sessions_token_hash_key" UNIQUE ("token_hash"), CONSTRAINT "sessions_ended_check" CHECK (("ended_at" IS NULL) = ("ended_reason" IS NULL)), CONSTRAINT "sessions_ended_reason_check" CHECK ("ended_reason" IN ('logout', 'idle_timeout', 'absolute_timeout', 'operator_disabled', 'password_reset')), CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "sessions_operator_idx" ON "sessions"  ("operator_id") `);
    await queryRunner.query(`ALTER TABLE "sessions" ADD CONSTRAINT "sessions_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "operators"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sessions" DROP CONSTRAINT "sessions_operator_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."sessions_operator_idx"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP TABLE "operators"`);
    await queryRunner.query(`DROP INDEX "public"."login_failures_email_idx"`);
    await queryRunner.query(`DROP INDEX "public"."login_failures_ip_idx"`);
    await queryRunner.query(`DROP INDEX "public"."login_failures_attempted_idx"`);
    await queryRunner.query(`DROP TABLE "login_failures"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_occurred_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_operator_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_log_action_idx"`);
    await queryRunner.query(`DROP TABLE "audit_log"`);
  }
}
