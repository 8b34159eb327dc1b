import type { Queryable } from "@/lib/db/runs/run-columns";

// The services that promise a daily period by a time of day: the only ones the SLA rule checks.
// A disabled or paused service expects nothing (as on the grid).

export type SlaService = { id: number; timeZone: string; dailyTime: string; expectedDoneBy: string; createdAt: Date };

export async function listSlaServices(db: Queryable): Promise<SlaService[]> {
  const r = await db.query<SlaService>(
    `SELECT id, time_zone AS "timeZone", daily_time AS "dailyTime", expected_done_by AS "expectedDoneBy", created_at AS "createdAt"
       FROM services WHERE expected_done_by IS NOT NULL AND enabled AND NOT paused`,
  );
  return r.rows;
}
