import type { Queryable } from "@/lib/db/runs/run-columns";
import type { ServiceConfig } from "@/lib/schemas/services";

// Writes one whole service (config file sync, or an API edit merged over the stored one): the
// services row and its service_run_options row, in the caller's transaction.

/**
 * `table.col = excluded.col, …` for an upsert, with updated_at moved only when a column changed:
 * a sync of the same file at every start must not make every service look edited just now (the
 * service page's "updated", and services-version.ts's reload of the runners' loops).
 */
function upsertSet(table: string, columns: string[]): string {
  const changed = `(${columns.map((c) => `${table}.${c}`).join(", ")}) IS DISTINCT FROM (${columns.map((c) => `excluded.${c}`).join(", ")})`;
  return `${columns.map((c) => `${c} = excluded.${c}`).join(", ")},\n       updated_at = CASE WHEN ${changed} THEN now() ELSE ${table}.updated_at END`;
}

const SERVICE_COLUMNS = ["display_name", "time_zone", "daily_time", "hourly_enabled", "hourly_minute", "daily_command", "hourly_command", "environment", "labels",
  "concurrency_group", "retry_attempts", "retry_backoff_seconds", "timeout_seconds", "expected_done_by", "enabled", "source"];

export const UPSERT_SERVICE_SQL = `
INSERT INTO services (name, ${SERVICE_COLUMNS.join(", ")}, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, $13, $14, $15, $16, $17, now())
    ON CONFLICT (name) DO UPDATE SET
       ${upsertSet("services", SERVICE_COLUMNS)}
RETURNING id`;

const OPTION_COLUMNS = ["max_running", "force_argument", "from_task_argument", "daily_root_task", "hourly_root_task"];
const UPSERT_OPTIONS_SQL = `
INSERT INTO service_run_options (service_id, ${OPTION_COLUMNS.join(", ")}, updated_at)
VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, now())
    ON CONFLICT (service_id) DO UPDATE SET ${upsertSet("service_run_options", OPTION_COLUMNS)}`;

const FLEET_COLUMNS = ["working_directory", "launch"];
const UPSERT_FLEET_SQL = `
INSERT INTO service_fleet_options (service_id, ${FLEET_COLUMNS.join(", ")}, updated_at) VALUES ($1, $2, $3, now())
    ON CONFLICT (service_id) DO UPDATE SET ${upsertSet("service_fleet_options", FLEET_COLUMNS)}`;

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
