import type pg from "pg";
import type { RunStatus } from "@/lib/presenters/period-status";
import { iso } from "@/lib/db/queries/select-active-runs";

// A service page's 90 days: the latest daily run of each period date, with its timing for the
// duration trend. PostgreSQL 18 serves it from runs_grid_idx with a skip scan, 15–17 from
// runs_service_period_idx (docs/QUERY-PLANS.md); either way ~90 index entries.

export type ServiceDay = {
  date: string;
  runId: number;
  status: RunStatus;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
};

const SQL = `
SELECT DISTINCT ON (r.period_date)
       r.period_date::text AS period_date, r.id, r.status, r.started_at, r.finished_at,
       count(*) OVER (PARTITION BY r.period_date)::int AS attempts
  FROM runs r
 WHERE r.service_id = $1 AND r.kind = 'daily' AND r.period_date BETWEEN $2::date AND $3::date
 ORDER BY r.period_date, r.id DESC`;

export async function selectServiceDailyHistory(pool: pg.Pool, serviceId: number, from: string, to: string): Promise<ServiceDay[]> {
  const r = await pool.query<{ period_date: string; id: number; status: RunStatus; started_at: Date | null; finished_at: Date | null; attempts: number }>(
    SQL,
    [serviceId, from, to],
  );
  return r.rows.map((row) => ({
    date: row.period_date,
    runId: row.id,
    status: row.status,
    attempts: row.attempts,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  }));
}
