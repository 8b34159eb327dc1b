-- Facts that Luigi history does not keep (issue 13): which task requires which, and the failure
-- explanation a worker reported. Written by the scheduler (lib/scheduler/store/write-run-facts.ts)
-- next to its history rows, and used by the run page to find the tasks of a run as the dependency
-- closure of its root task instead of guessing from parameters. Keyed by the scheduler task id
-- (not the history row), so a closure can be walked from runs.root_task_id alone.
-- (No semicolons in these comments: the migration runner splits statements on them.)

CREATE TABLE "task_dependencies" (
    "task_id" TEXT NOT NULL,
    "dep_task_id" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),

    CONSTRAINT "task_dependencies_pkey" PRIMARY KEY ("task_id", "dep_task_id")
);

-- ts is written like task_events.ts (local time of the scheduler host, no zone), so the window
-- of a run selects both the same way. The explanation is the expl of the worker as sent (JSON-encoded).
CREATE TABLE "task_failures" (
    "id" BIGSERIAL NOT NULL,
    "task_id" TEXT NOT NULL,
    "ts" TIMESTAMP(6) NOT NULL,
    "explanation" TEXT,

    CONSTRAINT "task_failures_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "task_failures_task_id_ts_key" ON "task_failures"("task_id", "ts");
