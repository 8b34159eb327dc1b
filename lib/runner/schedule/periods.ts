import type { RunKind } from "@/lib/runner/run-states";
import {
  addWallDays,
  formatWallDate,
  parseClock,
  parseWallDate,
  resolveWallTime,
  wallAsUtc,
  wallTimeAt,
} from "@/lib/time/zoned-time";

// Periods and when they are due, in the service's own time zone. The convention, used by the
// triggers here and by the pages that show "missing" and "not due yet":
//   - the daily period of local date D covers D; it is due at the service's daily time on D+1
//     (a batch for a day runs once the day is over);
//   - the hourly period starting at a local hour H is due hourlyMinute minutes after H ends.
// A period is keyed by the instant it starts (period_start), so an hour that happens twice in
// autumn is two periods and an hour skipped in spring is none.

export type Schedule = { timeZone: string; dailyTime: string; hourlyEnabled: boolean; hourlyMinute: number };

export type Period = {
  kind: RunKind;
  /** the instant the period starts */
  start: Date;
  /** service-local date "YYYY-MM-DD" */
  date: string;
  /** service-local hour 0-23 for hourly periods */
  hour: number | null;
  dueAt: Date;
};

const HOUR = 3_600_000;
const QUARTER = 900_000;

// Trigger passes ask for the same few dates of every service every second: remember them.
const dailyMemo = new Map<string, Period | null>();

/** The daily period of a local date, or null when that date never happened in the zone (Pacific/Apia 2011-12-30). */
export function dailyPeriod(schedule: Pick<Schedule, "timeZone" | "dailyTime">, date: string): Period | null {
  const key = `${schedule.timeZone}|${schedule.dailyTime}|${date}`;
  const known = dailyMemo.get(key);
  if (known !== undefined) return known;
  if (dailyMemo.size >= 50_000) dailyMemo.clear();
  const period = computeDailyPeriod(schedule, date);
  dailyMemo.set(key, period ? Object.freeze(period) : null);
  return period;
}

function computeDailyPeriod(schedule: Pick<Schedule, "timeZone" | "dailyTime">, date: string): Period | null {
  const wall = parseWallDate(date);
  if (!wall) return null;
  const start = resolveWallTime(schedule.timeZone, wall).instant;
  const startWall = wallTimeAt(schedule.timeZone, start);
  if (formatWallDate(startWall) !== date) return null;
  const { hour, minute } = parseClock(schedule.dailyTime);
  const dueAt = resolveWallTime(schedule.timeZone, { ...addWallDays(wall, 1), hour, minute }).instant;
  return { kind: "daily", start, date, hour: null, dueAt };
}

/** The hourly period that starts at an instant which is a local hour boundary. */
export function hourlyPeriodAt(schedule: Pick<Schedule, "timeZone" | "hourlyMinute">, start: Date): Period {
  const w = wallTimeAt(schedule.timeZone, start);
  return { kind: "hourly", start, date: formatWallDate(w), hour: w.hour, dueAt: new Date(start.getTime() + HOUR + schedule.hourlyMinute * 60_000) };
}

/**
 * Local hour boundaries (wall minute 0) in (afterMs, untilMs]. Every zone offset in use is a
 * multiple of 15 minutes, so stepping quarter hours finds every boundary, including the odd
 * ones around Lord Howe's 30-minute shift.
 */
export function hourStarts(timeZone: string, afterMs: number, untilMs: number): Date[] {
  const out: Date[] = [];
  for (let t = Math.floor(afterMs / QUARTER) * QUARTER + QUARTER; t <= untilMs; t += QUARTER) {
    if (wallTimeAt(timeZone, t).minute === 0) out.push(new Date(t));
  }
  return out;
}

/** The hourly period for a local date and hour, or null when that hour is skipped (spring forward). An hour that happens twice gives the first. */
export function hourlyPeriod(schedule: Pick<Schedule, "timeZone" | "hourlyMinute">, date: string, hour: number): Period | null {
  const wall = parseWallDate(date);
  if (!wall || hour < 0 || hour > 23) return null;
  const r = resolveWallTime(schedule.timeZone, { ...wall, hour, minute: 0 });
  if (r.exact === "gap") return null;
  return hourlyPeriodAt(schedule, r.instant);
}

/** The local date of an instant in a zone. */
export function localDate(timeZone: string, instant: Date | number): string {
  return formatWallDate(wallTimeAt(timeZone, instant));
}

/** Every period whose due time is in (after, until], oldest first: what a trigger pass queues. */
export function duePeriods(schedule: Schedule, after: Date, until: Date): Period[] {
  const out: Period[] = [];
  if (until.getTime() <= after.getTime()) return out;
  // Daily: D is due on D+1, so the dates run from two days before `after` to the date of `until`.
  const first = parseWallDate(localDate(schedule.timeZone, after.getTime() - 2 * 86_400_000))!;
  const last = localDate(schedule.timeZone, until);
  for (let w = first; formatWallDate(w) <= last; w = addWallDays(w, 1)) {
    const p = dailyPeriod(schedule, formatWallDate(w));
    if (p && p.dueAt > after && p.dueAt <= until) out.push(p);
  }
  if (schedule.hourlyEnabled) {
    const lag = HOUR + schedule.hourlyMinute * 60_000;
    for (const start of hourStarts(schedule.timeZone, after.getTime() - lag, until.getTime() - lag)) out.push(hourlyPeriodAt(schedule, start));
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.start.getTime() - b.start.getTime());
}

/** Every period of a kind on the local dates from..to (inclusive): what a backfill covers. */
export function periodsOnDates(schedule: Schedule, kind: RunKind, from: string, to: string): Period[] {
  const out: Period[] = [];
  const start = parseWallDate(from);
  const last = parseWallDate(to);
  if (!start || !last) return out;
  // compared as instants: as text, "10000-01-01" sorts before "9999-12-31" and the loop ran for minutes
  for (let w = start; wallAsUtc(w) <= wallAsUtc(last); w = addWallDays(w, 1)) {
    const day = dailyPeriod(schedule, formatWallDate(w));
    if (!day) continue;
    if (kind === "daily") {
      out.push(day);
      continue;
    }
    // The next date that exists (Pacific/Apia skipped 2011-12-30) ends this one.
    const next = dailyPeriod(schedule, formatWallDate(addWallDays(w, 1))) ?? dailyPeriod(schedule, formatWallDate(addWallDays(w, 2)));
    const end = next ? next.start.getTime() : day.start.getTime() + 86_400_000;
    for (const h of hourStarts(schedule.timeZone, day.start.getTime() - 1, end - 1)) out.push(hourlyPeriodAt(schedule, h));
  }
  return out;
}

/** "YYYY-MM-DDTHH", Luigi's DateHourParameter format, for {hour} and hourly {period}. */
export function formatDateHour(period: Pick<Period, "date" | "hour">): string {
  return `${period.date}T${String(period.hour ?? 0).padStart(2, "0")}`;
}

export function periodLabel(period: Pick<Period, "kind" | "date" | "hour">): string {
  return period.kind === "daily" ? period.date : formatDateHour(period);
}
