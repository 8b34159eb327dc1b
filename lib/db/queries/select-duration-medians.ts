import type pg from "pg";

// Each service's usual daily duration: the median of its last 14 successful daily runs before a
// date (failures end early or time out, so they would drag the median). A LATERAL per service
// walks runs_service_period_idx backwards and stops after 14 rows: ~1,000 × 14 index entries.

export type DurationMedian = { serviceId: number; medianSeconds: number; runs: number };

export const MEDIAN_RUNS = 14;

const SQL = `
SELECT s.id AS service_id,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY d.secs)::float8 AS median,
       count(*)::int AS runs
  FROM services s
  CROSS JOIN LATERAL (
        SELECT extract(epoch FROM r.finished_at - r.started_at)::float8 AS secs
          FROM runs r
         WHERE r.service_id = s.id AND r.kind = 'daily' AND r.period_date < $1::date
           AND r.status = 'done' AND r.started_at IS NOT NULL AND r.finished_at IS NOT NULL
         ORDER BY r.period_date DESC
         LIMIT ${MEDIAN_RUNS}) d
 WHERE $2::int[] IS NULL OR s.id = ANY($2::int[])
 GROUP BY s.id`;

/** Medians before `date`, for the given services (all when `serviceIds` is null). */
export async function selectDurationMedians(pool: pg.Pool, date: string, serviceIds: number[] | null = null): Promise<DurationMedian[]> {
  const r = await pool.query<{ service_id: number; median: number; runs: number }>(SQL, [date, serviceIds]);
  return r.rows.map((row) => ({ serviceId: row.service_id, medianSeconds: row.median, runs: row.runs }));
}
