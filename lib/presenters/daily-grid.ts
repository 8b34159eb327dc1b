import type { ServiceRow } from "@/lib/db/queries/select-services";
import type { GridRun } from "@/lib/db/queries/select-daily-grid";
import type { HourlyPeriods } from "@/lib/db/queries/select-hourly-periods";
import { addDays, dailyLetter, dateRange, hourlyLetter, localDate, type PeriodLetter } from "@/lib/presenters/period-status";

// Turning latest runs into grid rows: one letter per service × period, with the run to open.
// Cells are a string of letters ("DDFDDRP") and a parallel array of run ids: a thousand rows
// travel as ~100 kB of JSON every poll, so the shape is kept compact on purpose.

/** `silencedUntil` only when its alerts are silenced (a thousand nulls would only weigh on the page) */
export type GridService = { id: number; name: string; displayName: string; labels: string[]; enabled: boolean; paused: boolean; silencedUntil?: string };
/** `marks`: column indexes whose period has an open incident (absent when none: incident-marks.ts). */
export type GridRow = { service: GridService; cells: string; runIds: Array<number | null>; marks?: number[] };
export type Counts = Record<"done" | "running" | "pending" | "failed" | "cancelled" | "missing" | "notDue", number> & { total: number };

export function gridService(s: ServiceRow): GridService {
  const service: GridService = { id: s.id, name: s.name, displayName: s.displayName, labels: s.labels, enabled: s.schedule.enabled, paused: s.schedule.paused };
  if (s.silencedUntil) service.silencedUntil = s.silencedUntil;
  return service;
}

/** The last `days` dates, ending at the latest service-local "today" (the easternmost zone's). */
export function gridDates(services: ServiceRow[], now: number, days: number): string[] {
  const today = latestLocalToday(services, now);
  return dateRange(addDays(today, -(days - 1)), today);
}

export function latestLocalToday(services: ServiceRow[], now: number): string {
  const zones = new Set(services.map((s) => s.schedule.timeZone));
  let latest = localDate(now, "UTC");
  for (const tz of zones) latest = maxDate(latest, localDate(now, tz));
  return latest;
}

export function earliestLocalToday(services: ServiceRow[], now: number): string {
  const zones = new Set(services.map((s) => s.schedule.timeZone));
  let earliest = localDate(now, "UTC");
  for (const tz of zones) {
    const d = localDate(now, tz);
    if (d < earliest) earliest = d;
  }
  return earliest;
}

const maxDate = (a: string, b: string) => (a > b ? a : b);

/** Each service's own "today", computed once per distinct time zone. */
export function localTodays(services: ServiceRow[], now: number): Map<number, string> {
  const byZone = new Map<string, string>();
  const out = new Map<number, string>();
  for (const s of services) {
    const tz = s.schedule.timeZone;
    if (!byZone.has(tz)) byZone.set(tz, localDate(now, tz));
    out.set(s.id, byZone.get(tz)!);
  }
  return out;
}

/**
 * Each enabled service's daily due today in its own zone (the run for yesterday's data), read off
 * grid rows built for `services` over `dates`: its date, letter and run. A disabled service is
 * expected to run nothing and cannot be re-run, so it is left out (home tiles, morning digest).
 */
export function dueTodayDailies(
  services: ServiceRow[],
  rows: GridRow[],
  dates: string[],
  todays: Map<number, string>,
): Array<{ service: ServiceRow; date: string; letter: PeriodLetter; runId: number | null }> {
  const column = new Map(dates.map((d, i) => [d, i]));
  const out = [];
  for (let i = 0; i < services.length; i++) {
    const service = services[i];
    if (!service.schedule.enabled) continue;
    const date = addDays(todays.get(service.id)!, -1);
    const col = column.get(date);
    if (col !== undefined) out.push({ service, date, letter: rows[i].cells[col] as PeriodLetter, runId: rows[i].runIds[col] });
  }
  return out;
}

export function buildDailyGrid(services: ServiceRow[], dates: string[], runs: GridRun[], now: number): GridRow[] {
  const column = new Map(dates.map((d, i) => [d, i]));
  const latest = new Map<number, Array<GridRun | undefined>>();
  for (const run of runs) {
    const col = column.get(run.date);
    if (col === undefined) continue;
    let row = latest.get(run.serviceId);
    if (!row) latest.set(run.serviceId, (row = new Array(dates.length)));
    row[col] = run;
  }
  return services.map((s) => {
    const row = latest.get(s.id);
    let cells = "";
    const runIds: Array<number | null> = [];
    dates.forEach((date, i) => {
      const run = row?.[i];
      cells += dailyLetter(s.schedule, date, run?.status ?? null, now);
      runIds.push(run?.runId ?? null);
    });
    return { service: gridService(s), cells, runIds };
  });
}

/** The 24 letters of one service's hourly periods on a date. */
export function hourlyCells(service: ServiceRow, date: string, periods: HourlyPeriods | undefined, now: number): { cells: string; runIds: Array<number | null> } {
  const byHour = new Map(periods?.runs.map((r) => [r.hour, r]) ?? []);
  let cells = "";
  const runIds: Array<number | null> = [];
  // A service without hourly runs enabled expects none: its empty hours are "–", never M.
  const schedule = service.hourlyEnabled ? service.schedule : { ...service.schedule, enabled: false };
  for (let h = 0; h < 24; h++) {
    const run = byHour.get(h);
    cells += hourlyLetter(schedule, date, h, run?.status ?? null, now);
    runIds.push(run?.runId ?? null);
  }
  return { cells, runIds };
}

export function emptyCounts(): Counts {
  return { done: 0, running: 0, pending: 0, failed: 0, cancelled: 0, missing: 0, notDue: 0, total: 0 };
}

const COUNT_KEY: Record<PeriodLetter, keyof Omit<Counts, "total">> = {
  D: "done",
  R: "running",
  P: "pending",
  F: "failed",
  C: "cancelled",
  M: "missing",
  "–": "notDue",
};

export function countLetter(counts: Counts, letter: PeriodLetter): void {
  counts[COUNT_KEY[letter]] += 1;
  counts.total += 1;
}
