import type pg from "pg";

// The live pages' change detector, polled every few seconds while nothing is running: a new run
// changes the highest id, a run starting or ending changes the running or queued count. Three
// index-only lookups (runs_pkey, runs_running_idx, runs_queue_idx), well under a millisecond.

export type Pulse = { lastRunId: number; running: number; queued: number; token: string };

const SQL = `
SELECT coalesce((SELECT max(id) FROM runs), 0) AS last_id,
       (SELECT count(*) FROM runs WHERE status = 'running')::int AS running,
       (SELECT count(*) FROM runs WHERE status = 'queued')::int AS queued`;

export async function selectPulse(pool: pg.Pool): Promise<Pulse> {
  const r = await pool.query<{ last_id: string | number; running: number; queued: number }>(SQL);
  const row = r.rows[0];
  const lastRunId = Number(row.last_id);
  return { lastRunId, running: row.running, queued: row.queued, token: `${lastRunId}.${row.running}.${row.queued}` };
}
