-- The state of the runner. New tables rather than new columns on services/runs/hosts: base.prisma
-- belongs to the base schema, and Prisma cannot add fields to a model from another schema file,
-- so each model here (prisma/schema/runner.prisma) matches one table below exactly.

-- Per-service settings the services table has no column for (limits, how a command says
-- "force" and "from this task", the root task when it cannot be read off the command).
CREATE TABLE "service_run_options" (
    "service_id" INTEGER NOT NULL,
    "max_running" INTEGER,
    "force_argument" TEXT,
    "from_task_argument" TEXT,
    "daily_root_task" JSONB,
    "hourly_root_task" JSONB,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_run_options_pkey" PRIMARY KEY ("service_id")
);

-- A concurrency group caps how many runs of its services run at once, across all runners.
CREATE TABLE "concurrency_groups" (
    "name" TEXT NOT NULL,
    "max_running" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "concurrency_groups_pkey" PRIMARY KEY ("name")
);

-- One row: the whole runner fleet pause switch and global limit.
CREATE TABLE "runner_control" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "max_running" INTEGER,
    "changed_by" TEXT,
    "reason" TEXT,
    "changed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "runner_control_pkey" PRIMARY KEY ("id")
);

-- What the runner knows about a run beyond the runs row: how and when it was launched, whether
-- an operator asked to cancel it while it was running, and how often the scheduler did not let
-- its worker run (Luigi's "not run", exit 25: a resource held by another run), which requeues it.
CREATE TABLE "run_runtime" (
    "run_id" BIGINT NOT NULL,
    "launcher" TEXT,
    "external_id" TEXT,
    "launched_at" TIMESTAMPTZ(6),
    "cancel_requested_at" TIMESTAMPTZ(6),
    "cancel_requested_by" TEXT,
    "not_run_count" SMALLINT NOT NULL DEFAULT 0,

    CONSTRAINT "run_runtime_pkey" PRIMARY KEY ("run_id")
);

ALTER TABLE "service_run_options" ADD CONSTRAINT "service_run_options_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "run_runtime" ADD CONSTRAINT "run_runtime_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------
-- Hand-written: what the Prisma schema language cannot say.

ALTER TABLE "service_run_options" ADD CONSTRAINT "service_run_options_max_running_check" CHECK ("max_running" IS NULL OR "max_running" >= 1);
ALTER TABLE "concurrency_groups" ADD CONSTRAINT "concurrency_groups_max_running_check" CHECK ("max_running" >= 1);
ALTER TABLE "concurrency_groups" ADD CONSTRAINT "concurrency_groups_name_check" CHECK ("name" ~ '^[a-z0-9][a-z0-9_-]{0,62}$');
ALTER TABLE "runner_control" ADD CONSTRAINT "runner_control_single_row" CHECK ("id" = 1);
ALTER TABLE "runner_control" ADD CONSTRAINT "runner_control_max_running_check" CHECK ("max_running" IS NULL OR "max_running" >= 1);
INSERT INTO "runner_control" ("id") VALUES (1);

-- Runners LISTEN on this channel, so a queued run is claimed within milliseconds rather than at
-- the next poll (bench/runner/README.md: queue-to-launch p99). Statement-level with a transition
-- table: one notification per inserting statement, none when ON CONFLICT inserted nothing.
-- Prisma (adapter-pg) splits a migration script at every semicolon, inside quotes and comments
-- too, so the body below spells its semicolons as \073 in an E-string, and no comment in this
-- file may contain one.
CREATE FUNCTION "switchyard_notify_runs_queued"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF EXISTS (SELECT 1 FROM inserted WHERE status = \'queued\') THEN
    PERFORM pg_notify(\'switchyard_runs_queued\', \'\')\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "runs_notify_queued" AFTER INSERT ON "runs"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_runs_queued"();

-- Lost-run detection reads runners by heartbeat (runners_heartbeat_at_idx, base migration), the
-- claim reads running runs through runs_running_idx and queued ones through runs_queue_idx.
