import type { Queryable } from "@/lib/db/runs/run-columns";
import { selectRunTasks } from "@/lib/db/queries/select-run-tasks";

// Whether a "re-run from this task" names a task of the period: the tasks of the newest run of
// the period that knows its root task, read as the run page reads them (selectRunTasks: the root's
// stored dependency closure, each task's family). A root with no stored edge below it tells
// nothing about the run's tasks, and refuses nothing.

export type FromTaskCheck =
  /** no run of the period knows its root task, or its tasks are not stored: nothing to check against */
  | { kind: "unknown" }
  | { kind: "found" }
  | { kind: "missing"; rootTaskId: string; families: string[] };

export async function checkFromTask(db: Queryable, period: { serviceId: number; kind: "daily" | "hourly"; periodStart: Date }, fromTask: string): Promise<FromTaskCheck> {
  const r = await db.query<{ root_task_id: string }>(
    `SELECT root_task_id FROM runs
      WHERE service_id = $1 AND kind = $2::run_kind AND period_start = $3 AND root_task_id IS NOT NULL
      ORDER BY id DESC LIMIT 1`,
    [period.serviceId, period.kind, period.periodStart],
  );
  const rootTaskId = r.rows[0]?.root_task_id;
  if (!rootTaskId) return { kind: "unknown" };
  // only ids and families are read here: the window for the tasks' events does not matter
  const tasks = await selectRunTasks(db, rootTaskId, Date.now(), Date.now());
  if (tasks.some((t) => t.taskId === fromTask || t.family === fromTask)) return { kind: "found" };
  if (tasks.length < 2) return { kind: "unknown" };
  return { kind: "missing", rootTaskId, families: [...new Set(tasks.map((t) => t.family))].sort() };
}
