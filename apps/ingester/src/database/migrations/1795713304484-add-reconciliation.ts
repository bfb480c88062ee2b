import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finance reconciliation, gateway reconciliation and the pending janitor (src/reconciliation, src/janitor):
 *
 * - tables (generated from the entities): `shops` (reference copy of the configured shops' time zones),
 *   `payment_checks` (where each payment stands with the gateway checks), `job_checkpoints` (resumable jobs);
 * - written by hand (TypeORM cannot declare them): the `reporting` schema with stable views for BI tools and the
 *   read-only role `seamless_reporting` (NOLOGIN) that may read those views and nothing else. Documented in
 *   src/reconciliation/README.md.
 *
 * The hand-written part is idempotent (IF NOT EXISTS, CREATE OR REPLACE, the role created only when missing) and
 * runs on PostgreSQL 15 and 18. Roles belong to the whole server, so another database on the same server (tests,
 * staging next to production) shares the role; it is created only when the migrating user may create roles
 * (superuser or CREATEROLE), otherwise a NOTICE says so and the grants are skipped (the README shows how to add
 * them later).
 *
 * A view pins the columns it reads: a later migration that changes one of them drops and recreates the view.
 */

export class AddReconciliation1795713304484 implements MigrationInterface {
  name = 'AddReconciliation1795713304484';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "shops" ("id" text NOT NULL, "name" text NOT NULL, "time_zone" text NOT NULL, "configured" boolean NOT NULL DEFAULT true, "synced_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "shops_pkey" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "payment_checks" ("payment_id" uuid NOT NULL, "shop_id" text NOT NULL, "last_checked_at" TIMESTAMP WITH TIME ZONE, "last_outcome" text, "checked_state" text, "check_count" integer NOT NULL DEFAULT '0', "next_check_at" TIMESTAMP WITH TIME ZONE, "attention_at" TIMESTAMP WITH TIME ZONE, "attention_reason" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payment_checks_check_count_check" CHECK ("check_count" >= 0), CONSTRAINT "payment_checks_checked_state_check" CHECK ("checked_state" IN ('INITIATED', 'PENDING', 'SUCCESS', 'CANCEL', 'FAILURE', 'INIT_FAILED', 'UNKNOWN')), CONSTRAINT "payment_checks_last_outcome_check" CHECK ("last_outcome" IN ('agrees', 'disagrees', 'settled', 'unknown', 'declined', 'unresolvable')), CONSTRAINT "payment_checks_pkey" PRIMARY KEY ("payment_id"))`);
    await queryRunner.query(`CREATE INDEX "payment_checks_next_check_idx" ON "payment_checks"  ("next_check_at") `);
    await queryRunner.query(`CREATE TABLE "job_checkpoints" ("job" text NOT NULL, "position_at" TIMESTAMP WITH TIME ZONE, "position_id" uuid, "pass_started_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "job_checkpoints_pkey" PRIMARY KEY ("job"))`);
    // Written by hand: the reporting schema, its views and the read-only role.
    for (const statement of REPORTING_UP) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of REPORTING_DOWN) await queryRunner.query(statement);
    await queryRunner.query(`DROP TABLE "job_checkpoints"`);
    await queryRunner.query(`DROP INDEX "public"."payment_checks_next_check_idx"`);
    await queryRunner.query(`DROP TABLE "payment_checks"`);
    await queryRunner.query(`DROP TABLE "shops"`);
  }
}

/**
 * When a payment reached its current state: `final_at` for the final states, `initiated_at` for the others
 * (falling back to the nearest timestamp we have). The operator API (src/reconciliation/daily-totals.queries.ts)
 * uses the same expression.
 */
const REACHED_AT = `CASE WHEN p.state IN ('SUCCESS', 'CANCEL', 'FAILURE')
         THEN coalesce(p.final_at, p.first_confirmation_at, p.initiated_at, p.created_at)
         ELSE coalesce(p.initiated_at, p.created_at) END`;

/** Exported for the test that applies them twice. */
export const REPORTING_UP = [
  `CREATE SCHEMA IF NOT EXISTS reporting`,
  `COMMENT ON SCHEMA reporting IS 'Seamless Ops: stable read-only views for BI tools (apps/ingester/src/reconciliation/README.md). Columns are only ever added, never renamed or removed.'`,

  `CREATE OR REPLACE VIEW reporting.shops AS
   SELECT s.id AS shop_id, s.name, s.time_zone, s.configured
   FROM public.shops s`,
  `COMMENT ON VIEW reporting.shops IS 'Shops with their IANA time zone (day boundaries of the reports); configured = false: no longer in the configuration.'`,

  `CREATE OR REPLACE VIEW reporting.payments AS
   SELECT p.id AS payment_id, p.shop_id, p.order_ident, p.order_number, p.payment_type, p.state,
          p.amount, p.currency, p.confirmed_amount, p.confirmed_currency,
          p.gateway_reference_number, p.financial_institution,
          p.initiated_at, p.first_confirmation_at, p.final_at, p.returned_at, p.return_outcome,
          p.confirmation_count, p.duplicate_count, p.hold_reason, p.has_mismatch, p.created_at, p.updated_at,
          r.reached_at,
          coalesce(s.time_zone, 'UTC') AS time_zone,
          (r.reached_at AT TIME ZONE coalesce(s.time_zone, 'UTC'))::date AS local_day,
          (r.reached_at AT TIME ZONE 'UTC')::date AS utc_day,
          c.last_checked_at AS gateway_checked_at, c.last_outcome AS gateway_check_outcome,
          c.attention_reason
   FROM public.payments p
   CROSS JOIN LATERAL (SELECT ${REACHED_AT} AS reached_at) r
   LEFT JOIN public.shops s ON s.id = p.shop_id
   LEFT JOIN public.payment_checks c ON c.payment_id = p.id`,
  `COMMENT ON VIEW reporting.payments IS 'One row per payment. reached_at: when it reached its current state (final_at for SUCCESS/CANCEL/FAILURE, initiated_at otherwise); local_day: that instant''s date in the shop''s time zone; utc_day: in UTC. Amounts are numeric (exact).'`,

  `CREATE OR REPLACE VIEW reporting.daily_totals AS
   SELECT local_day, time_zone,
          (local_day::timestamp AT TIME ZONE time_zone) AS day_start_utc,
          ((local_day + 1)::timestamp AT TIME ZONE time_zone) AS day_end_utc,
          shop_id, currency, payment_type, state,
          count(*) AS payment_count, sum(amount) AS amount_sum
   FROM reporting.payments
   GROUP BY local_day, time_zone, shop_id, currency, payment_type, state`,
  `COMMENT ON VIEW reporting.daily_totals IS 'Count and exact sum of payments per local day of the shop (with that day''s UTC start and end: 23 or 25 hours across a daylight-saving change) x shop x currency x payment type x state; the numbers of GET /api/ops/reconciliation/daily. Filter on local_day.'`,

  `CREATE OR REPLACE VIEW reporting.daily_totals_utc AS
   SELECT utc_day, shop_id, currency, payment_type, state,
          count(*) AS payment_count, sum(amount) AS amount_sum
   FROM reporting.payments
   GROUP BY utc_day, shop_id, currency, payment_type, state`,
  `COMMENT ON VIEW reporting.daily_totals_utc IS 'As reporting.daily_totals, per UTC day (00:00 to 24:00 UTC).'`,

  `CREATE OR REPLACE VIEW reporting.mismatches AS
   SELECT m.id AS mismatch_id, m.payment_id, m.shop_id, m.kind, m.reason, m.detail, m.status, m.detected_at, m.resolved_at
   FROM public.mismatches m`,
  `COMMENT ON VIEW reporting.mismatches IS 'Detected problems (kind, the reason shown to operators, what differs, open/resolved), e.g. gateway_disagrees from gateway reconciliation.'`,

  `CREATE OR REPLACE VIEW reporting.events AS
   SELECT e.id AS event_id, e.occurred_at, e.recorded_at, e.kind, e.source, e.shop_id, e.payment_id, e.storage_id,
          e.order_ident, e.order_number, e.payment_state, e.amount, e.currency, e.payment_type
   FROM public.checkout_events e`,
  `COMMENT ON VIEW reporting.events IS 'The event log without payloads, delivery keys or client addresses.'`,

  // The role: created when missing and allowed; a concurrent migration of another database may create it first.
  `DO $role$
   BEGIN
     IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'seamless_reporting') THEN
       IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
         BEGIN
           CREATE ROLE seamless_reporting NOLOGIN;
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
         END;
       ELSE
         RAISE NOTICE 'role seamless_reporting not created (% may not create roles): see apps/ingester/src/reconciliation/README.md', current_user;
       END IF;
     END IF;
   END
   $role$`,
  // USAGE on the schema and SELECT on its views, nothing on the base tables (a view reads them with its owner's
  // rights). Views added to the schema later by the same owner get SELECT too (default privileges).
  `DO $grants$
   BEGIN
     IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'seamless_reporting') THEN
       GRANT USAGE ON SCHEMA reporting TO seamless_reporting;
       GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO seamless_reporting;
       ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO seamless_reporting;
     END IF;
   END
   $grants$`,
];

export const REPORTING_DOWN = [
  `DO $grants$
   BEGIN
     IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'seamless_reporting') THEN
       ALTER DEFAULT PRIVILEGES IN SCHEMA reporting REVOKE SELECT ON TABLES FROM seamless_reporting;
       REVOKE ALL ON ALL TABLES IN SCHEMA reporting FROM seamless_reporting;
       REVOKE ALL ON SCHEMA reporting FROM seamless_reporting;
     END IF;
   END
   $grants$`,
  `DROP VIEW IF EXISTS reporting.events`,
  `DROP VIEW IF EXISTS reporting.mismatches`,
  `DROP VIEW IF EXISTS reporting.daily_totals_utc`,
  `DROP VIEW IF EXISTS reporting.daily_totals`,
  `DROP VIEW IF EXISTS reporting.payments`,
  `DROP VIEW IF EXISTS reporting.shops`,
  `DROP SCHEMA IF EXISTS reporting`,
  // Other databases on the same server may still grant to the role: then it stays.
  `DO $role$
   BEGIN
     IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'seamless_reporting') THEN
       BEGIN
         DROP ROLE seamless_reporting;
       EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege THEN
         RAISE NOTICE 'role seamless_reporting kept: %', SQLERRM;
       END;
     END IF;
   END
   $role$`,
];
