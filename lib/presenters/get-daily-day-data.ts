import type pg from "pg";
import { selectDailyPeriodRuns, type PeriodRun } from "@/lib/db/queries/select-daily-period-runs";
import { selectDurationMedians } from "@/lib/db/queries/select-duration-medians";
import { selectServices } from "@/lib/db/queries/select-services";
import { gridService, latestLocalToday, type GridService } from "@/lib/presenters/daily-grid";
import {
  ACTIVE_LETTERS,
  addDays,
  dailyDueAt,
  dailyLetter,
  doneByState,
  expectedDoneAt,
  noRunExpected,
  type DoneBy,
  type NoRunExpected,
  type PeriodLetter,
} from "@/lib/presenters/period-status";

// One day's page: every service's daily run for the date — start, last update, duration, status,
// attempts, trigger — against its usual duration (median of its last 14 successful runs), and
// whether it was done by its expected time. Three statements whatever the history holds.
// A period the service expected nothing for (added after it was due, paused, disabled) has no
// expected-done-by verdict: a fleet installed today does not open with every old day "missed".

export type DayRow = {
  service: GridService;
  letter: PeriodLetter;
  run: (PeriodRun & { durationSeconds: number | null }) | null;
  usualSeconds: number | null;
  usualRuns: number;
  dueAt: string;
  /** Why there is no run and none is missing (rows without a run only). */
  noRun: NoRunExpected | null;
  /** When the service was added: what "added" refers to. */
  serviceAddedAt: string;
  expectedDoneAt: string | null;
  doneBy: DoneBy;
};

export type DailyDayData = {
  generatedAt: string;
  date: string;
  previous: string;
  next: string | null;
  rows: DayRow[];
  active: boolean;
};

export async function getDailyDayData(pool: pg.Pool, date: string, now = Date.now()): Promise<DailyDayData> {
  const [services, runs, medians] = await Promise.all([selectServices(pool), selectDailyPeriodRuns(pool, date), selectDurationMedians(pool, date)]);
  const runByService = new Map(runs.map((r) => [r.serviceId, r]));
  const medianByService = new Map(medians.map((m) => [m.serviceId, m]));
  const rows = services.map((s): DayRow => {
    const run = runByService.get(s.id) ?? null;
    const dueAt = dailyDueAt(s.schedule, date);
    const noRun = noRunExpected(s.schedule, dueAt, now);
    // No promise for a period the service did not exist for (even when backfilled since), nor for
    // an empty one it expects nothing for (paused, disabled); "due" is a promise not yet due.
    const deadline = noRun === "added" || (noRun !== null && noRun !== "due" && !run) ? null : expectedDoneAt(s.schedule, date);
    const median = medianByService.get(s.id);
    return {
      service: gridService(s),
      letter: dailyLetter(s.schedule, date, run?.status ?? null, now),
      run: run ? { ...run, durationSeconds: durationOf(run, now) } : null,
      usualSeconds: median?.medianSeconds ?? null,
      usualRuns: median?.runs ?? 0,
      dueAt: Number.isFinite(dueAt) ? new Date(dueAt).toISOString() : "",
      noRun: run ? null : noRun,
      serviceAddedAt: new Date(s.schedule.createdAt).toISOString(),
      expectedDoneAt: deadline === null ? null : new Date(deadline).toISOString(),
      doneBy: doneByState(deadline, run ? { status: run.status, finishedAt: run.finishedAt ? Date.parse(run.finishedAt) : null } : null, now),
    };
  });
  const latest = latestLocalToday(services, now);
  return {
    generatedAt: new Date(now).toISOString(),
    date,
    previous: addDays(date, -1),
    next: date < latest ? addDays(date, 1) : null,
    rows,
    active: rows.some((r) => ACTIVE_LETTERS.has(r.letter)),
  };
}

/** Finished runs: end − start. Running ones: so far. Queued ones: none yet. */
function durationOf(run: PeriodRun, now: number): number | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : run.status === "running" ? now : run.lastUpdateAt ? Date.parse(run.lastUpdateAt) : null;
  return end === null ? null : (end - Date.parse(run.startedAt)) / 1000;
}
