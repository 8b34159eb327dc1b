import type pg from "pg";
import { selectPeriodAttempts, type Attempt } from "@/lib/db/queries/select-period-attempts";
import { selectRun, type RunDetail } from "@/lib/db/queries/select-run";
import { selectRunTasks, type RunTask } from "@/lib/db/queries/select-run-tasks";

// The Run page: the run, every attempt of its period, and the tasks Luigi's history recorded
// while it ran (root task first) with their parameters and events. The live dependency graph
// comes from the scheduler's dep_graph RPC once it is wired (the page shows that section empty
// and says so); nothing here is inferred beyond what select-run-tasks documents.

export type TaskStatus = "PENDING" | "RUNNING" | "DONE" | "FAILED" | "DISABLED" | "UNKNOWN";
export type RunTaskView = RunTask & { status: TaskStatus; lastEventAt: string | null };
export type TimelineEvent = { ts: string; name: string; taskRowId: number; family: string | null; taskId: string | null };

export type RunData = {
  generatedAt: string;
  run: RunDetail;
  attempts: Attempt[];
  tasks: RunTaskView[];
  tasksWindow: { from: string; to: string } | null;
  timeline: TimelineEvent[];
  timelineTruncated: boolean;
  active: boolean;
};

export const TIMELINE_LIMIT = 500;

export async function getRunData(pool: pg.Pool, id: number, now = Date.now()): Promise<RunData | null> {
  const run = await selectRun(pool, id);
  if (!run) return null;
  const window = taskWindow(run, now);
  const [attempts, tasks] = await Promise.all([
    selectPeriodAttempts(pool, run),
    run.rootTaskId && window ? selectRunTasks(pool, run.rootTaskId, window.from, window.to) : Promise.resolve([]),
  ]);
  const views = tasks.map((t): RunTaskView => {
    const last = t.events[t.events.length - 1];
    return { ...t, status: (last?.name as TaskStatus) ?? "UNKNOWN", lastEventAt: last?.ts ?? null };
  });
  const timeline = views
    .flatMap((t) => t.events.map((e) => ({ ts: e.ts, name: e.name, taskRowId: t.id, family: t.family, taskId: t.taskId })))
    .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return {
    generatedAt: new Date(now).toISOString(),
    run,
    attempts,
    tasks: views,
    tasksWindow: window ? { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() } : null,
    timeline: timeline.slice(-TIMELINE_LIMIT),
    timelineTruncated: timeline.length > TIMELINE_LIMIT,
    active: run.status === "running" || run.status === "queued",
  };
}

/** From the start to the end of the run (now while it runs); none before it started. */
function taskWindow(run: RunDetail, now: number): { from: number; to: number } | null {
  if (!run.startedAt) return null;
  const from = Date.parse(run.startedAt);
  const end = run.finishedAt ?? (run.status === "running" ? null : run.lastUpdateAt);
  return { from, to: end ? Date.parse(end) : now };
}
