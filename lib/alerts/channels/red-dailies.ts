import type pg from "pg";
import { selectDailyGrid } from "@/lib/db/queries/select-daily-grid";
import { selectServices } from "@/lib/db/queries/select-services";
import { buildDailyGrid, dueTodayDailies, localTodays } from "@/lib/presenters/daily-grid";
import { addDays } from "@/lib/presenters/period-status";

// The home page's morning look for the digest: for each service, the daily period due today in
// its own zone (yesterday's data) when it is red — F (its latest run failed) or M (due, and no run
// at all), as the home page's tiles count them: the letters and the due period are the daily
// grid's own (daily-grid.ts dueTodayDailies, which leaves disabled services out), not a second
// copy of the rules.
// Two statements: the services, and the grid runs of at most two dates.

export type RedDaily = { service: string; labels: Record<string, string>; date: string; letter: "F" | "M"; runId: number | null };

export async function listRedDailies(pool: pg.Pool, now: Date): Promise<RedDaily[]> {
  const services = await selectServices(pool);
  if (services.length === 0) return [];
  const todays = localTodays(services, now.getTime());
  const dates = [...new Set(services.map((s) => addDays(todays.get(s.id)!, -1)))].sort();
  const runs = await selectDailyGrid(pool, dates[0], dates[dates.length - 1]);
  const rows = buildDailyGrid(services, dates, runs, now.getTime());
  const out: RedDaily[] = [];
  for (const { service, date, letter, runId } of dueTodayDailies(services, rows, dates, todays)) {
    if (letter !== "F" && letter !== "M") continue;
    // labels come as "key=value" (labelList); the channel filter matches them as a record
    const labels = Object.fromEntries(service.labels.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    out.push({ service: service.name, labels, date, letter, runId });
  }
  return out;
}
