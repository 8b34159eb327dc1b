import type pg from "pg";
import type { Queryable } from "@/lib/db/runs/run-columns";

// A run's tasks: the root task's dependency closure (issue 13), never a parameter match. Edges come
// from task_dependencies, which the scheduler writes when add_task carries deps, plus any edges the
// caller passes (the live scheduler's dep_graph, for runs whose edges were never stored: history
// written by a luigid, or before the table existed). Each task's history rows are then read by
// task id (ix_tasks_task_id, ix_task_events_task_id), and split here:
//   - events: those between the run's start and end (a small margin either side for clock skew);
//   - statusAtEnd: the last event up to the run's end — a task already DONE before the run gets no
//     new event (the scheduler records no DONE→DONE), so "as of that run" must look back;
//   - current: the last event of all, for "now DONE" beside an old run's FAILED;
//   - failure: the explanation the worker sent with the run's last FAILED (task_failures).
// Cost follows the closure's size (the run's tasks), never the size of the history. The history is
// partitioned by month: a task's parameters are read in its row's month only (history_month).

export type RunTaskEvent = { name: string; ts: string };
export type RunTask = {
  taskId: string;
  historyId: number | null;
  family: string;
  host: string | null;
  isRoot: boolean;
  deps: string[];
  params: Record<string, string | null>;
  events: RunTaskEvent[];
  statusAtEnd: string | null;
  current: RunTaskEvent | null;
  failure: string | null;
};

// The walk follows edges, each task's out-edges read once through the primary key (a lateral
// subquery), never a scan of the whole table (a CTE over task_dependencies would be materialised
// and grow with history); UNION on (task, dep) pairs stops at cycles and shared dependencies.
// Extra edges (the live scheduler's) are only joined in when there are some.
const depsOf = (task: string, extra: boolean) => `
  SELECT d.dep_task_id AS dep FROM task_dependencies d WHERE d.task_id = ${task}${extra ? `
  UNION SELECT x.d FROM unnest($5::text[], $6::text[]) AS x(t, d) WHERE x.t = ${task}` : ""}`;

// From the closure on, each member's rows are read through their task-id index as LATERAL
// subqueries that PostgreSQL may not flatten into joins (OFFSET 0, or an aggregate): with the
// history partitioned by month the planner's estimates for the closure swing, and a flattened
// join flipped to a hash join over whole months (seq scans of every task and event of the month),
// or to a nested loop comparing every member with every parameter row (2,000 × 2,000 at 2,000
// tasks: 235 ms of a 300 ms budget). A task row's events are never older than its row's month
// (a day of margin: a luigid writes its host's local time, the month default is the database's),
// so each event probe skips the partitions of the months before.
// Every event of the members' history rows is returned; the window is applied in selectRunTasks
// (a task id is one task for one period, so its events are few).
const sql = (extra: boolean) => `
WITH RECURSIVE walk(task_id, dep) AS (
  SELECT $1::text, n.dep FROM (${depsOf("$1::text", extra)}) n
  UNION
  SELECT w.dep, n.dep FROM (SELECT DISTINCT dep FROM walk) w CROSS JOIN LATERAL (${depsOf("w.dep", extra)}) n
), members AS (
  SELECT task_id FROM (SELECT $1::text AS task_id UNION SELECT dep FROM walk) m LIMIT $4
), edges AS (
  SELECT task_id, array_agg(dep ORDER BY dep) AS deps FROM walk GROUP BY task_id
), rows AS (
  SELECT m.task_id, t.id, t.name, t.host, t.history_month FROM members m
   CROSS JOIN LATERAL (SELECT t.id, t.name, t.host, t.history_month FROM tasks t WHERE t.task_id = left(m.task_id, 200) OFFSET 0) t
), newest AS (
  SELECT DISTINCT ON (task_id) task_id, id, name, host, history_month FROM rows ORDER BY task_id, id DESC
), events AS (
  SELECT r.task_id, json_agg(json_build_array(e.event_name, e.ts) ORDER BY e.ts, e.id) AS events
    FROM rows r CROSS JOIN LATERAL (
      SELECT e.event_name, e.ts, e.id FROM task_events e WHERE e.task_id = r.id AND e.ts >= r.history_month - 1 OFFSET 0
    ) e GROUP BY r.task_id
), failures AS (
  SELECT DISTINCT ON (f.task_id) f.task_id, f.explanation FROM members m JOIN task_failures f ON f.task_id = m.task_id
   WHERE f.ts BETWEEN $2::timestamp AND $3::timestamp ORDER BY f.task_id, f.ts DESC
)
SELECT m.task_id, n.id AS history_id, n.name, n.host, coalesce(d.deps, '{}') AS deps, coalesce(p.params, '{}') AS params,
       coalesce(ev.events, '[]') AS events, f.explanation AS failure
  FROM members m
  LEFT JOIN newest n ON n.task_id = m.task_id
  LEFT JOIN edges d ON d.task_id = m.task_id
  LEFT JOIN LATERAL (
    SELECT json_object_agg(tp.name, tp.value ORDER BY tp.name) AS params
      FROM task_parameters tp WHERE tp.task_id = n.id AND tp.history_month = n.history_month
  ) p ON true
  LEFT JOIN events ev ON ev.task_id = m.task_id
  LEFT JOIN failures f ON f.task_id = m.task_id
 ORDER BY m.task_id = $1 DESC, m.task_id`;
const SQL = sql(false);
const SQL_WITH_EDGES = sql(true);

/** Clock skew between the runner's host and the scheduler's; small, so a quick retry's events stay its own. */
const MARGIN_MS = 10_000;
export const RUN_TASK_LIMIT = 5_000;

type Row = {
  task_id: string;
  history_id: number | null;
  name: string | null;
  host: string | null;
  deps: string[];
  params: Record<string, string | null>;
  events: Array<[string, string]>;
  failure: string | null;
};

export async function selectRunTasks(
  pool: Queryable,
  rootTaskId: string,
  from: number,
  to: number,
  extraEdges: Array<[string, string]> = [],
  limit = RUN_TASK_LIMIT,
): Promise<RunTask[]> {
  const extra = extraEdges.length > 0;
  const bounds = [rootTaskId, naiveUtc(from - MARGIN_MS), naiveUtc(to + MARGIN_MS), limit];
  const r = await pool.query<Row>(
    extra
      ? { name: "select-run-tasks-with-edges", text: SQL_WITH_EDGES, values: [...bounds, extraEdges.map((e) => e[0]), extraEdges.map((e) => e[1])] }
      : { name: "select-run-tasks", text: SQL, values: bounds },
  );
  const [lo, hi] = [from - MARGIN_MS, to + MARGIN_MS];
  return r.rows.map((row) => {
    // json_build_array renders a timestamp without time zone as "2026-11-22T02:00:05.12": UTC by contract (SPEC §8.2)
    const all = row.events.map(([name, ts]) => ({ name, ts: utc(ts), ms: Date.parse(`${ts}Z`) }));
    const atEnd = all.filter((e) => e.ms <= hi).at(-1);
    const last = all.at(-1);
    return {
      taskId: row.task_id,
      historyId: row.history_id,
      family: row.name ?? familyOf(row.task_id),
      host: row.host,
      isRoot: row.task_id === rootTaskId,
      deps: row.deps,
      params: row.params,
      events: all.filter((e) => e.ms >= lo && e.ms <= hi).map(({ name, ts }) => ({ name, ts })),
      statusAtEnd: atEnd?.name ?? null,
      current: last ? { name: last.name, ts: last.ts } : null,
      failure: row.failure,
    };
  });
}

/** Luigi's task id starts with the family: "Extract_2026_11_22_7_bbbb" → "Extract". */
const familyOf = (taskId: string) => taskId.split("_")[0];
const utc = (ts: string) => new Date(`${ts}Z`).toISOString();
/** "2026-11-22 02:00:05.123": the history's timestamp-without-time-zone, which holds UTC. */
const naiveUtc = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

/** The plan of the statement, for bench/run-page (EXPLAIN=1). */
export async function explainRunTasks(pool: pg.Pool, rootTaskId: string, from: number, to: number): Promise<string> {
  const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${SQL}`, [rootTaskId, naiveUtc(from - MARGIN_MS), naiveUtc(to + MARGIN_MS), RUN_TASK_LIMIT]);
  return r.rows.map((row) => row["QUERY PLAN"]).join("\n");
}
