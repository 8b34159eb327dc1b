import type pg from "pg";
import { selectHourlyPeriods } from "@/lib/db/queries/select-hourly-periods";
import { selectServices } from "@/lib/db/queries/select-services";
import { gridService, hourlyCells, latestLocalToday, type GridRow } from "@/lib/presenters/daily-grid";
import { ACTIVE_LETTERS, addDays, type PeriodLetter } from "@/lib/presenters/period-status";

// The Hourly page: services × 24 service-local hours of one date. Rows are the services with
// hourly runs enabled, plus any that had hourly runs that day (enabled since, or run by hand).

export type HourlyData = {
  generatedAt: string;
  date: string;
  previous: string;
  next: string | null;
  rows: GridRow[];
  active: boolean;
};

export async function getHourlyData(pool: pg.Pool, date: string | null, now = Date.now()): Promise<HourlyData> {
  const services = await selectServices(pool);
  const latest = latestLocalToday(services, now);
  const day = date ?? new Date(now).toISOString().slice(0, 10);
  const periods = await selectHourlyPeriods(
    pool,
    services.map((s) => ({ serviceId: s.id, date: day })),
  );
  const byService = new Map(periods.map((p) => [p.serviceId, p]));
  const rows = services
    .filter((s) => s.hourlyEnabled || byService.has(s.id))
    .map((s) => ({ service: gridService(s), ...hourlyCells(s, day, byService.get(s.id), now) }));
  return {
    generatedAt: new Date(now).toISOString(),
    date: day,
    previous: addDays(day, -1),
    next: day < latest ? addDays(day, 1) : null,
    rows,
    active: rows.some((r) => [...r.cells].some((c) => ACTIVE_LETTERS.has(c as PeriodLetter))),
  };
}
