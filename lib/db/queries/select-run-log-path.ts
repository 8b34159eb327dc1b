import type pg from "pg";

// The log file a runner recorded for a run (runs.log_path), with the run's status: what every
// reader of a run's log — the tail, the search, the download — starts from. Primary-key read,
// with the launching runner's row for where else the log can be read (log_url).

/** host: where the runner that launched it runs (the log is on that host's disk); logUrl: that runner's log server, if it announced one */
export type RunLogRow = { path: string | null; status: string; finishedAt: Date | null; host: string | null; logUrl: string | null };

export async function selectRunLogPath(pool: pg.Pool, runId: number): Promise<RunLogRow | null> {
  const r = await pool.query<{ log_path: string | null; status: string; finished_at: Date | null; host: string | null; log_url: string | null }>(
    "SELECT r.log_path, r.status, r.finished_at, r.host, x.log_url FROM runs r LEFT JOIN runners x ON x.id = r.runner_id WHERE r.id = $1",
    [runId],
  );
  const row = r.rows[0];
  return row ? { path: row.log_path, status: row.status, finishedAt: row.finished_at, host: row.host, logUrl: row.log_url } : null;
}
