import type pg from "pg";
import type { RunStatus } from "@/lib/presenters/period-status";
import { iso } from "@/lib/db/queries/select-active-runs";

// A day's page: every service's latest daily run for one period date, and how many runs the
// period had. runs_grid_idx (kind, period_date, service_id, id DESC) returns the rows already in
// DISTINCT ON order, so there is no sort; about one row per service.

export type PeriodRun = {
  serviceId: number;
  runId: number;
  status: RunStatus;
  trigger: string;
  attempt: number;
  attempts: number;
  startedAt: string | null;
  lastUpdateAt: string | null;
  finishedAt: string | null;
  host: string | null;
};

const SQL = `
SELECT DISTINCT ON (r.service_id)
       r.service_id, r.id, r.status, r.trigger, r.attempt, r.started_at, r.last_update_at, r.finished_at, r.host,
       count(*) OVER (PARTITION BY r.service_id)::int AS attempts
  FROM runs r
 WHERE r.kind = 'daily' AND r.period_date = $1::date
 ORDER BY r.service_id, r.id DESC`;

type Raw = {
  service_id: number;
  id: number;
  status: RunStatus;
  trigger: string;
  attempt: number;
  started_at: Date | null;
  last_update_at: Date | null;
  finished_at: Date | null;
  host: string | null;
  attempts: number;
};

export async function selectDailyPeriodRuns(pool: pg.Pool, date: string): Promise<PeriodRun[]> {
  const r = await pool.query<Raw>(SQL, [date]);
  return r.rows.map((row) => ({
    serviceId: row.service_id,
    runId: row.id,
    status: row.status,
    trigger: row.trigger,
    attempt: row.attempt,
    attempts: row.attempts,
    startedAt: iso(row.started_at),
    lastUpdateAt: iso(row.last_update_at),
    finishedAt: iso(row.finished_at),
    host: row.host,
  }));
}
