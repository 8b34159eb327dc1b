import type pg from "pg";
import { selectLatestDailyRuns, type LatestDailyRun } from "@/lib/db/queries/select-latest-daily-runs";
import { selectServices } from "@/lib/db/queries/select-services";
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
};

export type ServicesData = { generatedAt: string; rows: ServiceListRow[]; labels: string[] };

export async function getServicesData(pool: pg.Pool, now = Date.now()): Promise<ServicesData> {
  const [services, latest] = await Promise.all([selectServices(pool), selectLatestDailyRuns(pool)]);
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
    };
  });
  return { generatedAt: new Date(now).toISOString(), rows, labels: [...new Set(services.flatMap((s) => s.labels))].sort() };
}
