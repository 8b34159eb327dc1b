-- The Luigi-compatible scheduler's durable state (lib/scheduler/store). Every acknowledged RPC's
-- changes are in these tables before the reply, and the scheduler rebuilds memory from them at start.
-- `data` is `json`, not `jsonb`: task parameters and messages are client strings, which may hold
-- characters jsonb refuses, and the scheduler only ever reads the documents back whole.

CREATE TABLE "scheduler_tasks" (
    "task_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "status" VARCHAR(20) NOT NULL,
    "family" TEXT NOT NULL,
    "priority" DOUBLE PRECISION NOT NULL,
    "worker_running" TEXT,
    "first_added" DOUBLE PRECISION NOT NULL,
    "last_updated" DOUBLE PRECISION NOT NULL,
    "history_id" INTEGER,
    "data" JSON NOT NULL,
    "written_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),

    CONSTRAINT "scheduler_tasks_pkey" PRIMARY KEY ("task_id")
);

-- Dashboards list tasks by status and family.
CREATE INDEX "scheduler_tasks_status_idx" ON "scheduler_tasks"("status");
CREATE INDEX "scheduler_tasks_family_idx" ON "scheduler_tasks"("family");

CREATE TABLE "scheduler_workers" (
    "worker_id" TEXT NOT NULL,
    "last_active" DOUBLE PRECISION NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "data" JSON NOT NULL,
    "written_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),

    CONSTRAINT "scheduler_workers_pkey" PRIMARY KEY ("worker_id")
);

-- Scheduler-wide facts: pause state, resource capacity changes, task batchers.
CREATE TABLE "scheduler_meta" (
    "key" TEXT NOT NULL,
    "value" JSON NOT NULL,
    "written_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),

    CONSTRAINT "scheduler_meta_pkey" PRIMARY KEY ("key")
);
