-- Switchyard's first schema. Generated from prisma/schema by 'prisma migrate diff', then the
-- constraints Prisma cannot express are appended by hand at the end (partial indexes, checks).


-- CreateEnum
CREATE TYPE "run_kind" AS ENUM ('daily', 'hourly');

-- CreateEnum
CREATE TYPE "run_trigger" AS ENUM ('scheduled', 'manual', 'retry', 'backfill');

-- CreateEnum
CREATE TYPE "run_status" AS ENUM ('queued', 'running', 'done', 'failed', 'cancelled', 'lost');

-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('viewer', 'operator', 'admin');

-- CreateTable
CREATE TABLE "tasks" (
    "id" SERIAL NOT NULL,
    "task_id" VARCHAR(200),
    "name" VARCHAR(128),
    "host" VARCHAR(128),

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_events" (
    "id" SERIAL NOT NULL,
    "task_id" INTEGER,
    "event_name" VARCHAR(20),
    "ts" TIMESTAMP(6) NOT NULL,

    CONSTRAINT "task_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_parameters" (
    "task_id" INTEGER NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "value" TEXT,

    CONSTRAINT "task_parameters_pkey" PRIMARY KEY ("task_id","name")
);

-- CreateTable
CREATE TABLE "services" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "daily_time" TEXT NOT NULL DEFAULT '02:00',
    "hourly_enabled" BOOLEAN NOT NULL DEFAULT false,
    "hourly_minute" SMALLINT NOT NULL DEFAULT 5,
    "daily_command" TEXT NOT NULL,
    "hourly_command" TEXT,
    "environment" JSONB NOT NULL DEFAULT '{}',
    "labels" JSONB NOT NULL DEFAULT '{}',
    "concurrency_group" TEXT,
    "retry_attempts" SMALLINT NOT NULL DEFAULT 0,
    "retry_backoff_seconds" INTEGER NOT NULL DEFAULT 300,
    "timeout_seconds" INTEGER NOT NULL DEFAULT 21600,
    "expected_done_by" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL DEFAULT 'config',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runs" (
    "id" BIGSERIAL NOT NULL,
    "service_id" INTEGER NOT NULL,
    "kind" "run_kind" NOT NULL,
    "period_start" TIMESTAMPTZ(6) NOT NULL,
    "period_date" DATE NOT NULL,
    "period_hour" SMALLINT,
    "attempt" SMALLINT NOT NULL DEFAULT 1,
    "trigger" "run_trigger" NOT NULL,
    "force" BOOLEAN NOT NULL DEFAULT false,
    "status" "run_status" NOT NULL DEFAULT 'queued',
    "queue_priority" SMALLINT NOT NULL DEFAULT 2,
    "request_key" TEXT,
    "requested_by" TEXT,
    "reason" TEXT,
    "command" TEXT,
    "from_task" TEXT,
    "queued_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "not_before" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(6),
    "last_update_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),
    "exit_code" INTEGER,
    "host" TEXT,
    "runner_id" TEXT,
    "pid" INTEGER,
    "log_path" TEXT,
    "root_task_id" TEXT,
    "error" TEXT,
    "cpu_seconds" REAL,
    "peak_memory_bytes" BIGINT,

    CONSTRAINT "runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hosts" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "cpu_count" INTEGER NOT NULL DEFAULT 1,
    "memory_total_bytes" BIGINT NOT NULL DEFAULT 0,
    "first_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hosts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "runners" (
    "id" TEXT NOT NULL,
    "host_id" INTEGER NOT NULL,
    "pid" INTEGER NOT NULL,
    "version" TEXT,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stopped_at" TIMESTAMPTZ(6),
    "paused" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "runners_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "host_samples" (
    "id" BIGSERIAL NOT NULL,
    "host_id" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cpu_percent" REAL NOT NULL,
    "memory_used_bytes" BIGINT NOT NULL,
    "memory_total_bytes" BIGINT NOT NULL,
    "load1" REAL NOT NULL,
    "load5" REAL NOT NULL,
    "load15" REAL NOT NULL,
    "running_runs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "host_samples_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "reason" TEXT,
    "outcome" TEXT NOT NULL,
    "result" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "email_verified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "role" "user_role" NOT NULL DEFAULT 'viewer',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "ip_address" TEXT,
    "user_agent" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL,
    "access_token" TEXT,
    "refresh_token" TEXT,
    "id_token" TEXT,
    "access_token_expires_at" TIMESTAMPTZ(6),
    "refresh_token_expires_at" TIMESTAMPTZ(6),
    "scope" TEXT,
    "password" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verifications" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "verifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(6),
    "expires_at" TIMESTAMPTZ(6),
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ix_tasks_name" ON "tasks"("name");

-- CreateIndex
CREATE INDEX "ix_tasks_task_id" ON "tasks"("task_id");

-- CreateIndex
CREATE INDEX "ix_task_events_task_id" ON "task_events"("task_id");

-- CreateIndex
CREATE INDEX "ix_task_events_ts" ON "task_events"("ts");

-- CreateIndex
CREATE UNIQUE INDEX "services_name_key" ON "services"("name");

-- CreateIndex
CREATE UNIQUE INDEX "runs_request_key_key" ON "runs"("request_key");

-- CreateIndex
CREATE INDEX "runs_grid_idx" ON "runs"("kind", "period_date", "service_id", "id" DESC);

-- CreateIndex
CREATE INDEX "runs_service_period_idx" ON "runs"("service_id", "kind", "period_date", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "hosts_name_key" ON "hosts"("name");

-- CreateIndex
CREATE INDEX "runners_heartbeat_at_idx" ON "runners"("heartbeat_at");

-- CreateIndex
CREATE INDEX "host_samples_host_id_at_idx" ON "host_samples"("host_id", "at");

-- CreateIndex
CREATE INDEX "host_samples_at_idx" ON "host_samples"("at");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at" DESC);

-- CreateIndex
CREATE INDEX "audit_log_target_type_target_id_idx" ON "audit_log"("target_type", "target_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_token_key" ON "sessions"("token");

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "accounts_user_id_idx" ON "accounts"("user_id");

-- CreateIndex
CREATE INDEX "verifications_identifier_idx" ON "verifications"("identifier");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- AddForeignKey
ALTER TABLE "task_events" ADD CONSTRAINT "task_events_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "task_parameters" ADD CONSTRAINT "task_parameters_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE NO ACTION ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "runs" ADD CONSTRAINT "runs_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "runners" ADD CONSTRAINT "runners_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "host_samples" ADD CONSTRAINT "host_samples_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------
-- Hand-written: what Prisma's schema language cannot say.

-- Exactly one scheduled run per service and period, however many runners race to trigger it.
CREATE UNIQUE INDEX "runs_one_scheduled_per_period" ON "runs" ("service_id", "kind", "period_start") WHERE "trigger" = 'scheduled';

-- The claim query: SELECT ... WHERE status = 'queued' AND not_before <= now()
-- ORDER BY queue_priority, not_before, id FOR UPDATE SKIP LOCKED LIMIT n.
CREATE INDEX "runs_queue_idx" ON "runs" ("queue_priority", "not_before", "id") WHERE "status" = 'queued';

-- Lost-run detection and "running now" lists touch only the few active runs.
CREATE INDEX "runs_running_idx" ON "runs" ("runner_id") WHERE "status" = 'running';

ALTER TABLE "services" ADD CONSTRAINT "services_daily_time_check" CHECK ("daily_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$');
ALTER TABLE "services" ADD CONSTRAINT "services_expected_done_by_check" CHECK ("expected_done_by" IS NULL OR "expected_done_by" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$');
ALTER TABLE "services" ADD CONSTRAINT "services_hourly_minute_check" CHECK ("hourly_minute" BETWEEN 0 AND 59);
ALTER TABLE "services" ADD CONSTRAINT "services_name_check" CHECK ("name" ~ '^[a-z0-9][a-z0-9_-]{0,62}$');
ALTER TABLE "runs" ADD CONSTRAINT "runs_period_hour_check" CHECK (("kind" = 'daily' AND "period_hour" IS NULL) OR ("kind" = 'hourly' AND "period_hour" BETWEEN 0 AND 23));
ALTER TABLE "runs" ADD CONSTRAINT "runs_attempt_check" CHECK ("attempt" >= 1);
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_outcome_check" CHECK ("outcome" IN ('ok', 'denied', 'error'));
