import type pg from "pg";
import type { RunStatus } from "@/lib/presenters/period-status";
import { iso } from "@/lib/db/queries/select-active-runs";

// The services list: each service's most recent daily period and the latest run of it. One
// LATERAL per service reading the newest entry of runs_service_period_idx: ~1,000 index probes.

export type LatestDailyRun = { serviceId: number; date: string; status: RunStatus; runId: number; finishedAt: string | null };

const SQL = `
SELECT s.id AS service_id, l.period_date::text AS period_date, l.status, l.id, l.finished_at
  FROM services s
  CROSS JOIN LATERAL (
        SELECT r.period_date, r.status, r.id, r.finished_at
          FROM runs r
         WHERE r.service_id = s.id AND r.kind = 'daily'
         ORDER BY r.period_date DESC, r.id DESC
         LIMIT 1) l`;

export async function selectLatestDailyRuns(pool: pg.Pool): Promise<LatestDailyRun[]> {
  const r = await pool.query<{ service_id: number; period_date: string; status: RunStatus; id: number; finished_at: Date | null }>(SQL);
  return r.rows.map((row) => ({ serviceId: row.service_id, date: row.period_date, status: row.status, runId: row.id, finishedAt: iso(row.finished_at) }));
}
