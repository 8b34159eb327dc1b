import type pg from "pg";
import type { Schedule } from "@/lib/presenters/period-status";

// Every service with what grids need: identity, labels and schedule. One row per service (a
// thousand is a few milliseconds); grids join runs to these in memory.

export type ServiceRow = {
  id: number;
  name: string;
  displayName: string;
  labels: string[];
  hourlyEnabled: boolean;
  schedule: Schedule;
};

type Raw = {
  id: number;
  name: string;
  display_name: string;
  labels: Record<string, unknown> | null;
  time_zone: string;
  daily_time: string;
  hourly_enabled: boolean;
  hourly_minute: number;
  expected_done_by: string | null;
  enabled: boolean;
  paused: boolean;
  created_ms: number;
};

const SQL = `
SELECT id, name, display_name, labels, time_zone, daily_time, hourly_enabled, hourly_minute,
       expected_done_by, enabled, paused, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms
  FROM services
 ORDER BY name`;

export async function selectServices(pool: pg.Pool): Promise<ServiceRow[]> {
  const r = await pool.query<Raw>(SQL);
  return r.rows.map(toServiceRow);
}

export function toServiceRow(row: Raw): ServiceRow {
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    labels: labelList(row.labels),
    hourlyEnabled: row.hourly_enabled,
    schedule: {
      timeZone: row.time_zone,
      dailyTime: row.daily_time,
      hourlyMinute: row.hourly_minute,
      expectedDoneBy: row.expected_done_by,
      enabled: row.enabled,
      paused: row.paused,
      createdAt: row.created_ms,
    },
  };
}

/** Labels as "key=value" strings, sorted: what the label filter offers and matches. */
export function labelList(labels: Record<string, unknown> | null): string[] {
  if (!labels || typeof labels !== "object") return [];
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .sort();
}
