import type pg from "pg";
import type { RunStatus } from "@/lib/presenters/period-status";
import { iso } from "@/lib/db/queries/select-active-runs";

// One run by id (runs_pkey) with its service's name and time zone.

export type RunDetail = {
  id: number;
  serviceId: number;
  serviceName: string;
  serviceDisplayName: string;
  timeZone: string;
  kind: "daily" | "hourly";
  periodStart: string;
  periodDate: string;
  periodHour: number | null;
  attempt: number;
  trigger: string;
  force: boolean;
  status: RunStatus;
  requestedBy: string | null;
  reason: string | null;
  command: string | null;
  fromTask: string | null;
  queuedAt: string;
  notBefore: string;
  startedAt: string | null;
  lastUpdateAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  host: string | null;
  runnerId: string | null;
  pid: number | null;
  logPath: string | null;
  rootTaskId: string | null;
  error: string | null;
  cpuSeconds: number | null;
  peakMemoryBytes: number | null;
};

const SQL = `
SELECT r.*, r.period_date::text AS period_date_text, s.name AS service_name, s.display_name, s.time_zone
  FROM runs r JOIN services s ON s.id = r.service_id
 WHERE r.id = $1`;

export async function selectRun(pool: pg.Pool, id: number): Promise<RunDetail | null> {
  const r = await pool.query(SQL, [id]);
  const row = r.rows[0];
  if (!row) return null;
  return {
    id: Number(row.id),
    serviceId: row.service_id,
    serviceName: row.service_name,
    serviceDisplayName: row.display_name,
    timeZone: row.time_zone,
    kind: row.kind,
    periodStart: row.period_start.toISOString(),
    periodDate: row.period_date_text,
    periodHour: row.period_hour,
    attempt: row.attempt,
    trigger: row.trigger,
    force: row.force,
    status: row.status,
    requestedBy: row.requested_by,
    reason: row.reason,
    command: row.command,
    fromTask: row.from_task,
    queuedAt: row.queued_at.toISOString(),
    notBefore: row.not_before.toISOString(),
    startedAt: iso(row.started_at),
    lastUpdateAt: iso(row.last_update_at),
    finishedAt: iso(row.finished_at),
    exitCode: row.exit_code,
    host: row.host,
    runnerId: row.runner_id,
    pid: row.pid,
    logPath: row.log_path,
    rootTaskId: row.root_task_id,
    error: row.error,
    cpuSeconds: row.cpu_seconds,
    peakMemoryBytes: row.peak_memory_bytes === null ? null : Number(row.peak_memory_bytes),
  };
}
