// The one place that decides what a grid cell shows: a period's status letter, and whether a
// period is due (its local due time in the service's time zone has passed). Pure functions of
// their inputs — no database, no React — so pages, JSON routes and client components share them.
//
// Mapping (DESIGN.md "Period status"; the latest run of a period, highest id, decides):
//   done → D · running → R · queued → P · failed, lost → F · cancelled → C (its own muted state:
//   an operator stopped it on purpose, so it is neither a failure nor missing)
//   no run and due → M · no run and not due yet → "–"
// A service that is disabled or paused, or did not exist yet at the due time, expects nothing:
// its empty periods show "–", never M (an operator paused it on purpose).
//
// Due times are the runner's own (lib/runner/schedule/periods.ts): a period is run once it is over. Daily period D (the data of local day D) is due at the service's
// daily_time on D + 1; hourly period (D, H) at hourly_minute past the next hour. expected_done_by
// is on the day the run is due (D + 1), or the day after when it is not later than daily_time (a
// 23:00 run expected done by 01:00 is due the next morning).
// Local times that do not exist (spring forward) move forward by the gap; ambiguous ones (fall
// back) take the earlier instant — Temporal's "compatible" disambiguation.

import { dailyPeriod, hourlyPeriod } from "@/lib/runner/schedule/periods";
import { parseWallDate, resolveWallTime, wallClockMs } from "@/lib/time/zoned-time";

export const RUN_STATUSES = ["queued", "running", "done", "failed", "cancelled", "lost"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const PERIOD_LETTERS = ["D", "R", "P", "F", "C", "M", "–"] as const;
export type PeriodLetter = (typeof PERIOD_LETTERS)[number];

export const LETTER_LABELS: Record<PeriodLetter, string> = {
  D: "done",
  R: "running",
  P: "pending",
  F: "failed",
  C: "cancelled",
  M: "missing",
  "–": "not due",
};

/** Letters an operator has to act on: the "only problems" switch and the red counts. */
export const PROBLEM_LETTERS: ReadonlySet<PeriodLetter> = new Set(["F", "M"]);
/** Letters that mean work is under way: pages poll fast while any is on screen. */
export const ACTIVE_LETTERS: ReadonlySet<PeriodLetter> = new Set(["R", "P"]);

const RUN_LETTER: Record<RunStatus, PeriodLetter> = {
  done: "D",
  running: "R",
  queued: "P",
  failed: "F",
  lost: "F",
  cancelled: "C",
};

export function letterForRun(status: RunStatus): PeriodLetter {
  return RUN_LETTER[status];
}

/** What a service's schedule needs for the due maths; timestamps are epoch milliseconds. */
export type Schedule = {
  timeZone: string;
  dailyTime: string; // "HH:MM"
  hourlyMinute: number;
  expectedDoneBy: string | null; // "HH:MM"
  enabled: boolean;
  paused: boolean;
  createdAt: number;
};

/**
 * Why a period expects no run: "due" (not due yet), or the service expects nothing for it —
 * "paused", "disabled", or "added" (the service did not exist yet when the period was due). Null
 * when the period is due and a run is expected. The "–" cell means any of these.
 */
export type NoRunExpected = "due" | "paused" | "disabled" | "added";

export function noRunExpected(schedule: Schedule, dueAt: number, now: number): NoRunExpected | null {
  if (!schedule.enabled) return "disabled";
  if (schedule.paused) return "paused";
  if (schedule.createdAt > dueAt) return "added";
  return now >= dueAt ? null : "due";
}

/** A period's letter from its latest run (or none), its due instant and now. */
export function periodLetter(latest: RunStatus | null, schedule: Schedule, dueAt: number, now: number): PeriodLetter {
  if (latest) return letterForRun(latest);
  return noRunExpected(schedule, dueAt, now) === null ? "M" : "–";
}

/** When the runner queues a daily period (never, for a date the zone skipped). */
export function dailyDueAt(schedule: Schedule, date: string): number {
  return dailyPeriod(schedule, date)?.dueAt.getTime() ?? Number.POSITIVE_INFINITY;
}

/** When the runner queues an hourly period (never, for an hour the clock skips). */
export function hourlyDueAt(schedule: Schedule, date: string, hour: number): number {
  return hourlyPeriod(schedule, date, hour)?.dueAt.getTime() ?? Number.POSITIVE_INFINITY;
}

export function dailyLetter(schedule: Schedule, date: string, latest: RunStatus | null, now: number): PeriodLetter {
  // Most cells have a run: skip the time-zone maths for them (a 1,000-row grid is 7,000 cells).
  if (latest) return letterForRun(latest);
  return periodLetter(null, schedule, dailyDueAt(schedule, date), now);
}

export function hourlyLetter(schedule: Schedule, date: string, hour: number, latest: RunStatus | null, now: number): PeriodLetter {
  // An hour the clock skips (02:00–03:00 on a spring-forward day) is no period: never missing.
  if (latest) return letterForRun(latest);
  if (!localHourExists(date, hour, schedule.timeZone)) return "–";
  return periodLetter(null, schedule, hourlyDueAt(schedule, date, hour), now);
}

/** False for a local hour skipped by a daylight-saving change. */
export function localHourExists(date: string, hour: number, timeZone: string): boolean {
  const instant = zonedTimeToInstant(date, hour * 60, timeZone);
  return wallClockMs(instant, timeZone) === Date.parse(`${date}T00:00:00Z`) + hour * 3_600_000;
}

/** The instant a daily period should be done by, or null when the service sets no expectation. */
export function expectedDoneAt(schedule: Schedule, date: string): number | null {
  if (!schedule.expectedDoneBy) return null;
  const by = minutesOfDay(schedule.expectedDoneBy);
  const day = addDays(date, by <= minutesOfDay(schedule.dailyTime) ? 2 : 1);
  return zonedTimeToInstant(day, by, schedule.timeZone);
}

export type DoneBy = "met" | "missed" | "open" | "none";

/** Whether a daily period was done by its expected time: met, missed, still open, or no expectation. */
export function doneByState(deadline: number | null, latest: { status: RunStatus; finishedAt: number | null } | null, now: number): DoneBy {
  if (deadline === null) return "none";
  const doneAt = latest?.status === "done" ? latest.finishedAt : null;
  if (doneAt !== null) return doneAt <= deadline ? "met" : "missed";
  return now > deadline ? "missed" : "open";
}

// ---------------------------------------------------------------------------------------
// Calendar and time-zone maths on "YYYY-MM-DD" strings (service-local dates) and epoch ms.

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

export function addDays(date: string, days: number): string {
  const m = DATE_RE.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3] + days)).toISOString().slice(0, 10);
}

/** Dates from `from` to `to` inclusive, ascending. */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function minutesOfDay(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`not a time of day: ${hhmm}`);
  return +m[1] * 60 + +m[2];
}

/** The service-local date ("YYYY-MM-DD") at an instant. */
export function localDate(instant: number, timeZone: string): string {
  return new Date(wallClockMs(instant, timeZone)).toISOString().slice(0, 10);
}

const instants = new Map<string, number>();

/** The instant when the wall clock in `timeZone` reads `date` at `minutes` past midnight. */
export function zonedTimeToInstant(date: string, minutes: number, timeZone: string): number {
  const key = `${timeZone}|${date}|${minutes}`;
  const cached = instants.get(key);
  if (cached !== undefined) return cached;
  const day = parseWallDate(date);
  if (!day) throw new Error(`not a date: ${date}`);
  // the runner's rule for local times that happen twice (the earlier) or never (moved forward)
  const result = resolveWallTime(timeZone, { ...day, hour: Math.floor(minutes / 60), minute: minutes % 60 }).instant.getTime();
  if (instants.size > 50_000) instants.clear();
  instants.set(key, result);
  return result;
}
