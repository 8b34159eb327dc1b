import type { Queryable } from "@/lib/db/runs/run-columns";
import type { Schedule } from "@/lib/runner/schedule/periods";

// What the trigger needs of every enabled service: its schedule. Paused services are included:
// their periods are still queued (the grid shows them pending), they are just not claimed.

export type ServiceSchedule = Schedule & { serviceId: number; name: string };

export async function listSchedules(db: Queryable): Promise<ServiceSchedule[]> {
  const result = await db.query(
    `SELECT id, name, time_zone, daily_time, hourly_enabled, hourly_minute FROM services WHERE enabled ORDER BY id`,
  );
  return result.rows.map((r) => ({
    serviceId: r.id,
    name: r.name,
    timeZone: r.time_zone,
    dailyTime: r.daily_time,
    hourlyEnabled: r.hourly_enabled,
    hourlyMinute: r.hourly_minute,
  }));
}
