import type pg from "pg";
import { selectLatestDailyRuns, type LatestDailyRun } from "@/lib/db/queries/select-latest-daily-runs";
import { selectServices } from "@/lib/db/queries/select-services";
import { selectServiceFailures, type FailureWeek } from "@/lib/db/queries/select-service-trends";
import { gridService, type GridService } from "@/lib/presenters/daily-grid";
import { letterForRun, type PeriodLetter } from "@/lib/presenters/period-status";

// The Services page: every service with its schedule, state and latest daily period.

export type ServiceListRow = {
  service: GridService;
  timeZone: string;
  dailyTime: string;
  hourly: string | null;
  expectedDoneBy: string | null;
  latest: (LatestDailyRun & { letter: PeriodLetter }) | null;
  /** Finished and failed daily runs per week over the last FAILURE_WEEKS weeks, oldest first. */
  failureWeeks: FailureWeek[];
};

export const FAILURE_WEEKS = 13;

export type ServicesData = { generatedAt: string; rows: ServiceListRow[]; labels: string[] };

export async function getServicesData(pool: pg.Pool, now = Date.now()): Promise<ServicesData> {
  const today = new Date(now).toISOString().slice(0, 10);
  const from = new Date(now - (FAILURE_WEEKS * 7 - 1) * 86_400_000).toISOString().slice(0, 10);
  const [services, latest, failures] = await Promise.all([selectServices(pool, new Date(now)), selectLatestDailyRuns(pool), selectServiceFailures(pool, from, today)]);
  const noRuns = Array.from({ length: FAILURE_WEEKS }, (): FailureWeek => [0, 0]);
  const bySvc = new Map(latest.map((l) => [l.serviceId, l]));
  const rows = services.map((s): ServiceListRow => {
    const l = bySvc.get(s.id);
    return {
      service: gridService(s),
      timeZone: s.schedule.timeZone,
      dailyTime: s.schedule.dailyTime,
      hourly: s.hourlyEnabled ? `every hour at :${String(s.schedule.hourlyMinute).padStart(2, "0")}` : null,
      expectedDoneBy: s.schedule.expectedDoneBy,
      latest: l ? { ...l, letter: letterForRun(l.status) } : null,
      failureWeeks: failures.get(s.id) ?? noRuns,
    };
  });
  return { generatedAt: new Date(now).toISOString(), rows, labels: [...new Set(services.flatMap((s) => s.labels))].sort() };
}
