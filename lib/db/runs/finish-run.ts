import type { Queryable } from "@/lib/db/runs/run-columns";
import { retryInsertSql } from "@/lib/db/runs/retry-sql";
import { allowedFrom } from "@/lib/runner/run-states";

// A runner records how its run ended: done, failed or cancelled (running → …), and, if the
// retry policy allows, the next attempt is queued in the same statement — so a crash between
// the two can never lose a retry. Only the runner that owns the run can end it; the row count
// says whether it still could (lost-run detection may have ended it first).

export type FinishRun = {
  runId: number;
  runnerId: string;
  status: "done" | "failed" | "cancelled";
  exitCode: number | null;
  error: string | null;
  rootTaskId: string | null;
  cpuSeconds: number | null;
  peakMemoryBytes: number | null;
};

export const FINISH_SQL = `
WITH finished AS (
  UPDATE runs
     SET status = $3::run_status, finished_at = now(), last_update_at = now(), exit_code = $5, error = $6,
         root_task_id = coalesce($7, root_task_id), cpu_seconds = coalesce($8, cpu_seconds),
         peak_memory_bytes = coalesce($9, peak_memory_bytes)
   WHERE id = $1 AND runner_id = $2 AND status = ANY($4::run_status[])
  RETURNING *
), retry AS (
  ${retryInsertSql("finished")}
)
SELECT (SELECT count(*) FROM finished)::int AS finished, (SELECT id FROM retry LIMIT 1) AS retry_id`;

export async function finishRun(db: Queryable, f: FinishRun): Promise<{ finished: boolean; retryRunId: number | null }> {
  const result = await db.query(FINISH_SQL, [
    f.runId,
    f.runnerId,
    f.status,
    allowedFrom(f.status),
    f.exitCode,
    f.error,
    f.rootTaskId,
    f.cpuSeconds,
    f.peakMemoryBytes,
  ]);
  const row = result.rows[0];
  return { finished: row.finished === 1, retryRunId: row.retry_id === null ? null : Number(row.retry_id) };
}
