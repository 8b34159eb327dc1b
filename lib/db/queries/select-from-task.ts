import type { Queryable } from "@/lib/db/runs/run-columns";

// Whether a "re-run from this task" names a task of the period: the newest run of the period
// that knows its root task, walked down its stored dependency edges (task_dependencies' primary
// key), each member's family read from Luigi's history (ix_tasks_task_id). The cost follows the
// run's own tasks, capped at CLOSURE_CAP of them. A root with no stored edge below it tells
// nothing about the run's tasks, and refuses nothing.

const CLOSURE_CAP = 5000;

export type FromTaskCheck =
  /** no run of the period knows its root task: nothing to check against */
  | { kind: "unknown" }
  | { kind: "found" }
  | { kind: "missing"; rootTaskId: string; families: string[] };

export async function checkFromTask(db: Queryable, period: { serviceId: number; kind: "daily" | "hourly"; periodStart: Date }, fromTask: string): Promise<FromTaskCheck> {
  const r = await db.query<{ root_task_id: string | null; members: number; found: boolean | null; families: string[] | null }>(
    `WITH root AS (
       SELECT r.root_task_id FROM runs r
        WHERE r.service_id = $1 AND r.kind = $2::run_kind AND r.period_start = $3 AND r.root_task_id IS NOT NULL
        ORDER BY r.id DESC LIMIT 1
     ), members AS (
       SELECT task_id FROM (
         WITH RECURSIVE down(task_id) AS (
           SELECT root_task_id FROM root
           UNION
           SELECT d.dep_task_id FROM down CROSS JOIN LATERAL (SELECT d.dep_task_id FROM task_dependencies d WHERE d.task_id = down.task_id OFFSET 0) d
         ) SELECT task_id FROM down LIMIT ${CLOSURE_CAP}) m
     ), named AS (
       SELECT m.task_id, (SELECT t.name FROM tasks t WHERE t.task_id = left(m.task_id, 200) ORDER BY t.id DESC LIMIT 1) AS family FROM members m
     )
     SELECT (SELECT root_task_id FROM root) AS root_task_id, count(*)::int AS members,
            bool_or(task_id = $4 OR family = $4) AS found,
            array_agg(DISTINCT family ORDER BY family) FILTER (WHERE family IS NOT NULL) AS families
       FROM named`,
    [period.serviceId, period.kind, period.periodStart, fromTask],
  );
  const row = r.rows[0];
  if (!row?.root_task_id) return { kind: "unknown" };
  if (row.found) return { kind: "found" };
  // no stored edge below the root (history a luigid wrote, edges dropped with old months): the
  // run's tasks are not known, so nothing is refused
  if (row.members < 2) return { kind: "unknown" };
  return { kind: "missing", rootTaskId: row.root_task_id, families: row.families ?? [] };
}
