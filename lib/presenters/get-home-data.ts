import type pg from "pg";
import { selectIncidentMarks, type IncidentMarks } from "@/lib/db/alerts/select-incident-marks";
import { latestMigration } from "@/lib/db/migrate";
import { selectActiveRuns, type ActiveRun } from "@/lib/db/queries/select-active-runs";
import { selectDailyGrid } from "@/lib/db/queries/select-daily-grid";
import { selectHourlyPeriods } from "@/lib/db/queries/select-hourly-periods";
import { selectPulse, type Pulse } from "@/lib/db/queries/select-pulse";
import { selectQueueSummary, type QueueSummary } from "@/lib/db/queries/select-queue-summary";
import { selectServices, type ServiceRow } from "@/lib/db/queries/select-services";
import {
  buildDailyGrid,
  countLetter,
  dueTodayDailies,
  earliestLocalToday,
  emptyCounts,
  gridDates,
  hourlyCells,
  localTodays,
  type Counts,
  type GridRow,
} from "@/lib/presenters/daily-grid";
import { markIncidentCells } from "@/lib/presenters/incident-marks";
import { sharedRead } from "@/lib/presenters/shared-read";
import { addDays, type PeriodLetter } from "@/lib/presenters/period-status";

// The home page's read model: today's counts, the weekly grid, what is running, queued or failed,
// and the queue. One services query, then independent statements in parallel, each bounded by
// services × periods shown (bench/dashboard measures it at 1,000 services × 90 days).
// Two panels load apart, in the browser, so they never hold up this read model or its 2.5 s
// polls: component health (/api/v1/health, which waits on the scheduler) and the worker hosts'
// charts (get-hosts-data.ts, a day of samples, refreshed once a minute).

export type HomeData = {
  generatedAt: string;
  /** hourly: enabled services with hourly runs (today's tiles count only enabled services) */
  services: { total: number; enabled: number; hourly: number };
  latestMigration: { name: string; finishedAt: string | null } | null;
  today: { daily: Counts; hourly: Counts };
  /** totalRows: set when the home page's HTML carries only the grid's first rows (app/page.tsx) */
  grid: { dates: string[]; rows: GridRow[]; totalRows?: number };
  active: ActiveRun[];
  queue: QueueSummary;
  pulse: Pulse;
  /** open incidents for the badge (their periods are marked on the grid's cells) */
  incidents: IncidentMarks["open"];
};

export const WEEK_DAYS = 7;

/** How long one computation serves the page and the polls (shared-read.ts): under the 2.5 s poll. */
export const HOME_READ_MAX_AGE_MS = 2_000;

/** The read model as the page and its API serve it: one computation for the requests of the same 2 s. */
export function sharedHomeData(pool: pg.Pool): Promise<HomeData> {
  return sharedRead("home", HOME_READ_MAX_AGE_MS, () => getHomeData(pool));
}

export async function getHomeData(pool: pg.Pool, now = Date.now()): Promise<HomeData> {
  const services = await selectServices(pool, new Date(now));
  const dates = gridDates(services, now, WEEK_DAYS);
  const todays = localTodays(services, now);
  // today's tiles count what the grid shows by default: a disabled service is expected to run nothing
  const counted = services.filter((s) => s.schedule.enabled);
  const countedHourly = counted.filter((s) => s.hourlyEnabled);
  const [runs, hourly, active, queue, pulse, migration, incidents] = await Promise.all([
    selectDailyGrid(pool, dates[0], dates[dates.length - 1]),
    selectHourlyPeriods(pool, countedHourly.map((s) => ({ serviceId: s.id, date: todays.get(s.id)! }))),
    // failures of the last 24 hours for any period the weekly grid shows: yesterday's daily often
    // fails in the small hours of today, and catch-up, re-runs and backfills fail older periods
    selectActiveRuns(pool, addDays(earliestLocalToday(services, now), -(WEEK_DAYS - 1)), now),
    selectQueueSummary(pool, now),
    selectPulse(pool),
    latestMigration(pool),
    selectIncidentMarks(pool, dates[0], dates[dates.length - 1], new Date(now)),
  ]);
  const rows = buildDailyGrid(services, dates, runs, now);
  markIncidentCells(rows, dates, incidents.cells);
  const hourlyByService = new Map(hourly.map((h) => [h.serviceId, h]));
  return {
    generatedAt: new Date(now).toISOString(),
    services: { total: services.length, enabled: counted.length, hourly: countedHourly.length },
    latestMigration: migration ? { name: migration.name, finishedAt: migration.finishedAt?.toISOString() ?? null } : null,
    today: {
      daily: dailyCounts(services, rows, dates, todays),
      hourly: hourlyCounts(countedHourly, todays, hourlyByService, now),
    },
    grid: { dates, rows },
    active,
    queue,
    pulse,
    incidents: incidents.open,
  };
}

/** Today's dailies: in each service's own zone, the run due today — the one for yesterday's data. */
function dailyCounts(services: ServiceRow[], rows: GridRow[], dates: string[], todays: Map<number, string>): Counts {
  const counts = emptyCounts();
  for (const due of dueTodayDailies(services, rows, dates, todays)) countLetter(counts, due.letter);
  return counts;
}

function hourlyCounts(
  services: ServiceRow[],
  todays: Map<number, string>,
  periods: Map<number, Awaited<ReturnType<typeof selectHourlyPeriods>>[number]>,
  now: number,
): Counts {
  const counts = emptyCounts();
  for (const s of services) {
    const { cells } = hourlyCells(s, todays.get(s.id)!, periods.get(s.id), now);
    for (const letter of cells) countLetter(counts, letter as PeriodLetter);
  }
  return counts;
}
