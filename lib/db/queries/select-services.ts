import type pg from "pg";
import type { Schedule } from "@/lib/presenters/period-status";

// Every service with what grids need: identity, labels, schedule and whether its alerts are
// silenced. One row per service (a thousand is a few milliseconds); grids join runs to these in
// memory.

export type ServiceRow = {
  id: number;
  name: string;
  displayName: string;
  labels: string[];
  hourlyEnabled: boolean;
  schedule: Schedule;
  /** its alerts silenced until then (lib/db/alerts/silences.ts), or null */
  silencedUntil: string | null;
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
  silenced_until?: Date | null;
};

const SQL = `
SELECT id, name, display_name, labels, time_zone, daily_time, hourly_enabled, hourly_minute,
       expected_done_by, enabled, paused, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms,
       (SELECT a.ends_at FROM alert_silences a WHERE a.service_id = services.id AND a.ended_at IS NULL AND a.ends_at > $1) AS silenced_until
  FROM services
 ORDER BY name`;

export async function selectServices(pool: pg.Pool, now = new Date()): Promise<ServiceRow[]> {
  const r = await pool.query<Raw>(SQL, [now]);
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
    silencedUntil: row.silenced_until ? row.silenced_until.toISOString() : null,
  };
}

/** Labels as "key=value" strings, sorted: what the label filter offers and matches. */
export function labelList(labels: Record<string, unknown> | null): string[] {
  if (!labels || typeof labels !== "object") return [];
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .sort();
}
