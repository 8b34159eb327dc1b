-- Facts for two more alert rules (issue 11). The migration runner splits this script at every
-- semicolon, so no comment here may contain one.

-- scheduler_unreachable: each runner probes the scheduler and records its last successful contact
-- and its last error here, one row per runner (the tick reads live runners only).
CREATE TABLE "runner_scheduler_contact" (
    "runner_id" TEXT NOT NULL,
    "ok_at" TIMESTAMPTZ(6),
    "error_at" TIMESTAMPTZ(6),
    "error" TEXT,

    CONSTRAINT "runner_scheduler_contact_pkey" PRIMARY KEY ("runner_id")
);
ALTER TABLE "runner_scheduler_contact" ADD CONSTRAINT "runner_scheduler_contact_runner_id_fkey" FOREIGN KEY ("runner_id") REFERENCES "runners"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- task_disabled walks from the DISABLED scheduler tasks (scheduler_tasks_status_idx) up to the root
-- tasks that require them, then to their runs: both steps need an index, so the cost is the
-- disabled tasks and their dependents, not the history.
CREATE INDEX "task_dependencies_dep_task_id_idx" ON "task_dependencies"("dep_task_id");
CREATE INDEX "runs_root_task_id_idx" ON "runs"("root_task_id") WHERE "root_task_id" IS NOT NULL;
