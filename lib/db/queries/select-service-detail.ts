import type pg from "pg";
import { toServiceRow, type ServiceRow } from "@/lib/db/queries/select-services";

// One service by name (services_name_key), with everything its page shows as configuration.

export type ServiceDetail = ServiceRow & {
  dailyCommand: string;
  hourlyCommand: string | null;
  environmentKeys: string[];
  concurrencyGroup: string | null;
  retryAttempts: number;
  retryBackoffSeconds: number;
  timeoutSeconds: number;
  source: string;
  createdAt: string;
  updatedAt: string;
  labelMap: Record<string, unknown>;
};

const SQL = `
SELECT id, name, display_name, labels, time_zone, daily_time, hourly_enabled, hourly_minute, expected_done_by,
       enabled, paused, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms,
       daily_command, hourly_command, environment, concurrency_group, retry_attempts, retry_backoff_seconds,
       timeout_seconds, source, created_at, updated_at
  FROM services WHERE name = $1`;

export async function selectServiceDetail(pool: pg.Pool, name: string): Promise<ServiceDetail | null> {
  const r = await pool.query(SQL, [name]);
  const row = r.rows[0];
  if (!row) return null;
  return {
    ...toServiceRow(row),
    dailyCommand: row.daily_command,
    hourlyCommand: row.hourly_command,
    // Values can hold credentials: the page shows which variables are set, never their values.
    environmentKeys: Object.keys(row.environment ?? {}).sort(),
    concurrencyGroup: row.concurrency_group,
    retryAttempts: row.retry_attempts,
    retryBackoffSeconds: row.retry_backoff_seconds,
    timeoutSeconds: row.timeout_seconds,
    source: row.source,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    labelMap: row.labels ?? {},
  };
}
