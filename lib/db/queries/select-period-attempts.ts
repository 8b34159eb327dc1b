import type pg from "pg";
import type { RunStatus } from "@/lib/presenters/period-status";
import { iso } from "@/lib/db/queries/select-active-runs";

// Every run of one period (scheduled, retries, re-runs, forced, backfills), oldest first:
// runs_service_period_idx (service_id, kind, period_date, id DESC).

export type Attempt = {
  id: number;
  attempt: number;
  trigger: string;
  force: boolean;
  status: RunStatus;
  requestedBy: string | null;
  reason: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  host: string | null;
};

const SQL = `
SELECT r.id, r.attempt, r.trigger, r.force, r.status, r.requested_by, r.reason, r.queued_at, r.started_at, r.finished_at, r.exit_code, r.host
  FROM runs r
 WHERE r.service_id = $1 AND r.kind = $2::run_kind AND r.period_date = $3::date AND r.period_hour IS NOT DISTINCT FROM $4::smallint
 ORDER BY r.id`;

export async function selectPeriodAttempts(
  pool: pg.Pool,
  period: { serviceId: number; kind: "daily" | "hourly"; periodDate: string; periodHour: number | null },
): Promise<Attempt[]> {
  const r = await pool.query(SQL, [period.serviceId, period.kind, period.periodDate, period.periodHour]);
  return r.rows.map((row) => ({
    id: Number(row.id),
    attempt: row.attempt,
    trigger: row.trigger,
    force: row.force,
    status: row.status,
    requestedBy: row.requested_by,
    reason: row.reason,
    queuedAt: row.queued_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    exitCode: row.exit_code,
    host: row.host,
  }));
}
