import type { ServiceConfig } from "@/lib/schemas/services";
import type { Queryable } from "@/lib/db/runs/run-columns";

// A service as the control API shows it: every field of the config file, plus what only the
// database knows (id, paused, where it came from). One SELECT joins services with the runner's
// per-service options.

export type ServiceRecord = ServiceConfig & { id: number; displayName: string; paused: boolean; source: string; updatedAt: Date };

export const SERVICE_SELECT = `
SELECT s.id, s.name, s.display_name, s.time_zone, s.daily_time, s.hourly_enabled, s.hourly_minute, s.daily_command,
       s.hourly_command, s.environment, s.labels, s.concurrency_group, s.retry_attempts, s.retry_backoff_seconds,
       s.timeout_seconds, s.expected_done_by, s.enabled, s.paused, s.source, s.updated_at,
       o.max_running, o.force_argument, o.from_task_argument, o.daily_root_task, o.hourly_root_task,
       f.working_directory, coalesce(f.launch, true) AS launch
  FROM services s LEFT JOIN service_run_options o ON o.service_id = s.id
  LEFT JOIN service_fleet_options f ON f.service_id = s.id`;

export function toServiceRecord(row: Record<string, unknown>): ServiceRecord {
  const rootTask: ServiceConfig["rootTask"] = {};
  if (row.daily_root_task) rootTask.daily = row.daily_root_task as ServiceConfig["rootTask"]["daily"];
  if (row.hourly_root_task) rootTask.hourly = row.hourly_root_task as ServiceConfig["rootTask"]["hourly"];
  return {
    id: row.id as number,
    name: row.name as string,
    displayName: row.display_name as string,
    timeZone: row.time_zone as string,
    dailyTime: row.daily_time as string,
    hourly: row.hourly_enabled as boolean,
    hourlyMinute: row.hourly_minute as number,
    dailyCommand: row.daily_command as string,
    hourlyCommand: (row.hourly_command as string | null) ?? null,
    forceArgument: (row.force_argument as string | null) ?? null,
    fromTaskArgument: (row.from_task_argument as string | null) ?? null,
    environment: (row.environment as Record<string, string>) ?? {},
    labels: (row.labels as Record<string, string>) ?? {},
    concurrencyGroup: (row.concurrency_group as string | null) ?? null,
    maxRunning: (row.max_running as number | null) ?? null,
    retry: { attempts: row.retry_attempts as number, backoffSeconds: row.retry_backoff_seconds as number },
    timeoutSeconds: row.timeout_seconds as number,
    expectedDoneBy: (row.expected_done_by as string | null) ?? null,
    enabled: row.enabled as boolean,
    rootTask,
    workingDirectory: (row.working_directory as string | null) ?? null,
    launch: row.launch as boolean,
    paused: row.paused as boolean,
    source: row.source as string,
    updatedAt: row.updated_at as Date,
  };
}

export async function listServiceRecords(db: Queryable): Promise<ServiceRecord[]> {
  const result = await db.query(`${SERVICE_SELECT} ORDER BY s.name`);
  return result.rows.map(toServiceRecord);
}

export async function getServiceRecord(db: Queryable, name: string): Promise<ServiceRecord | null> {
  const result = await db.query(`${SERVICE_SELECT} WHERE s.name = $1`, [name]);
  return result.rows[0] ? toServiceRecord(result.rows[0]) : null;
}
