import type pg from "pg";
import { leadWithFailedTasks } from "@/lib/alerts/failed-task-lead";
import { enqueueChanges } from "@/lib/alerts/enqueue";
import { evaluateIncidents, type EvaluateInput } from "@/lib/db/alerts/evaluate-incidents";
import { listSlaServices } from "@/lib/db/alerts/list-sla-services";
import { sentToChannelNames } from "@/lib/db/alerts/failing-channels";
import { liveSenders } from "@/lib/db/alerts/senders";
import { addDays, expectedDoneAt, localDate, minutesOfDay } from "@/lib/presenters/period-status";
import { dailyPeriod } from "@/lib/runner/schedule/periods";
import type { AlertChannel } from "@/lib/schemas/alert-channels";

// One tick of the alert loop. The time-zone maths (which daily period is due today and when it
// should be done) is the dashboard's own (period-status, periods): computed here per service with
// an expectation, then everything else is decided in SQL.

export type AlertSettings = {
  channels: AlertChannel[];
  publicUrl: string;
  longRunningFactor: number;
  /** long_running needs the run to be this many minutes over its usual time as well: short runs vary a lot */
  longRunningMinOverMinutes: number;
  stuckQueueMinutes: number;
  runnerStaleSeconds: number;
  /** scheduler_unreachable opens when a runner has not reached the scheduler for this long */
  schedulerUnreachableSeconds: number;
  /** how many days back the failed-run rule looks at ended runs (an older failure opens nothing new) */
  lookbackDays: number;
};

export const defaultAlertSettings: Omit<AlertSettings, "channels" | "publicUrl"> = {
  longRunningFactor: 3,
  longRunningMinOverMinutes: 10,
  stuckQueueMinutes: 30,
  runnerStaleSeconds: 60,
  schedulerUnreachableSeconds: 60,
  lookbackDays: 3,
};

export async function evaluateAlerts(pool: pg.Pool, settings: AlertSettings, now: Date) {
  const sla = await slaDeadlines(pool, now);
  const input: EvaluateInput = {
    now,
    failedSince: new Date(now.getTime() - settings.lookbackDays * 86_400_000),
    sla,
    longRunningFactor: settings.longRunningFactor,
    longRunningMinOverSeconds: settings.longRunningMinOverMinutes * 60,
    stuckQueueMinutes: settings.stuckQueueMinutes,
    runnerStaleSeconds: settings.runnerStaleSeconds,
    schedulerUnreachableSeconds: settings.schedulerUnreachableSeconds,
    // the channels other live loops send to as well: judged by this process's list alone, a
    // channel only some processes know would be opened by one evaluator and resolved by the next
    activeChannels: sentToChannelNames(settings.channels, await liveSenders(pool)),
  };
  return evaluateIncidents(pool, input, async (client, changes) => {
    await leadWithFailedTasks(client, changes);
    await enqueueChanges(client, settings.channels, settings.publicUrl, now, changes);
  });
}

/**
 * The daily period due today (its expected-done-by falls on today's local date) whose time has
 * passed. Earlier misses stay open until done: only opening looks at today.
 */
async function slaDeadlines(pool: pg.Pool, now: Date): Promise<EvaluateInput["sla"]> {
  const out: EvaluateInput["sla"] = { serviceIds: [], periodDates: [], periodStarts: [], deadlines: [] };
  const nowMs = now.getTime();
  for (const s of await listSlaServices(pool)) {
    const schedule = { ...s, hourlyMinute: 0, enabled: true, paused: false, createdAt: s.createdAt.getTime() };
    const today = localDate(nowMs, s.timeZone);
    // expected_done_by falls on D + 1, or D + 2 when it is not later than daily_time (period-status)
    const date = addDays(today, minutesOfDay(s.expectedDoneBy) <= minutesOfDay(s.dailyTime) ? -2 : -1);
    const deadline = expectedDoneAt(schedule, date);
    const period = dailyPeriod(schedule, date);
    if (deadline === null || !period || deadline > nowMs) continue;
    if (schedule.createdAt > period.dueAt.getTime()) continue; // it did not exist when this period was due
    out.serviceIds.push(s.id);
    out.periodDates.push(date);
    out.periodStarts.push(period.start);
    out.deadlines.push(new Date(deadline));
  }
  return out;
}
