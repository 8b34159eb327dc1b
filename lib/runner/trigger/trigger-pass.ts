import type { Queryable } from "@/lib/db/runs/run-columns";
import { listSchedules, type ServiceSchedule } from "@/lib/db/services/list-schedules";
import { triggerPeriods, type DuePeriod } from "@/lib/db/runs/trigger-periods";
import { duePeriods, type Period } from "@/lib/runner/schedule/periods";

// One trigger pass: every period of every enabled service that became due since the last pass
// is queued. The first pass of a runner looks back over the catch-up window, so periods missed
// while no runner was up are queued once it starts; periods older than the window are not
// (pages show them as missing). Queuing is idempotent (trigger-periods.ts), so overlapping
// passes, and several runners passing at once, queue each period exactly once.

export type CatchUp = { days: number; hours: number };

export type TriggerState = { lastUntil: Date | null };

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * The periods one pass queues for one service: those due in (after, now]. A runner's first pass
 * (after = null) looks back over the catch-up window instead — days for daily periods, hours
 * for hourly ones; later passes continue exactly where the previous one ended, so no period
 * falls between two passes however slow a pass is.
 */
export function periodsToQueue(schedule: ServiceSchedule, now: Date, after: Date | null, catchUp: CatchUp): Period[] {
  const dailyFrom = after ?? new Date(now.getTime() - catchUp.days * DAY);
  const hourlyFrom = after ?? new Date(now.getTime() - catchUp.hours * HOUR);
  const from = dailyFrom < hourlyFrom ? dailyFrom : hourlyFrom;
  return duePeriods(schedule, from, now).filter((p) => p.dueAt > (p.kind === "daily" ? dailyFrom : hourlyFrom));
}

export async function triggerPass(db: Queryable, state: TriggerState, now: Date, catchUp: CatchUp): Promise<number> {
  const schedules = await listSchedules(db);
  const due: DuePeriod[] = [];
  for (const s of schedules) {
    for (const p of periodsToQueue(s, now, state.lastUntil, catchUp)) {
      due.push({ serviceId: s.serviceId, kind: p.kind, periodStart: p.start, periodDate: p.date, periodHour: p.hour });
    }
  }
  // Oldest period first across the fleet: after downtime every service catches up day by day,
  // rather than one service's whole week before the next service's first day.
  due.sort((a, b) => a.periodStart.getTime() - b.periodStart.getTime() || a.serviceId - b.serviceId);
  const queued = await triggerPeriods(db, due);
  state.lastUntil = now;
  return queued;
}
