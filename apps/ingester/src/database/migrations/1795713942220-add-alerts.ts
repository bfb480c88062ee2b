import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerting (src/alerts): `alerts` with at most one live (open or acknowledged) alert per rule and scope (partial
 * unique index), their history in `alert_events`, and `alert_rule_runs`, one row per rule and tick, unique per
 * (tick_at, rule) so a tick runs once across replicas.
 */
export class AddAlerts1795713942220 implements MigrationInterface {
  name = 'AddAlerts1795713942220';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "alerts" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "rule" text NOT NULL, "scope" text NOT NULL, "shop_id" text, "payment_type" text, "severity" text NOT NULL, "status" text NOT NULL DEFAULT 'open', "summary" text NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by" text, "ack_comment" text, "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "alerts_resolved_check" CHECK (("status" = 'resolved') = ("resolved_at" IS NOT NULL)), CONSTRAINT "alerts_status_check" CHECK ("status" IN ('open', 'acknowledged', 'resolved')), CONSTRAINT "alerts_severity_check" CHECK ("severity" IN ('info', 'warning', 'critical')), CONSTRAINT "alerts_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "alerts_status_opened_idx" ON "alerts"  ("status", "opened_at") `);
    await queryRunner.query(`CREATE INDEX "alerts_opened_idx" ON "alerts"  ("opened_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "alerts_live_rule_scope_key" ON "alerts"  ("rule", "scope") WHERE "status" <> 'resolved'`);
    await queryRunner.query(`CREATE TABLE "alert_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "alert_id" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "kind" text NOT NULL, "actor" text, "detail" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "alert_events_kind_check" CHECK ("kind" IN ('opened', 'updated', 'acknowledged', 'resolved', 'notified')), CONSTRAINT "alert_events_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "alert_events_alert_idx" ON "alert_events"  ("alert_id", "id") `);
    await queryRunner.query(`CREATE TABLE "alert_rule_runs" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "rule" text NOT NULL, "tick_at" TIMESTAMP WITH TIME ZONE NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_ms" integer NOT NULL, "result" text NOT NULL, "findings" integer NOT NULL DEFAULT '0', "alerts_opened" integer NOT NULL DEFAULT '0', "alerts_resolved" integer NOT NULL DEFAULT '0', "message" text, CONSTRAINT "alert_rule_runs_counts_check" CHECK ("duration_ms" >= 0 AND "findings" >= 0 AND "alerts_opened" >= 0 AND "alerts_resolved" >= 0), CONSTRAINT "alert_rule_runs_result_check" CHECK ("result" IN ('ok', 'error')), CONSTRAINT "alert_rule_runs_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "alert_rule_runs_rule_tick_idx" ON "alert_rule_runs"  ("rule", "tick_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "alert_rule_runs_tick_rule_key" ON "alert_rule_runs"  ("tick_at", "rule") `);
    await queryRunner.query(`ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "alert_events" DROP CONSTRAINT "alert_events_alert_id_fkey"`);
    await queryRunner.query(`DROP INDEX "public"."alert_rule_runs_tick_rule_key"`);
    await queryRunner.query(`DROP INDEX "public"."alert_rule_runs_rule_tick_idx"`);
    await queryRunner.query(`DROP TABLE "alert_rule_runs"`);
    await queryRunner.query(`DROP INDEX "public"."alert_events_alert_idx"`);
    await queryRunner.query(`DROP TABLE "alert_events"`);
    await queryRunner.query(`DROP INDEX "public"."alerts_live_rule_scope_key"`);
    await queryRunner.query(`DROP INDEX "public"."alerts_opened_idx"`);
    await queryRunner.query(`DROP INDEX "public"."alerts_status_opened_idx"`);
    await queryRunner.query(`DROP TABLE "alerts"`);
  }
}
