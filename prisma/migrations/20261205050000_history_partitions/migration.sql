-- History that does not grow for ever (issue 14): Luigi's history tables and the two tables beside
-- them become PostgreSQL tables partitioned by month, so `[task_history] retention_days` drops whole
-- months (lib/db/history/history-partitions.ts) instead of deleting rows one by one.
--
--   task_events, task_failures              RANGE (ts), the event's own time
--   tasks, task_parameters                  RANGE (history_month), the month of the task row's first event
--   task_dependencies                       RANGE (history_month), the month the edge was reported
--
-- history_month is a new column with a default (the current month), so a luigid that writes into
-- this database still works and Luigi's own columns are unchanged. A primary key of a partitioned
-- table must hold the partition key, so the keys become (id, ts), (id, history_month) and so on, and
-- the two foreign keys to tasks(id) go: tasks(id) alone is no longer a unique key. The indexes the
-- dashboard reads through (ix_tasks_task_id, ix_tasks_name, ix_task_events_task_id, ix_task_events_ts)
-- are kept under their names. Existing rows are copied into the partitions. Every month found in
-- the data gets a partition, plus the current month, the next two and a DEFAULT partition, so no
-- insert ever fails. The scheduler keeps creating months ahead (history-retention.ts).
--
-- The whole conversion is ONE statement (a DO block), so it is atomic: a failure leaves the old
-- tables as they were. It does nothing when task_events is already partitioned, so running it twice
-- is harmless. (The migration runner splits on every semicolon: inside the block they are written
-- as the escape \073 of an E'' string, and there are none in these comments.)

DO E'
DECLARE
  m date\073
  t text\073
  cur date := date_trunc(''month'', localtimestamp)::date\073
BEGIN
  IF (SELECT c.relkind FROM pg_class c WHERE c.oid = ''public.task_events''::regclass) = ''p'' THEN
    RETURN\073
  END IF\073

  ALTER TABLE task_events DROP CONSTRAINT IF EXISTS task_events_task_id_fkey\073
  ALTER TABLE task_parameters DROP CONSTRAINT IF EXISTS task_parameters_task_id_fkey\073
  ALTER SEQUENCE tasks_id_seq OWNED BY NONE\073
  ALTER SEQUENCE task_events_id_seq OWNED BY NONE\073
  ALTER SEQUENCE task_failures_id_seq OWNED BY NONE\073
  FOREACH t IN ARRAY ARRAY[''tasks'', ''task_events'', ''task_parameters'', ''task_dependencies'', ''task_failures''] LOOP
    EXECUTE format(''ALTER TABLE %I RENAME TO %I'', t, t || ''_unpartitioned'')\073
  END LOOP\073

  CREATE TABLE tasks (
    id INTEGER NOT NULL DEFAULT nextval(''tasks_id_seq''::regclass),
    task_id VARCHAR(200),
    name VARCHAR(128),
    host VARCHAR(128),
    history_month DATE NOT NULL DEFAULT date_trunc(''month'', localtimestamp)::date
  ) PARTITION BY RANGE (history_month)\073
  CREATE TABLE task_events (
    id INTEGER NOT NULL DEFAULT nextval(''task_events_id_seq''::regclass),
    task_id INTEGER,
    event_name VARCHAR(20),
    ts TIMESTAMP(6) NOT NULL
  ) PARTITION BY RANGE (ts)\073
  CREATE TABLE task_parameters (
    task_id INTEGER NOT NULL,
    name VARCHAR(128) NOT NULL,
    value TEXT,
    history_month DATE NOT NULL DEFAULT date_trunc(''month'', localtimestamp)::date
  ) PARTITION BY RANGE (history_month)\073
  CREATE TABLE task_dependencies (
    task_id TEXT NOT NULL,
    dep_task_id TEXT NOT NULL,
    first_seen_at TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    history_month DATE NOT NULL DEFAULT date_trunc(''month'', localtimestamp)::date
  ) PARTITION BY RANGE (history_month)\073
  CREATE TABLE task_failures (
    id BIGINT NOT NULL DEFAULT nextval(''task_failures_id_seq''::regclass),
    task_id TEXT NOT NULL,
    ts TIMESTAMP(6) NOT NULL,
    explanation TEXT
  ) PARTITION BY RANGE (ts)\073
  ALTER SEQUENCE tasks_id_seq OWNED BY tasks.id\073
  ALTER SEQUENCE task_events_id_seq OWNED BY task_events.id\073
  ALTER SEQUENCE task_failures_id_seq OWNED BY task_failures.id\073

  FOR m IN
    SELECT date_trunc(''month'', ts)::date FROM task_events_unpartitioned
    UNION SELECT date_trunc(''month'', ts)::date FROM task_failures_unpartitioned
    UNION SELECT date_trunc(''month'', first_seen_at::timestamp)::date FROM task_dependencies_unpartitioned
    UNION SELECT (cur + make_interval(months => k))::date FROM generate_series(0, 2) k
  LOOP
    FOREACH t IN ARRAY ARRAY[''tasks'', ''task_events'', ''task_parameters'', ''task_dependencies'', ''task_failures''] LOOP
      EXECUTE format(''CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)'',
                     t || ''_'' || to_char(m, ''YYYY_MM''), t, m, (m + interval ''1 month'')::date)\073
    END LOOP\073
  END LOOP\073
  FOREACH t IN ARRAY ARRAY[''tasks'', ''task_events'', ''task_parameters'', ''task_dependencies'', ''task_failures''] LOOP
    EXECUTE format(''CREATE TABLE %I PARTITION OF %I DEFAULT'', t || ''_default'', t)\073
  END LOOP\073

  INSERT INTO tasks (id, task_id, name, host, history_month)
  SELECT o.id, o.task_id, o.name, o.host, coalesce(f.month, cur)
    FROM tasks_unpartitioned o
    LEFT JOIN (SELECT task_id, date_trunc(''month'', min(ts))::date AS month FROM task_events_unpartitioned GROUP BY task_id) f ON f.task_id = o.id\073
  INSERT INTO task_parameters (task_id, name, value, history_month)
  SELECT p.task_id, p.name, p.value, coalesce(t.history_month, cur)
    FROM task_parameters_unpartitioned p LEFT JOIN tasks t ON t.id = p.task_id\073
  INSERT INTO task_events (id, task_id, event_name, ts) SELECT id, task_id, event_name, ts FROM task_events_unpartitioned ORDER BY id\073
  INSERT INTO task_dependencies (task_id, dep_task_id, first_seen_at, history_month)
  SELECT task_id, dep_task_id, first_seen_at, date_trunc(''month'', first_seen_at::timestamp)::date FROM task_dependencies_unpartitioned\073
  INSERT INTO task_failures (id, task_id, ts, explanation) SELECT id, task_id, ts, explanation FROM task_failures_unpartitioned\073
  DROP TABLE tasks_unpartitioned, task_events_unpartitioned, task_parameters_unpartitioned,
             task_dependencies_unpartitioned, task_failures_unpartitioned\073

  ALTER TABLE tasks ADD CONSTRAINT tasks_pkey PRIMARY KEY (id, history_month)\073
  CREATE INDEX ix_tasks_name ON tasks (name)\073
  CREATE INDEX ix_tasks_task_id ON tasks (task_id)\073
  ALTER TABLE task_events ADD CONSTRAINT task_events_pkey PRIMARY KEY (id, ts)\073
  CREATE INDEX ix_task_events_task_id ON task_events (task_id)\073
  CREATE INDEX ix_task_events_ts ON task_events (ts)\073
  ALTER TABLE task_parameters ADD CONSTRAINT task_parameters_pkey PRIMARY KEY (task_id, name, history_month)\073
  ALTER TABLE task_dependencies ADD CONSTRAINT task_dependencies_pkey PRIMARY KEY (task_id, dep_task_id, history_month)\073
  ALTER TABLE task_failures ADD CONSTRAINT task_failures_pkey PRIMARY KEY (id, ts)\073
  CREATE UNIQUE INDEX task_failures_task_id_ts_key ON task_failures (task_id, ts)\073
  ANALYZE tasks, task_events, task_parameters, task_dependencies, task_failures\073
END
';

-- Partition maintenance, run by the scheduler (lib/db/history/history-partitions.ts and
-- prune-history.ts), which connects as the app role: that role may not change the schema, so the
-- two changes it needs are functions that run as their owner (SECURITY DEFINER) and accept only a
-- history table of this list and the first day of a month. One table per call, each its own
-- transaction: a month of five tables in one transaction would take five parent locks, and a
-- reader holding one of them while waiting for another would deadlock with it. The lock timeouts
-- keep the scheduler's commits and the dashboard's reads from queueing behind a long query: the
-- next pass retries.

-- Creates <table>_YYYY_MM unless it exists. Rows of that month already in the DEFAULT partition
-- are moved into it first (PostgreSQL refuses to attach a range the DEFAULT partition holds rows of).
CREATE OR REPLACE FUNCTION switchyard_history_add_partition(tbl text, month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET lock_timeout = '5s' AS E'
DECLARE
  key text := CASE WHEN tbl IN (''tasks'', ''task_parameters'', ''task_dependencies'') THEN ''history_month''
                   WHEN tbl IN (''task_events'', ''task_failures'') THEN ''ts'' END\073
  part text := tbl || ''_'' || to_char(month, ''YYYY_MM'')\073
  next date := (month + interval ''1 month'')::date\073
BEGIN
  IF key IS NULL THEN RAISE EXCEPTION ''not a history table: %'', tbl\073 END IF\073
  IF month IS NULL OR month <> date_trunc(''month'', month)::date THEN RAISE EXCEPTION ''not the first day of a month: %'', month\073 END IF\073
  IF to_regclass(part) IS NOT NULL THEN RETURN false\073 END IF\073
  EXECUTE format(''CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)'', part, tbl)\073
  EXECUTE format(''WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved'',
                 tbl || ''_default'', key, month, key, next, part)\073
  EXECUTE format(''ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)'', tbl, part, month, next)\073
  RETURN true\073
END
';

-- Detaches and drops <table>_YYYY_MM: a catalogue change, whatever the number of rows.
CREATE OR REPLACE FUNCTION switchyard_history_drop_partition(tbl text, month date) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public SET lock_timeout = '2s' AS E'
DECLARE
  part text := tbl || ''_'' || to_char(month, ''YYYY_MM'')\073
BEGIN
  IF tbl NOT IN (''tasks'', ''task_parameters'', ''task_dependencies'', ''task_events'', ''task_failures'') THEN
    RAISE EXCEPTION ''not a history table: %'', tbl\073
  END IF\073
  IF month IS NULL OR month <> date_trunc(''month'', month)::date THEN RAISE EXCEPTION ''not the first day of a month: %'', month\073 END IF\073
  IF NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(part) AND inhparent = to_regclass(tbl)) THEN RETURN false\073 END IF\073
  EXECUTE format(''ALTER TABLE %I DETACH PARTITION %I'', tbl, part)\073
  EXECUTE format(''DROP TABLE %I'', part)\073
  RETURN true\073
END
';

REVOKE ALL ON FUNCTION switchyard_history_add_partition(text, date) FROM PUBLIC;
REVOKE ALL ON FUNCTION switchyard_history_drop_partition(text, date) FROM PUBLIC;

-- The app role's privileges (20261204020000_app_role) plus running the two functions above.
CREATE OR REPLACE FUNCTION switchyard_grant_app_role(app_role name) RETURNS void
LANGUAGE plpgsql AS E'
BEGIN
  EXECUTE format(''GRANT USAGE ON SCHEMA public TO %I'', app_role)\073
  EXECUTE format(''REVOKE CREATE ON SCHEMA public FROM %I'', app_role)\073
  EXECUTE format(''GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I'', app_role)\073
  EXECUTE format(''GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I'', app_role)\073
  EXECUTE format(''ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I'', app_role)\073
  EXECUTE format(''ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I'', app_role)\073
  EXECUTE format(''REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM %I'', app_role)\073
  EXECUTE format(''GRANT EXECUTE ON FUNCTION switchyard_history_add_partition(text, date) TO %I'', app_role)\073
  EXECUTE format(''GRANT EXECUTE ON FUNCTION switchyard_history_drop_partition(text, date) TO %I'', app_role)\073
  IF to_regclass(''public._prisma_migrations'') IS NOT NULL THEN
    EXECUTE format(''REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _prisma_migrations FROM %I'', app_role)\073
  END IF\073
END
';

DO E'
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''switchyard_app'') THEN
    PERFORM switchyard_grant_app_role(''switchyard_app'')\073
  END IF\073
END
';
