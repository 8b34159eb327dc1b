import type pg from "pg";
import type { RunStatus } from "@/lib/presenters/period-status";

// Hourly periods of given (service, service-local date) pairs: the latest run of each hour.
// Home asks for every hourly service's own "today"; the hourly page for one date. One nested
// loop over runs_service_period_idx (service_id, kind, period_date, id DESC): about 24 index
// entries per pair, whatever the history holds.

export type HourlyRun = { hour: number; status: RunStatus; runId: number };
export type HourlyPeriods = { serviceId: number; date: string; runs: HourlyRun[] };

const SQL = `
SELECT q.service_id, q.d::text AS period_date,
       json_agg(json_build_array(l.period_hour, l.status, l.id) ORDER BY l.period_hour) AS runs
  FROM unnest($1::int[], $2::date[]) AS q(service_id, d)
  CROSS JOIN LATERAL (
        SELECT DISTINCT ON (r.period_hour) r.period_hour, r.status, r.id
          FROM runs r
         WHERE r.service_id = q.service_id AND r.kind = 'hourly' AND r.period_date = q.d
         ORDER BY r.period_hour, r.id DESC) l
 GROUP BY q.service_id, q.d`;

export async function selectHourlyPeriods(pool: pg.Pool, pairs: Array<{ serviceId: number; date: string }>): Promise<HourlyPeriods[]> {
  if (pairs.length === 0) return [];
  const r = await pool.query<{ service_id: number; period_date: string; runs: Array<[number, RunStatus, number]> }>(SQL, [
    pairs.map((p) => p.serviceId),
    pairs.map((p) => p.date),
  ]);
  return r.rows.map((row) => ({
    serviceId: row.service_id,
    date: row.period_date,
    runs: row.runs.map(([hour, status, runId]) => ({ hour, status, runId: Number(runId) })),
  }));
}
