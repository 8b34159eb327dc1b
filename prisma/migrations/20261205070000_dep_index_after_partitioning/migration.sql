-- The task_disabled rule walks task_dependencies from a dependency up to the tasks that need it
-- (20261205020000 added that index). The partitioning migration, 20261205050000, rebuilt the
-- table without it: put it back on the partitioned table, so every month has it.
CREATE INDEX IF NOT EXISTS "task_dependencies_dep_task_id_idx" ON "task_dependencies"("dep_task_id");
