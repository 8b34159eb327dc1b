import type { Queryable } from "@/lib/db/runs/run-columns";
import { allowedFrom } from "@/lib/runner/run-states";

// A run whose worker the scheduler did not let run — Luigi's "not run" (exit 25) with the root
// task still pending, e.g. a scheduler resource held by another run — goes back to the queue
// after a delay, as the same run: it did not fail, it did not get its turn. Bounded by maxNotRun;
// past it the caller records the run failed. Conditional on this runner still owning the run.

export const REQUEUE_SQL = `
WITH runtime AS (
  UPDATE run_runtime SET not_run_count = not_run_count + 1
   WHERE run_id = $1 AND not_run_count < $5 AND EXISTS (SELECT 1 FROM runs WHERE id = $1 AND runner_id = $2 AND status = 'running')
  RETURNING not_run_count
)
UPDATE runs r
   SET status = 'queued', runner_id = NULL, host = NULL, pid = NULL, started_at = NULL, last_update_at = now(),
       not_before = now() + make_interval(secs => $3 * (SELECT not_run_count FROM runtime)),
       error = 'not run ' || (SELECT not_run_count FROM runtime) || ' time(s): ' || $4
 WHERE r.id = $1 AND r.runner_id = $2 AND r.status = ANY($6::run_status[]) AND EXISTS (SELECT 1 FROM runtime)`;

/** True when requeued; false when the run is no longer this runner's or has been requeued maxNotRun times. */
export async function requeueNotRun(db: Queryable, r: { runId: number; runnerId: string; delaySeconds: number; reason: string; maxNotRun: number }): Promise<boolean> {
  const result = await db.query(REQUEUE_SQL, [r.runId, r.runnerId, r.delaySeconds, r.reason, r.maxNotRun, allowedFrom("queued")]);
  return (result.rowCount ?? 0) > 0;
}

export const REQUEUE_ON_SHUTDOWN_SQL = `
UPDATE runs
   SET status = 'queued', runner_id = NULL, host = NULL, pid = NULL, started_at = NULL, last_update_at = now(), not_before = now(),
       error = 'requeued: runner ' || $2 || ' was stopped while this run ran'
 WHERE id = $1 AND runner_id = $2 AND status = ANY($3::run_status[])`;

/**
 * A runner stopped cleanly (SIGTERM) puts its interrupted runs back in the queue, for itself after
 * a restart or for another runner now: a shutdown is not the run failing. (A runner that dies
 * instead has its runs marked lost by the others, and retried per policy.)
 */
export async function requeueOnShutdown(db: Queryable, runId: number, runnerId: string): Promise<boolean> {
  const result = await db.query(REQUEUE_ON_SHUTDOWN_SQL, [runId, runnerId, allowedFrom("queued")]);
  return (result.rowCount ?? 0) > 0;
}
