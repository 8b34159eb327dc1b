import type pg from "pg";
import { liveRunnerSql } from "@/lib/db/hosts/runners";

// Queue depth and the oldest queued run, from the partial index runs_queue_idx (status = 'queued'):
// it holds only queued runs, so this stays cheap however long the history is. With it, the
// fleet's pause switch (runner_control, one row), and how many live runners there are and how many
// of them an operator paused one by one (drained): all of them paused also means queued runs wait.

export type RunnerPause = { paused: boolean; changedBy: string | null; reason: string | null; changedAt: string | null };
export type QueueSummary = { depth: number; ready: number; oldestRunId: number | null; oldestQueuedAt: string | null; runner: RunnerPause; runners: { live: number; paused: number } };

const SQL = `
SELECT count(*)::int AS depth,
       count(*) FILTER (WHERE not_before <= $1)::int AS ready,
       (array_agg(id ORDER BY queued_at, id))[1] AS oldest_id,
       min(queued_at) AS oldest_at,
       (SELECT json_build_object('paused', c.paused, 'changedBy', c.changed_by, 'reason', c.reason, 'changedAt', c.changed_at) FROM runner_control c WHERE c.id = 1) AS runner,
       (SELECT json_build_object('live', count(*), 'paused', count(*) FILTER (WHERE x.paused)) FROM runners x WHERE ${liveRunnerSql("now()")}) AS runners
  FROM runs WHERE status = 'queued'`;

export async function selectQueueSummary(pool: pg.Pool, now: number): Promise<QueueSummary> {
  const r = await pool.query<{ depth: number; ready: number; oldest_id: string | null; oldest_at: Date | null; runner: RunnerPause | null; runners: QueueSummary["runners"] }>(SQL, [new Date(now)]);
  const row = r.rows[0];
  return {
    depth: row.depth,
    ready: row.ready,
    oldestRunId: row.oldest_id === null ? null : Number(row.oldest_id),
    oldestQueuedAt: row.oldest_at?.toISOString() ?? null,
    runner: row.runner ?? { paused: false, changedBy: null, reason: null, changedAt: null },
    runners: row.runners,
  };
}
