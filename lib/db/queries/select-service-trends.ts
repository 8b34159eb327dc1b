import type pg from "pg";

// Per-service and per-group trends over the last N days of daily periods: each service's failure
// rate per week (the services table's sparkline) and the median duration of done daily runs per
// concurrency group per day (the Trends page). Both range-scan runs_grid_idx (kind, period_date, …)
// over the window, so the cost follows services × days shown, not the history kept.

/** [failed, finished] daily runs of one week: a tuple, since a thousand rows × 13 weeks travel to the browser. */
export type FailureWeek = [failed: number, finished: number];
export type ServiceFailures = { serviceId: number; weeks: FailureWeek[] };
export type GroupDurationPoint = { date: string; group: string; medianSeconds: number; runs: number };

const FAILURES_SQL = `
SELECT service_id, ((period_date - $1::date) / 7)::int AS week,
       count(*) FILTER (WHERE status IN ('failed', 'lost'))::int AS failed,
       count(*) FILTER (WHERE status IN ('done', 'failed', 'lost'))::int AS finished
  FROM runs
 WHERE kind = 'daily' AND period_date >= $1::date AND period_date <= $2::date
 GROUP BY 1, 2`;

/** Weekly failure counts per service from `from` to `to` (dates), every attempt counted. */
export async function selectServiceFailures(pool: pg.Pool, from: string, to: string): Promise<Map<number, FailureWeek[]>> {
  const weeks = Math.floor((Date.parse(to) - Date.parse(from)) / (7 * 86_400_000)) + 1;
  const r = await pool.query<{ service_id: number; week: number; failed: number; finished: number }>(FAILURES_SQL, [from, to]);
  const out = new Map<number, FailureWeek[]>();
  for (const row of r.rows) {
    let list = out.get(row.service_id);
    if (!list) out.set(row.service_id, (list = Array.from({ length: weeks }, (): FailureWeek => [0, 0])));
    if (row.week >= 0 && row.week < weeks) list[row.week] = [row.failed, row.finished];
  }
  return out;
}

const GROUP_DURATION_SQL = `
SELECT r.period_date::text AS date, coalesce(s.concurrency_group, '(no group)') AS grp,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.finished_at - r.started_at))::float8 AS median,
       count(*)::int AS runs
  FROM runs r JOIN services s ON s.id = r.service_id
 WHERE r.kind = 'daily' AND r.period_date >= $1::date AND r.period_date <= $2::date
   AND r.status = 'done' AND r.started_at IS NOT NULL
 GROUP BY 1, 2
 ORDER BY 1, 2`;

export async function selectGroupDurations(pool: pg.Pool, from: string, to: string): Promise<GroupDurationPoint[]> {
  const r = await pool.query<{ date: string; grp: string; median: number; runs: number }>(GROUP_DURATION_SQL, [from, to]);
  return r.rows.map((row) => ({ date: row.date, group: row.grp, medianSeconds: Math.round(row.median * 10) / 10, runs: row.runs }));
}
