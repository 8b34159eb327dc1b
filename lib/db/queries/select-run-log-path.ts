import type pg from "pg";

// The log file a runner recorded for a run (runs.log_path), with the run's status: what every
// reader of a run's log — the tail, the search, the download — starts from. Primary-key read.

/** host: where the runner that launched it runs (the log is on that host's disk) */
export type RunLogRow = { path: string | null; status: string; finishedAt: Date | null; host: string | null };

export async function selectRunLogPath(pool: pg.Pool, runId: number): Promise<RunLogRow | null> {
  const r = await pool.query<{ log_path: string | null; status: string; finished_at: Date | null; host: string | null }>("SELECT log_path, status, finished_at, host FROM runs WHERE id = $1", [runId]);
  const row = r.rows[0];
  return row ? { path: row.log_path, status: row.status, finishedAt: row.finished_at, host: row.host } : null;
}
