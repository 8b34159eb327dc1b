import type pg from "pg";
import { selectDailyGrid } from "@/lib/db/queries/select-daily-grid";
import { selectServices } from "@/lib/db/queries/select-services";
import { buildDailyGrid, localTodays } from "@/lib/presenters/daily-grid";
import { addDays } from "@/lib/presenters/period-status";

// The home page's morning look for the digest: for each service, the daily period due today in
// its own zone (yesterday's data) when it is red — F (its latest run failed) or M (due, and no run
// at all); disabled services are left out. The letters are the daily grid's own (daily-grid.ts), not a second copy of the rules.
// Two statements: the services, and the grid runs of at most two dates.

export type RedDaily = { service: string; labels: Record<string, string>; date: string; letter: "F" | "M"; runId: number | null };

export async function listRedDailies(pool: pg.Pool, now: Date): Promise<RedDaily[]> {
  const services = await selectServices(pool);
  if (services.length === 0) return [];
  const todays = localTodays(services, now.getTime());
  const dueDate = new Map(services.map((s) => [s.id, addDays(todays.get(s.id)!, -1)]));
  const dates = [...new Set(dueDate.values())].sort();
  const runs = await selectDailyGrid(pool, dates[0], dates[dates.length - 1]);
  const rows = buildDailyGrid(services, dates, runs, now.getTime());
  const out: RedDaily[] = [];
  services.forEach((s, i) => {
    if (!s.schedule.enabled) return; // expected to run nothing, and not re-runnable (the home page leaves it out too)
    const col = dates.indexOf(dueDate.get(s.id)!);
    const letter = rows[i].cells[col];
    if (letter !== "F" && letter !== "M") return;
    // labels come as "key=value" (labelList); the channel filter matches them as a record
    const labels = Object.fromEntries(s.labels.map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
    out.push({ service: s.name, labels, date: dueDate.get(s.id)!, letter, runId: rows[i].runIds[col] });
  });
  return out;
}
