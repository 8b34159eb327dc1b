import type pg from "pg";
import type { RunStatus } from "@/lib/presenters/period-status";
import { iso } from "@/lib/db/queries/select-active-runs";

// A service's most recent runs of both kinds, newest period first: two short backward walks of
// runs_service_period_idx (one per kind), merged.

export type RecentRun = {
  id: number;
  kind: "daily" | "hourly";
  periodDate: string;
  periodHour: number | null;
  status: RunStatus;
  attempt: number;
  trigger: string;
  requestedBy: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  host: string | null;
  exitCode: number | null;
};

const SQL = `
SELECT * FROM (
  (SELECT r.id, r.kind, r.period_date::text AS period_date, r.period_hour, r.status, r.attempt, r.trigger, r.requested_by,
          r.queued_at, r.started_at, r.finished_at, r.host, r.exit_code
     FROM runs r WHERE r.service_id = $1 AND r.kind = 'daily' ORDER BY r.period_date DESC, r.id DESC LIMIT $2)
  UNION ALL
  (SELECT r.id, r.kind, r.period_date::text AS period_date, r.period_hour, r.status, r.attempt, r.trigger, r.requested_by,
          r.queued_at, r.started_at, r.finished_at, r.host, r.exit_code
     FROM runs r WHERE r.service_id = $1 AND r.kind = 'hourly' ORDER BY r.period_date DESC, r.id DESC LIMIT $2)
) u
ORDER BY u.queued_at DESC, u.id DESC
LIMIT $2`;

export async function selectServiceRecentRuns(pool: pg.Pool, serviceId: number, limit = 25): Promise<RecentRun[]> {
  const r = await pool.query(SQL, [serviceId, limit]);
  return r.rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    periodDate: row.period_date,
    periodHour: row.period_hour,
    status: row.status,
    attempt: row.attempt,
    trigger: row.trigger,
    requestedBy: row.requested_by,
    queuedAt: row.queued_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    host: row.host,
    exitCode: row.exit_code,
  }));
}
