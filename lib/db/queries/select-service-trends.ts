import type pg from "pg";

// Per-service and per-group trends over the last N days of daily periods: each service's failure
// rate per week (the services table's sparkline) and the median duration of done daily runs per
// concurrency group per day (the Trends page). Both read run_day_rollups (one row per service and
// date, kept by triggers on runs: migration 20261205060000_run_day_rollups) over the window by its
// primary key, so a read costs services × days shown — a few narrow rows, not every attempt with
// its whole run row (docs/QUERY-PLANS.md, "Fleet trends").

/** [failed, finished] daily runs of one week: a tuple, since a thousand rows × 13 weeks travel to the browser. */
export type FailureWeek = [failed: number, finished: number];
export type ServiceFailures = { serviceId: number; weeks: FailureWeek[] };
export type GroupDurationPoint = { date: string; group: string; medianSeconds: number; runs: number };

const FAILURES_SQL = `
SELECT service_id, ((period_date - $1::date) / 7)::int AS week,
       sum(failed + lost)::int AS failed,
       sum(done + failed + lost)::int AS finished
  FROM run_day_rollups
 WHERE period_date >= $1::date AND period_date <= $2::date
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

// A period's duration is its latest done run's (a period done twice, by a forced re-run, counts
// once); `runs` is the number of services with a done run that day.
const GROUP_DURATION_SQL = `
SELECT d.period_date::text AS date, coalesce(s.concurrency_group, '(no group)') AS grp,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY d.done_seconds)::float8 AS median,
       count(*)::int AS runs
  FROM run_day_rollups d JOIN services s ON s.id = d.service_id
 WHERE d.period_date >= $1::date AND d.period_date <= $2::date AND d.done_seconds IS NOT NULL
 GROUP BY 1, 2
 ORDER BY 1, 2`;

export async function selectGroupDurations(pool: pg.Pool, from: string, to: string): Promise<GroupDurationPoint[]> {
  const r = await pool.query<{ date: string; grp: string; median: number; runs: number }>(GROUP_DURATION_SQL, [from, to]);
  return r.rows.map((row) => ({ date: row.date, group: row.grp, medianSeconds: Math.round(row.median * 10) / 10, runs: row.runs }));
}
