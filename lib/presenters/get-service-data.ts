import type pg from "pg";
import { listIncidents } from "@/lib/db/alerts/incidents";
import { activeSilences } from "@/lib/db/alerts/silences";
import { silenceView, type SilenceView } from "@/lib/alerts/silence-view";
import { selectServiceDailyHistory, type ServiceDay } from "@/lib/db/queries/select-service-daily-history";
import { selectServiceDetail, type ServiceDetail } from "@/lib/db/queries/select-service-detail";
import { selectServiceRecentRuns, type RecentRun } from "@/lib/db/queries/select-service-recent-runs";
import { countLetter, emptyCounts, type Counts } from "@/lib/presenters/daily-grid";
import { toIncidentView, type IncidentView } from "@/lib/presenters/get-incidents-data";
import { dailyPeriod } from "@/lib/runner/schedule/periods";
import { ACTIVE_LETTERS, addDays, dailyLetter, dateRange, localDate, type PeriodLetter, type RunStatus } from "@/lib/presenters/period-status";

// A service's page: its open incidents, its 90-day grid, the duration trend, recent runs and its
// configuration. Six small statements keyed by the service id; none grows with the fleet or the
// task history.

export const SERVICE_DAYS = 90;

export type DurationPoint = { date: string; seconds: number | null; status: RunStatus | null };

export type ServiceData = {
  generatedAt: string;
  service: Omit<ServiceDetail, "schedule"> & { timeZone: string; dailyTime: string; hourlyMinute: number; expectedDoneBy: string | null; enabled: boolean; paused: boolean };
  today: string;
  /** The next daily period to come due and when — by the runner's own rule, so an edit of the daily time shows here as the trigger will follow it. */
  nextDaily: { date: string; dueAt: string } | null;
  calendar: { dates: string[]; cells: string; runIds: Array<number | null>; attempts: number[] };
  durations: DurationPoint[];
  usualSeconds: number | null;
  counts: Counts;
  recent: RecentRun[];
  /** its open incidents, oldest first (the whole history is on /incidents?service=) */
  incidents: IncidentView[];
  /** its alerts silenced until then (their open messages held), or null */
  silence: SilenceView | null;
  active: boolean;
};

export async function getServiceData(pool: pg.Pool, name: string, now = Date.now()): Promise<ServiceData | null> {
  const detail = await selectServiceDetail(pool, name);
  if (!detail) return null;
  const today = localDate(now, detail.schedule.timeZone);
  const dates = dateRange(addDays(today, -(SERVICE_DAYS - 1)), today);
  const [days, recent, incidents, silences] = await Promise.all([
    selectServiceDailyHistory(pool, detail.id, dates[0], today),
    selectServiceRecentRuns(pool, detail.id),
    listIncidents(pool, { resolvedLimit: 0, serviceId: detail.id }),
    activeSilences(pool, [detail.id], new Date(now)),
  ]);
  const silence = silences.get(detail.id);
  const byDate = new Map(days.map((d) => [d.date, d]));
  let cells = "";
  const counts = emptyCounts();
  const runIds: Array<number | null> = [];
  const attempts: number[] = [];
  const durations: DurationPoint[] = [];
  for (const date of dates) {
    const day = byDate.get(date);
    const letter = dailyLetter(detail.schedule, date, day?.status ?? null, now);
    cells += letter;
    countLetter(counts, letter);
    runIds.push(day?.runId ?? null);
    attempts.push(day?.attempts ?? 0);
    durations.push({ date, seconds: day ? durationSeconds(day) : null, status: day?.status ?? null });
  }
  const { schedule, ...rest } = detail;
  return {
    generatedAt: new Date(now).toISOString(),
    service: {
      ...rest,
      timeZone: schedule.timeZone,
      dailyTime: schedule.dailyTime,
      hourlyMinute: schedule.hourlyMinute,
      expectedDoneBy: schedule.expectedDoneBy,
      enabled: schedule.enabled,
      paused: schedule.paused,
      // selectServiceDetail's row does not read it: the silence read beside it says
      silencedUntil: silence ? silence.ends_at.toISOString() : null,
    },
    today,
    nextDaily: nextDailyDue(schedule, today, now),
    calendar: { dates, cells, runIds, attempts },
    durations,
    usualSeconds: median(durations.filter((d) => d.status === "done" && d.seconds !== null).slice(-14).map((d) => d.seconds!)),
    counts,
    recent,
    incidents: incidents.map(toIncidentView),
    silence: silence ? silenceView(silence) : null,
    active: [...cells].some((c) => ACTIVE_LETTERS.has(c as PeriodLetter)) || recent.some((r) => r.status === "running" || r.status === "queued"),
  };
}

/** Yesterday's period is due today at the daily time; once that has passed, today's is next (due tomorrow). */
export function nextDailyDue(schedule: { timeZone: string; dailyTime: string }, today: string, now: number): ServiceData["nextDaily"] {
  for (const date of [addDays(today, -1), today, addDays(today, 1)]) {
    const period = dailyPeriod(schedule, date);
    if (period && period.dueAt.getTime() > now) return { date, dueAt: period.dueAt.toISOString() };
  }
  return null;
}

function durationSeconds(day: ServiceDay): number | null {
  return day.startedAt && day.finishedAt ? (Date.parse(day.finishedAt) - Date.parse(day.startedAt)) / 1000 : null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
