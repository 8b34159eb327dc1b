-- One active run per period, enforced by PostgreSQL (issue 10, point 4). A run is active while
-- it is queued or running (lib/runner/run-states.ts activeStatuses: every other status is final).
-- Every enqueue (manual, force, from a task, backfill, trigger, retry) inserts with
-- ON CONFLICT DO NOTHING and reads back the run that holds the period, so two operators clicking
-- at once, or a backfill racing the trigger, cannot both queue one.
-- Hand-written: Prisma's schema language cannot say a partial index.
-- (Prisma splits this file at every semicolon, comments included: none in comments here.)

-- First resolve the duplicates an existing database may hold, deterministically: per period the
-- run kept is a running one before a queued one, then the oldest (lowest id). Each other active
-- run of the period is cancelled, and the cancellation is written to the audit log, so nothing
-- changes unrecorded.
WITH ranked AS (
  SELECT id, service_id, kind, period_start,
         first_value(id) OVER w AS kept,
         row_number() OVER w AS n
    FROM runs
   WHERE status IN ('queued', 'running')
  WINDOW w AS (PARTITION BY service_id, kind, period_start ORDER BY (status = 'running') DESC, id)
), cancelled AS (
  UPDATE runs r
     SET status = 'cancelled', finished_at = now(), last_update_at = now(),
         error = 'cancelled by migration 20261204010000: run ' || d.kept || ' of this period was already active'
    FROM ranked d
   WHERE r.id = d.id AND d.n > 1
  RETURNING r.id, d.kept
)
INSERT INTO audit_log (actor, action, target_type, target_id, reason, outcome, result)
SELECT 'system:migration', 'run.cancel', 'run', c.id::text, 'a second active run of the same period', 'ok',
       jsonb_build_object('cancel', 'cancelled', 'keptRunId', c.kept)
  FROM cancelled c;

CREATE UNIQUE INDEX "runs_one_active_per_period" ON "runs" ("service_id", "kind", "period_start") WHERE "status" IN ('queued', 'running');

-- An action whose effect is outside the database (a scheduler RPC) is written first as a
-- "pending" intent, and its outcome as a second row that names the intent (result.intentId):
-- the audit log is only ever appended to.
ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_outcome_check";
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_outcome_check" CHECK ("outcome" IN ('ok', 'denied', 'error', 'pending'));
