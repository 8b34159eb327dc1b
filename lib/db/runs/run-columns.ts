import type { RunKind, RunStatus, RunTrigger } from "@/lib/runner/run-states";

// The run as the runner and the control API see it, and the SELECT list that produces it.
// period_date is read as text: node-postgres turns a DATE into a Date at the machine's local
// midnight, which shifts the day on any machine east or west of UTC.

export type Run = {
  id: number;
  serviceId: number;
  serviceName: string;
  kind: RunKind;
  periodStart: Date;
  periodDate: string;
  periodHour: number | null;
  attempt: number;
  trigger: RunTrigger;
  force: boolean;
  status: RunStatus;
  queuePriority: number;
  requestKey: string | null;
  requestedBy: string | null;
  reason: string | null;
  command: string | null;
  fromTask: string | null;
  queuedAt: Date;
  notBefore: Date;
  startedAt: Date | null;
  lastUpdateAt: Date | null;
  finishedAt: Date | null;
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

/** Columns of runs r joined with services s. */
export const RUN_COLUMNS = `r.id, r.service_id, s.name AS service_name, r.kind, r.period_start, r.period_date::text AS period_date,
  r.period_hour, r.attempt, r.trigger, r.force, r.status, r.queue_priority, r.request_key, r.requested_by, r.reason,
  r.command, r.from_task, r.queued_at, r.not_before, r.started_at, r.last_update_at, r.finished_at, r.exit_code,
  r.host, r.runner_id, r.pid, r.log_path, r.root_task_id, r.error, r.cpu_seconds, r.peak_memory_bytes`;

export type RunRow = Record<string, unknown>;

export function toRun(row: RunRow): Run {
  return {
    id: Number(row.id),
    serviceId: row.service_id as number,
    serviceName: row.service_name as string,
    kind: row.kind as RunKind,
    periodStart: row.period_start as Date,
    periodDate: row.period_date as string,
    periodHour: (row.period_hour as number | null) ?? null,
    attempt: row.attempt as number,
    trigger: row.trigger as RunTrigger,
    force: row.force as boolean,
    status: row.status as RunStatus,
    queuePriority: row.queue_priority as number,
    requestKey: (row.request_key as string | null) ?? null,
    requestedBy: (row.requested_by as string | null) ?? null,
    reason: (row.reason as string | null) ?? null,
    command: (row.command as string | null) ?? null,
    fromTask: (row.from_task as string | null) ?? null,
    queuedAt: row.queued_at as Date,
    notBefore: row.not_before as Date,
    startedAt: (row.started_at as Date | null) ?? null,
    lastUpdateAt: (row.last_update_at as Date | null) ?? null,
    finishedAt: (row.finished_at as Date | null) ?? null,
    exitCode: (row.exit_code as number | null) ?? null,
    host: (row.host as string | null) ?? null,
    runnerId: (row.runner_id as string | null) ?? null,
    pid: (row.pid as number | null) ?? null,
    logPath: (row.log_path as string | null) ?? null,
    rootTaskId: (row.root_task_id as string | null) ?? null,
    error: (row.error as string | null) ?? null,
    cpuSeconds: (row.cpu_seconds as number | null) ?? null,
    peakMemoryBytes: row.peak_memory_bytes === null || row.peak_memory_bytes === undefined ? null : Number(row.peak_memory_bytes),
  };
}

/** Anything that can run a query: a pool or a client inside a transaction. */
export type Queryable = { query: import("pg").Pool["query"] };
