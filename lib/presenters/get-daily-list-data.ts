import type pg from "pg";
import { selectDailyGrid } from "@/lib/db/queries/select-daily-grid";
import { selectServices } from "@/lib/db/queries/select-services";
import { buildDailyGrid, countLetter, emptyCounts, latestLocalToday, type Counts } from "@/lib/presenters/daily-grid";
import { addDays, dateRange, type PeriodLetter } from "@/lib/presenters/period-status";

// The Daily page: a page of days, newest first, each with its period counts. Built from the same
// grid query as home (runs_grid_idx), so a page of 14 days costs about two weekly grids.

export const DAYS_PER_PAGE = 14;

export type DayCounts = { date: string; counts: Counts };
export type DailyListData = {
  generatedAt: string;
  days: DayCounts[];
  /** `before` for the next (older) page */
  older: string;
  /** `before` for the previous (newer) page, null on the newest page */
  newer: string | null;
  active: boolean;
};

export async function getDailyListData(pool: pg.Pool, options: { before?: string | null; now?: number } = {}): Promise<DailyListData> {
  const now = options.now ?? Date.now();
  const services = await selectServices(pool);
  const latest = latestLocalToday(services, now);
  const last = options.before && options.before <= latest ? addDays(options.before, -1) : latest;
  const dates = dateRange(addDays(last, -(DAYS_PER_PAGE - 1)), last);
  const runs = await selectDailyGrid(pool, dates[0], last);
  const rows = buildDailyGrid(services, dates, runs, now);
  const days = dates.map((date, col) => {
    const counts = emptyCounts();
    for (const row of rows) countLetter(counts, row.cells[col] as PeriodLetter);
    return { date, counts };
  });
  days.reverse();
  const newerBefore = addDays(last, DAYS_PER_PAGE + 1);
  const latestBefore = addDays(latest, 1);
  return {
    generatedAt: new Date(now).toISOString(),
    days,
    older: dates[0],
    newer: last >= latest ? null : newerBefore < latestBefore ? newerBefore : latestBefore,
    active: days.some((d) => d.counts.running + d.counts.pending > 0),
  };
}
