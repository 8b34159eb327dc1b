-- Daily rollups of daily runs (issue 13, fleet trends): one row per service and period date with
-- the attempts by final status and the duration of the period's latest done run. The 90-day
-- trend reads (the services table's failure sparklines, the median duration per concurrency
-- group) read these rows instead of aggregating every run of 90 days each time
-- (docs/QUERY-PLANS.md, "Fleet trends").
--
-- Kept by triggers on runs, so every writer (runner, re-runs, cancel, lost-run detection, the
-- demo fleet, tests) keeps it right without knowing it exists: a change to a daily run's status
-- or times recomputes its own (service, date) row from that period's few runs through
-- runs_service_period_idx. The rows are a pure function of runs, so a recompute is always safe.
-- Prisma's driver-adapter runner splits this file at every semicolon, so the trigger body spells
-- its semicolons as \073 and no comment here may contain one.
CREATE TABLE "run_day_rollups" (
    "period_date" DATE NOT NULL,
    "service_id" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "lost" INTEGER NOT NULL DEFAULT 0,
    "cancelled" INTEGER NOT NULL DEFAULT 0,
    "done_seconds" DOUBLE PRECISION,
    CONSTRAINT "run_day_rollups_pkey" PRIMARY KEY ("period_date", "service_id"),
    CONSTRAINT "run_day_rollups_service_id_fkey" FOREIGN KEY ("service_id") REFERENCES "services"("id") ON DELETE CASCADE
);

-- One (service, date) row recomputed from runs: a single statement, no semicolon inside. The
-- aggregate always yields a row (zeros once a period's last finished run is gone), except for a
-- service being deleted, whose runs go with it (ON DELETE CASCADE) and whose rollups follow.
CREATE FUNCTION "switchyard_roll_up_run_day"(sid INTEGER, day DATE) RETURNS void LANGUAGE sql AS $$
WITH agg AS (
  SELECT count(*) FILTER (WHERE status = 'done')::int AS done,
         count(*) FILTER (WHERE status = 'failed')::int AS failed,
         count(*) FILTER (WHERE status = 'lost')::int AS lost,
         count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
         (array_agg(extract(epoch FROM finished_at - started_at)::float8 ORDER BY id DESC)
            FILTER (WHERE status = 'done' AND started_at IS NOT NULL AND finished_at IS NOT NULL))[1] AS done_seconds
    FROM runs
   WHERE service_id = sid AND kind = 'daily' AND period_date = day
)
INSERT INTO run_day_rollups (period_date, service_id, done, failed, lost, cancelled, done_seconds)
SELECT day, sid, done, failed, lost, cancelled, done_seconds FROM agg
 WHERE EXISTS (SELECT 1 FROM services WHERE id = sid)
ON CONFLICT (period_date, service_id) DO UPDATE
   SET done = EXCLUDED.done, failed = EXCLUDED.failed, lost = EXCLUDED.lost,
       cancelled = EXCLUDED.cancelled, done_seconds = EXCLUDED.done_seconds
$$;

CREATE FUNCTION "switchyard_runs_roll_up"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP = \'DELETE\' THEN
    PERFORM switchyard_roll_up_run_day(OLD.service_id, OLD.period_date)\073
  ELSE
    PERFORM switchyard_roll_up_run_day(NEW.service_id, NEW.period_date)\073
  END IF\073
  RETURN NULL\073
END';

-- Only daily runs, and only changes that move a count or the duration: the runner's heartbeats
-- (last_update_at) and log paths do not fire it.
CREATE TRIGGER "runs_roll_up_insert" AFTER INSERT ON "runs"
  FOR EACH ROW WHEN (NEW.kind = 'daily' AND NEW.status IN ('done', 'failed', 'lost', 'cancelled'))
  EXECUTE FUNCTION "switchyard_runs_roll_up"();
CREATE TRIGGER "runs_roll_up_update" AFTER UPDATE OF "status", "started_at", "finished_at" ON "runs"
  FOR EACH ROW WHEN (NEW.kind = 'daily' AND (OLD.status IS DISTINCT FROM NEW.status OR OLD.started_at IS DISTINCT FROM NEW.started_at OR OLD.finished_at IS DISTINCT FROM NEW.finished_at)
                     AND (NEW.status IN ('done', 'failed', 'lost', 'cancelled') OR OLD.status IN ('done', 'failed', 'lost', 'cancelled')))
  EXECUTE FUNCTION "switchyard_runs_roll_up"();
CREATE TRIGGER "runs_roll_up_delete" AFTER DELETE ON "runs"
  FOR EACH ROW WHEN (OLD.kind = 'daily' AND OLD.status IN ('done', 'failed', 'lost', 'cancelled'))
  EXECUTE FUNCTION "switchyard_runs_roll_up"();

-- Backfill: every period that has a finished daily run, in one pass over runs.
INSERT INTO "run_day_rollups" (period_date, service_id, done, failed, lost, cancelled, done_seconds)
SELECT period_date, service_id,
       count(*) FILTER (WHERE status = 'done'),
       count(*) FILTER (WHERE status = 'failed'),
       count(*) FILTER (WHERE status = 'lost'),
       count(*) FILTER (WHERE status = 'cancelled'),
       (array_agg(extract(epoch FROM finished_at - started_at)::float8 ORDER BY id DESC)
          FILTER (WHERE status = 'done' AND started_at IS NOT NULL AND finished_at IS NOT NULL))[1]
  FROM runs
 WHERE kind = 'daily' AND status IN ('done', 'failed', 'lost', 'cancelled')
 GROUP BY period_date, service_id;
