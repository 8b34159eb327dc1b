import type { Queryable } from "@/lib/db/runs/run-columns";
import type { ServiceConfig } from "@/lib/schemas/services";

// Writes one whole service (config file sync, or an API edit merged over the stored one): the
// services row and its service_run_options row, in the caller's transaction.

export const UPSERT_SERVICE_SQL = `
INSERT INTO services (name, display_name, time_zone, daily_time, hourly_enabled, hourly_minute, daily_command, hourly_command,
                      environment, labels, concurrency_group, retry_attempts, retry_backoff_seconds, timeout_seconds,
                      expected_done_by, enabled, source, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, now())
    ON CONFLICT (name) DO UPDATE SET
       display_name = excluded.display_name, time_zone = excluded.time_zone, daily_time = excluded.daily_time,
       hourly_enabled = excluded.hourly_enabled, hourly_minute = excluded.hourly_minute, daily_command = excluded.daily_command,
       hourly_command = excluded.hourly_command, environment = excluded.environment, labels = excluded.labels,
       concurrency_group = excluded.concurrency_group, retry_attempts = excluded.retry_attempts,
       retry_backoff_seconds = excluded.retry_backoff_seconds, timeout_seconds = excluded.timeout_seconds,
       expected_done_by = excluded.expected_done_by, enabled = excluded.enabled, source = excluded.source, updated_at = now()
RETURNING id`;

const UPSERT_OPTIONS_SQL = `
INSERT INTO service_run_options (service_id, max_running, force_argument, from_task_argument, daily_root_task, hourly_root_task, updated_at)
VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, now())
    ON CONFLICT (service_id) DO UPDATE SET max_running = excluded.max_running, force_argument = excluded.force_argument,
       from_task_argument = excluded.from_task_argument, daily_root_task = excluded.daily_root_task,
       hourly_root_task = excluded.hourly_root_task, updated_at = now()`;

const UPSERT_FLEET_SQL = `
INSERT INTO service_fleet_options (service_id, working_directory, launch, updated_at) VALUES ($1, $2, $3, now())
    ON CONFLICT (service_id) DO UPDATE SET working_directory = excluded.working_directory, launch = excluded.launch, updated_at = now()`;

export async function saveService(db: Queryable, s: ServiceConfig & { displayName?: string }, source: string): Promise<number> {
  const result = await db.query(UPSERT_SERVICE_SQL, [
    s.name,
    s.displayName ?? s.name,
    s.timeZone,
    s.dailyTime,
    s.hourly,
    s.hourlyMinute,
    s.dailyCommand,
    s.hourlyCommand,
    JSON.stringify(s.environment),
    JSON.stringify(s.labels),
    s.concurrencyGroup,
    s.retry.attempts,
    s.retry.backoffSeconds,
    s.timeoutSeconds,
    s.expectedDoneBy,
    s.enabled,
    source,
  ]);
  const id = result.rows[0].id as number;
  await db.query(UPSERT_OPTIONS_SQL, [
    id,
    s.maxRunning,
    s.forceArgument,
    s.fromTaskArgument,
    s.rootTask.daily ? JSON.stringify(s.rootTask.daily) : null,
    s.rootTask.hourly ? JSON.stringify(s.rootTask.hourly) : null,
  ]);
  await db.query(UPSERT_FLEET_SQL, [id, s.workingDirectory ?? null, s.launch ?? true]);
  return id;
}
