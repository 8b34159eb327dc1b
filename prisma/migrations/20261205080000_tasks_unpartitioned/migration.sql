-- Luigi's tasks table is a plain table again, with its primary key on id alone (issue 14: luigid's
-- own history readers must keep working). Partitioned by month, its key had to hold the partition
-- key, (id, history_month), and PostgreSQL then refused luigid's find_latest_runs, the query behind
-- its /history page: it selects tasks.task_id, name and host grouped by tasks.id, which PostgreSQL
-- accepts only when tasks.id is the primary key. The big history tables (task_events,
-- task_parameters, task_dependencies, task_failures) stay partitioned by month. A task row keeps
-- history_month (the month of its first event, the month of its parameters), and retention deletes
-- the rows of a dropped month in batches through ix_tasks_history_month
-- (lib/db/history/prune-history.ts): a cost that follows the rows dropped, never the rows kept.
--
-- One atomic statement that does nothing when tasks is already a plain table. (The migration
-- runner splits on every semicolon: inside the block they are the escape \073 of an E'' string.)

DO E'
BEGIN
  IF (SELECT c.relkind FROM pg_class c WHERE c.oid = ''public.tasks''::regclass) <> ''p'' THEN
    RETURN\073
  END IF\073
  ALTER SEQUENCE tasks_id_seq OWNED BY NONE\073
  CREATE TABLE tasks_plain (
    id INTEGER NOT NULL DEFAULT nextval(''tasks_id_seq''::regclass),
    task_id VARCHAR(200),
    name VARCHAR(128),
    host VARCHAR(128),
    history_month DATE NOT NULL DEFAULT date_trunc(''month'', localtimestamp)::date
  )\073
  INSERT INTO tasks_plain (id, task_id, name, host, history_month) SELECT id, task_id, name, host, history_month FROM tasks ORDER BY id\073
  DROP TABLE tasks\073
  ALTER TABLE tasks_plain RENAME TO tasks\073
  ALTER SEQUENCE tasks_id_seq OWNED BY tasks.id\073
  ALTER TABLE tasks ADD CONSTRAINT tasks_pkey PRIMARY KEY (id)\073
  CREATE INDEX ix_tasks_name ON tasks (name)\073
  CREATE INDEX ix_tasks_task_id ON tasks (task_id)\073
  CREATE INDEX ix_tasks_history_month ON tasks (history_month)\073
  CREATE INDEX ix_tasks_name_id ON tasks (name, id)\073
  ANALYZE tasks\073
END
';

-- The partition functions no longer accept tasks, which has no partitions now.
CREATE OR REPLACE FUNCTION switchyard_history_add_partition(tbl text, month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET lock_timeout = '5s' AS E'
DECLARE
  key text := CASE WHEN tbl IN (''task_parameters'', ''task_dependencies'') THEN ''history_month''
                   WHEN tbl IN (''task_events'', ''task_failures'') THEN ''ts'' END\073
  part text := tbl || ''_'' || to_char(month, ''YYYY_MM'')\073
  next date := (month + interval ''1 month'')::date\073
BEGIN
  IF key IS NULL THEN RAISE EXCEPTION ''not a partitioned history table: %'', tbl\073 END IF\073
  IF month IS NULL OR month <> date_trunc(''month'', month)::date THEN RAISE EXCEPTION ''not the first day of a month: %'', month\073 END IF\073
  IF to_regclass(part) IS NOT NULL THEN RETURN false\073 END IF\073
  EXECUTE format(''CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)'', part, tbl)\073
  EXECUTE format(''WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved'',
                 tbl || ''_default'', key, month, key, next, part)\073
  EXECUTE format(''ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)'', tbl, part, month, next)\073
  RETURN true\073
END
';

CREATE OR REPLACE FUNCTION switchyard_history_drop_partition(tbl text, month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET lock_timeout = '2s' AS E'
DECLARE
  part text := tbl || ''_'' || to_char(month, ''YYYY_MM'')\073
BEGIN
  IF tbl NOT IN (''task_parameters'', ''task_dependencies'', ''task_events'', ''task_failures'') THEN
    RAISE EXCEPTION ''not a partitioned history table: %'', tbl\073
  END IF\073
  IF month IS NULL OR month <> date_trunc(''month'', month)::date THEN RAISE EXCEPTION ''not the first day of a month: %'', month\073 END IF\073
  IF NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(part) AND inhparent = to_regclass(tbl)) THEN RETURN false\073 END IF\073
  EXECUTE format(''ALTER TABLE %I DETACH PARTITION %I'', tbl, part)\073
  EXECUTE format(''DROP TABLE %I'', part)\073
  RETURN true\073
END
';

-- The new table's privileges for the app role (the default privileges cover it, this makes sure).
DO E'
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''switchyard_app'') THEN
    PERFORM switchyard_grant_app_role(''switchyard_app'')\073
  END IF\073
END
';
