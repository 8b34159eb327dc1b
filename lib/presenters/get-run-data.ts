import type pg from "pg";
import { selectPeriodIncidents, type PeriodIncident } from "@/lib/db/alerts/select-period-incidents";
import { selectPeriodAttempts, type Attempt } from "@/lib/db/queries/select-period-attempts";
import { selectRun, type RunDetail } from "@/lib/db/queries/select-run";
import { selectRunTasks } from "@/lib/db/queries/select-run-tasks";
import { liveEdges } from "@/lib/presenters/get-run-graph";
import { failedTasks, toTaskViews, type RunTaskView } from "@/lib/presenters/get-run-task-views";

// The Run page: the run, every attempt of its period, and its tasks — the root task's dependency
// closure (select-run-tasks), each with its status as of the run and now. One read model feeds the
// Error box (failed tasks first, the runner's inference second), the DAG, the timeline and the table.

export type { RunTaskView, TaskStatus } from "@/lib/presenters/get-run-task-views";

export type RunData = {
  generatedAt: string;
  run: RunDetail;
  attempts: Attempt[];
  tasks: RunTaskView[];
  /** The run's failed tasks, the first to fail first. */
  failures: RunTaskView[];
  /** Where the edges came from: the stored dependencies, or the live scheduler for runs that have none stored. */
  edgesFrom: "history" | "scheduler" | "none";
  tasksWindow: { from: string; to: string } | null;
  /** The latest run of its period (only it may be re-run). */
  latest: boolean;
  active: boolean;
  /** open incidents of the run's period (the alerts' mark on the page) */
  incidents: PeriodIncident[];
};

export async function getRunData(pool: pg.Pool, id: number, now = Date.now(), options: { schedulerUrl?: string } = {}): Promise<RunData | null> {
  const run = await selectRun(pool, id);
  if (!run) return null;
  const window = taskWindow(run, now);
  const [attempts, stored, incidents] = await Promise.all([
    selectPeriodAttempts(pool, run),
    run.rootTaskId && window ? selectRunTasks(pool, run.rootTaskId, window.from, window.to) : Promise.resolve([]),
    selectPeriodIncidents(pool, run),
  ]);
  let tasks = stored;
  let edgesFrom: RunData["edgesFrom"] = tasks.length > 1 ? "history" : "none";
  const liveErrors = new Map<string, string>();
  // no stored edges (history written by a luigid, or before task_dependencies existed): ask the
  // scheduler, which still holds the graph while the run's tasks are fresh
  if (tasks.length === 1 && run.rootTaskId && window && options.schedulerUrl) {
    const live = await liveEdges(options.schedulerUrl, run.rootTaskId);
    if (live && live.edges.length > 0) {
      tasks = await selectRunTasks(pool, run.rootTaskId, window.from, window.to, live.edges);
      for (const [taskId, error] of live.errors) liveErrors.set(taskId, error);
      edgesFrom = "scheduler";
    }
  }
  const bounds = window ? { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() } : null;
  const views = bounds ? toTaskViews(tasks, bounds, liveErrors) : [];
  return {
    generatedAt: new Date(now).toISOString(),
    run,
    attempts,
    tasks: views,
    failures: failedTasks(views),
    edgesFrom,
    tasksWindow: bounds,
    latest: !attempts.some((a) => a.id > run.id),
    incidents,
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
