import type pg from "pg";
import { withTransaction } from "@/lib/db/transaction";

// Task search across Luigi's history: by family (ix_tasks_name_id, newest first), parameter values
// (each checked through task_parameters' primary key per candidate, in the month partition of the
// row's parameters) and status (the task row's latest event, ix_task_events_task_id). Newest task
// rows first, keyset-paged by row id. The history has no index on parameter values (its indexes
// are luigid's, unchanged), so a search by value alone walks rows newest-first until it has a page;
// a statement timeout bounds the worst case. Luigi's tasks table is one plain table (migration
// 20261205080000), so one index walk serves every month: the walk month by month that the
// partitioned table needed is gone.

export type TaskSearch = {
  family?: string | null;
  params?: Array<{ name: string; value: string }>;
  status?: string | null;
  before?: number | null;
  limit?: number;
};

export type TaskHit = {
  id: number;
  taskId: string | null;
  family: string | null;
  host: string | null;
  status: string | null;
  lastEventAt: string | null;
  params: Record<string, string | null>;
  /** the newest run that ran it (RUN_OF_TASK), or null */
  runId: number | null;
};

export const SEARCH_TIMEOUT_MS = 10_000;

/**
 * The run the hit `h` took part in: a run whose root task is the task itself or one that depends
 * on it, up the stored edges (task_dependencies_dep_task_id_idx, then runs_root_task_id_idx per
 * ancestor) — of those, the newest that had started by the task's last event (a failed attempt's
 * row leads to that attempt, not to the re-run that came after), else the newest. Read for the
 * page's rows only, after the limit; null for a task no run launched (a Luigi worker started by
 * hand, or history from a luigid). The walk stops after RUN_WALK_TASKS
 * tasks, nearest first (a LIMIT ends a recursive query's evaluation): a hub that every root of
 * every day depends on would otherwise walk the whole history for each row of the page.
 */
const RUN_WALK_TASKS = 500;
const RUN_OF_TASK = `
WITH RECURSIVE up(task_id) AS (
  SELECT h.task_id::text
  UNION
  SELECT d.task_id FROM up CROSS JOIN LATERAL (SELECT d.task_id FROM task_dependencies d WHERE d.dep_task_id = up.task_id OFFSET 0) d
)
SELECT coalesce(max(r.id) FILTER (WHERE r.started_at <= h.last_at), max(r.id))
  FROM (SELECT task_id FROM up LIMIT ${RUN_WALK_TASKS}) u
 CROSS JOIN LATERAL (SELECT r.id, r.started_at FROM runs r WHERE r.root_task_id = u.task_id OFFSET 0) r`;

export function buildTaskSearch(search: TaskSearch): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const add = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  if (search.family) where.push(`t.name = ${add(search.family)}`);
  if (search.before) where.push(`t.id < ${add(search.before)}`);
  for (const p of search.params ?? []) {
    where.push(`EXISTS (SELECT 1 FROM task_parameters p WHERE p.task_id = t.id AND p.history_month = t.history_month AND p.name = ${add(p.name)} AND p.value = ${add(p.value)})`);
  }
  if (search.status) where.push(`last.event_name = ${add(search.status)}`);
  const text = `
SELECT h.*, (${RUN_OF_TASK}) AS run_id FROM (
SELECT t.id, t.task_id, t.name, t.host, last.event_name, last.ts AT TIME ZONE 'UTC' AS last_at,
       -- timestamp without time zone, UTC by contract (SPEC §8.2)
       to_char(last.ts, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts,
       coalesce((SELECT json_object_agg(p.name, p.value ORDER BY p.name) FROM task_parameters p WHERE p.task_id = t.id AND p.history_month = t.history_month), '{}') AS params
  FROM tasks t
  LEFT JOIN LATERAL (SELECT e.event_name, e.ts FROM task_events e WHERE e.task_id = t.id ORDER BY e.id DESC LIMIT 1) last ON true
 ${where.length ? `WHERE ${where.join("\n   AND ")}` : ""}
 ORDER BY t.id DESC
 LIMIT ${add(search.limit ?? 50)}) h
 ORDER BY h.id DESC`;
  return { text, values };
}

type Row = { id: number; task_id: string | null; name: string | null; host: string | null; event_name: string | null; ts: string | null; params: Record<string, string | null>; run_id: string | null };

export async function searchTasks(pool: pg.Pool, search: TaskSearch): Promise<TaskHit[]> {
  return withTransaction(pool, async (client) => {
    await client.query(`SET LOCAL statement_timeout = ${SEARCH_TIMEOUT_MS}`);
    const { rows } = await client.query<Row>(buildTaskSearch(search));
    return rows.map((row) => ({
      id: row.id,
      taskId: row.task_id,
      family: row.name,
      host: row.host,
      status: row.event_name,
      lastEventAt: row.ts,
      params: row.params,
      runId: row.run_id === null ? null : Number(row.run_id),
    }));
  }, { readOnly: true });
}
