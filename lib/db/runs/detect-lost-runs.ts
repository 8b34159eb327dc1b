import type { Queryable } from "@/lib/db/runs/run-columns";
import { retryInsertSql } from "@/lib/db/runs/retry-sql";

// Lost-run detection, run by every live runner on its heartbeat: a running run whose runner has
// stopped, vanished or not heartbeated for `staleSeconds` is lost (or cancelled, if an operator
// had asked for that), and retried per the service's policy in the same statement. Bounded:
// a run is marked at most staleSeconds plus one heartbeat interval after its runner died, and
// after the asking runner has itself been in touch for staleSeconds (runner.ts: silence seen
// across an outage every runner shared is not a death). Served by runs_running_idx: only running
// rows are visited.

export const DETECT_LOST_SQL = `
WITH lost AS (
  UPDATE runs r
     SET status = CASE WHEN EXISTS (SELECT 1 FROM run_runtime rr WHERE rr.run_id = r.id AND rr.cancel_requested_at IS NOT NULL)
                       THEN 'cancelled'::run_status ELSE 'lost'::run_status END,
         finished_at = now(), last_update_at = now(),
         error = 'runner ' || coalesce(r.runner_id, '?') || ' on ' || coalesce(r.host, '?') || ' stopped heartbeating; the run was marked lost'
   WHERE r.status = 'running'
     AND r.trigger <> 'external' -- launched elsewhere: followed through the history (external-runs.ts)
     AND r.runner_id IS DISTINCT FROM $2
     AND NOT EXISTS (SELECT 1 FROM runners x
                      WHERE x.id = r.runner_id AND x.stopped_at IS NULL
                        AND ($1::double precision IS NULL OR x.heartbeat_at >= now() - make_interval(secs => $1::double precision)))
  RETURNING r.*
), retry AS (
  ${retryInsertSql("lost")}
)
SELECT l.id, l.status, l.runner_id, (SELECT rr.launcher FROM run_runtime rr WHERE rr.run_id = l.id) AS launcher,
       (SELECT array_agg(id) FROM retry) AS retries
  FROM lost l`;

/** launcher: "local", "kubernetes", or null when the run was never launched. */
export type LostRun = { id: number; status: "lost" | "cancelled"; runnerId: string | null; launcher: string | null };

/**
 * `staleSeconds` null: silence is not judged (the asker has not been in touch long enough to tell
 * a dead runner from an outage they shared); only runs of stopped or vanished runners are lost.
 * `self`: the runner asking, whose own runs are never lost to itself — a runner whose heartbeat
 * was delayed (a busy machine) must not declare its own live runs lost. null on its own shutdown.
 */
export async function detectLostRuns(db: Queryable, staleSeconds: number | null, self: string | null): Promise<{ lost: LostRun[]; retries: number[] }> {
  const result = await db.query(DETECT_LOST_SQL, [staleSeconds, self]);
  const retries = ((result.rows[0]?.retries as Array<string | number> | null) ?? []).map(Number);
  return { lost: result.rows.map((r) => ({ id: Number(r.id), status: r.status, runnerId: r.runner_id, launcher: r.launcher ?? null })), retries };
}
