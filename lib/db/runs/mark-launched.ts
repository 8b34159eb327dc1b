import type { Queryable } from "@/lib/db/runs/run-columns";

// After the launcher started a run: where its log is, what exactly runs, its process group or
// Job, and when it started — one statement for the runs row and its run_runtime row.

export type Launched = {
  runId: number;
  runnerId: string;
  command: string;
  logPath: string;
  pid: number | null;
  launcher: string;
  externalId: string | null;
  rootTaskId: string | null;
};

export const MARK_LAUNCHED_SQL = `
WITH run AS (
  UPDATE runs SET command = $3, log_path = $4, pid = $5, root_task_id = coalesce($8, root_task_id), last_update_at = now()
   WHERE id = $1 AND runner_id = $2 AND status = 'running'
  RETURNING id
)
INSERT INTO run_runtime (run_id, launcher, external_id, launched_at)
SELECT id, $6, $7, clock_timestamp() FROM run
    ON CONFLICT (run_id) DO UPDATE SET launcher = excluded.launcher, external_id = excluded.external_id, launched_at = excluded.launched_at
RETURNING run_id`;

/** False when the run is no longer this runner's to run (cancelled while it was being launched). */
export async function markLaunched(db: Queryable, l: Launched): Promise<boolean> {
  const result = await db.query(MARK_LAUNCHED_SQL, [l.runId, l.runnerId, l.command, l.logPath, l.pid, l.launcher, l.externalId, l.rootTaskId]);
  return (result.rowCount ?? 0) > 0;
}
