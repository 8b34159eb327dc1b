import type pg from "pg";

// Fleet trends over a window (a day or a week): runs finished per bucket by final status, and the
// run queue's depth over time. Both range-scan runs by time (runs_finished_at_idx,
// runs_queued_at_idx), so their cost follows the runs in the window, not the history kept.

export type StatusBucket = { at: string; done: number; failed: number; cancelled: number; lost: number };
export type DepthPoint = { at: string; depth: number; running: number };

const FINISHED_SQL = `
SELECT date_bin($2::interval, finished_at, timestamptz '2000-01-01') AS bucket, status::text AS status, count(*)::int AS n
  FROM runs
 WHERE finished_at > $3::timestamptz - $1::interval AND finished_at <= $3::timestamptz
 GROUP BY 1, 2
 ORDER BY 1`;

export async function selectFinishedRuns(pool: pg.Pool, window: string, bucket: string, now: Date): Promise<StatusBucket[]> {
  const r = await pool.query<{ bucket: Date; status: string; n: number }>(FINISHED_SQL, [window, bucket, now]);
  const byAt = new Map<string, StatusBucket>();
  for (const row of r.rows) {
    const at = row.bucket.toISOString();
    const b = byAt.get(at) ?? { at, done: 0, failed: 0, cancelled: 0, lost: 0 };
    if (row.status in b && row.status !== "at") (b as unknown as Record<string, number>)[row.status] += row.n;
    byAt.set(at, b);
  }
  return [...byAt.values()];
}

// The queue as a sweep over its events: +1 when a run is queued, -1 when it starts (or ends
// without starting); likewise running between start and end. Runs queued up to a week before the
// window are included so the window opens at the right depth (a run queued longer than that and
// still waiting is a stuck queue, which the home page shows on its own). A run that ended before
// the window adds as much as it removes before the window opens, so it is left out: the sweep
// sorts the events of the runs alive in the window, not of the week before it (half the rows for
// the week's chart, an eighth for the day's — docs/QUERY-PLANS.md).
const DEPTH_SQL = `
WITH w AS (SELECT $3::timestamptz - $1::interval AS from_at, $3::timestamptz AS to_at),
r AS (
  SELECT queued_at, started_at, finished_at FROM runs, w
   WHERE queued_at > w.from_at - interval '7 days' AND queued_at <= w.to_at
     AND (finished_at IS NULL OR finished_at > w.from_at)
),
ev AS (
  SELECT queued_at AS at, 1 AS dq, 0 AS dr FROM r
  UNION ALL SELECT coalesce(started_at, finished_at), -1, 0 FROM r WHERE coalesce(started_at, finished_at) IS NOT NULL
  UNION ALL SELECT started_at, 0, 1 FROM r WHERE started_at IS NOT NULL
  UNION ALL SELECT finished_at, 0, -1 FROM r WHERE started_at IS NOT NULL AND finished_at IS NOT NULL
),
-- RANGE framing (the default): events at the same instant share one level, so a run that starts
-- the moment it leaves the queue never shows as both or neither
level AS (
  SELECT at, sum(dq) OVER (ORDER BY at) AS depth, sum(dr) OVER (ORDER BY at) AS running FROM ev
)
SELECT date_bin($2::interval, at, timestamptz '2000-01-01') AS bucket, max(depth)::int AS depth, max(running)::int AS running,
       (array_agg(depth ORDER BY at DESC))[1]::int AS last_depth, (array_agg(running ORDER BY at DESC))[1]::int AS last_running
  FROM level, w
 WHERE at <= w.to_at
 GROUP BY 1
 ORDER BY 1`;

/** Peak queue depth and peak running runs per bucket; a bucket with no event keeps the level the previous one ended at. */
export async function selectQueueDepth(pool: pg.Pool, window: string, bucket: string, bucketMs: number, now: Date): Promise<DepthPoint[]> {
  const r = await pool.query<{ bucket: Date; depth: number; running: number; last_depth: number; last_running: number }>(DEPTH_SQL, [window, bucket, now]);
  const rows = new Map(r.rows.map((row) => [row.bucket.getTime(), row]));
  const first = Math.floor((now.getTime() - parseWindowMs(window)) / bucketMs) * bucketMs;
  const out: DepthPoint[] = [];
  let level = { depth: 0, running: 0 };
  // levels before the window: the last bucket before it sets where the window starts
  for (const row of r.rows) if (row.bucket.getTime() < first) level = { depth: row.last_depth, running: row.last_running };
  for (let t = first; t <= now.getTime(); t += bucketMs) {
    const row = rows.get(t);
    if (row) {
      // the bucket's peak: what it opened with, or higher during it
      out.push({ at: new Date(t).toISOString(), depth: Math.max(0, level.depth, row.depth), running: Math.max(0, level.running, row.running) });
      level = { depth: row.last_depth, running: row.last_running };
    } else out.push({ at: new Date(t).toISOString(), depth: Math.max(0, level.depth), running: Math.max(0, level.running) });
  }
  return out;
}

function parseWindowMs(window: string): number {
  const m = /^(\d+) (hour|day)s?$/.exec(window);
  if (!m) throw new Error(`unsupported window ${window}`);
  return Number(m[1]) * (m[2] === "hour" ? 3_600_000 : 86_400_000);
}
