-- Every checkpoint writes the scheduler_tasks row of each task that changed, and a change of status
-- is not a HOT update: each index of the table gets an entry per row written. The family index
-- was read by nothing, and the status index only for the DISABLED tasks (the task_disabled alert,
-- lib/db/alerts/scheduler-rules-sql.ts): a partial index holds just those, so a checkpointed task
-- costs one B-tree insert (the primary key) instead of three.
DROP INDEX "scheduler_tasks_family_idx";
DROP INDEX "scheduler_tasks_status_idx";
CREATE INDEX "scheduler_tasks_disabled_idx" ON "scheduler_tasks" ("task_id") WHERE "status" = 'DISABLED';
