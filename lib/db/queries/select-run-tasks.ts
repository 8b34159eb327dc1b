import type pg from "pg";

// A run's tasks: the root task's dependency closure (issue 13), never a parameter match. Edges come
// from task_dependencies, which the scheduler writes when add_task carries deps, plus any edges the
// caller passes (the live scheduler's dep_graph, for runs whose edges were never stored: history
// written by a luigid, or before the table existed). Each task's history rows are then read by
// task id (ix_tasks_task_id, ix_task_events_task_id):
//   - events: those between the run's start and end (a small margin either side for clock skew);
//   - statusAtEnd: the last event up to the run's end — a task already DONE before the run gets no
//     new event (the scheduler records no DONE→DONE), so "as of that run" must look back;
//   - current: the last event of all, for "now DONE" beside an old run's FAILED;
//   - failure: the explanation the worker sent with the run's last FAILED (task_failures).
// Cost follows the closure's size (the run's tasks), never the size of the history.

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

// Edges are read per task through the primary key (a lateral subquery), never as a scan of the
// whole table: a CTE over task_dependencies would be materialised and grow with history.
const DEPS_OF = (task: string) => `
  SELECT d.dep_task_id AS dep FROM task_dependencies d WHERE d.task_id = ${task}
  UNION SELECT x.d FROM unnest($5::text[], $6::text[]) AS x(t, d) WHERE x.t = ${task}`;

const SQL = `
WITH RECURSIVE closure(task_id) AS (
  SELECT $1::text
  UNION
  SELECT n.dep FROM closure c CROSS JOIN LATERAL (${DEPS_OF("c.task_id")}) n
), members AS (SELECT task_id FROM closure LIMIT $4)
SELECT m.task_id, h.id AS history_id, h.name, h.host,
       coalesce((SELECT array_agg(n.dep ORDER BY n.dep) FROM (${DEPS_OF("m.task_id")}) n), '{}') AS deps,
       coalesce((SELECT json_object_agg(p.name, p.value ORDER BY p.name) FROM task_parameters p WHERE p.task_id = h.id), '{}') AS params,
       coalesce((SELECT json_agg(json_build_array(ev.event_name, ev.ts) ORDER BY ev.ts, ev.id)
                   FROM tasks t JOIN task_events ev ON ev.task_id = t.id
                  WHERE t.task_id = left(m.task_id, 200) AND ev.ts BETWEEN $2::timestamp AND $3::timestamp), '[]') AS events,
       (SELECT ev.event_name FROM tasks t JOIN task_events ev ON ev.task_id = t.id
         WHERE t.task_id = left(m.task_id, 200) AND ev.ts <= $3::timestamp ORDER BY ev.ts DESC, ev.id DESC LIMIT 1) AS status_at_end,
       (SELECT json_build_array(ev.event_name, ev.ts) FROM tasks t JOIN task_events ev ON ev.task_id = t.id
         WHERE t.task_id = left(m.task_id, 200) ORDER BY ev.ts DESC, ev.id DESC LIMIT 1) AS current,
       (SELECT f.explanation FROM task_failures f
         WHERE f.task_id = m.task_id AND f.ts BETWEEN $2::timestamp AND $3::timestamp ORDER BY f.ts DESC LIMIT 1) AS failure
  FROM members m
  LEFT JOIN LATERAL (SELECT t.id, t.name, t.host FROM tasks t WHERE t.task_id = left(m.task_id, 200) ORDER BY t.id DESC LIMIT 1) h ON true
 ORDER BY m.task_id = $1 DESC, m.task_id`;

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
  status_at_end: string | null;
  current: [string, string] | null;
  failure: string | null;
};

export async function selectRunTasks(
  pool: pg.Pool,
  rootTaskId: string,
  from: number,
  to: number,
  extraEdges: Array<[string, string]> = [],
  limit = RUN_TASK_LIMIT,
): Promise<RunTask[]> {
  const r = await pool.query<Row>({
    name: "select-run-tasks",
    text: SQL,
    values: [rootTaskId, naiveUtc(from - MARGIN_MS), naiveUtc(to + MARGIN_MS), limit, extraEdges.map((e) => e[0]), extraEdges.map((e) => e[1])],
  });
  return r.rows.map((row) => ({
    taskId: row.task_id,
    historyId: row.history_id,
    family: row.name ?? familyOf(row.task_id),
    host: row.host,
    isRoot: row.task_id === rootTaskId,
    deps: row.deps,
    params: row.params,
    // json_build_array renders a timestamp without time zone as "2026-11-22T02:00:05.12": UTC by contract (SPEC §8.2)
    events: row.events.map(([name, ts]) => ({ name, ts: utc(ts) })),
    statusAtEnd: row.status_at_end,
    current: row.current ? { name: row.current[0], ts: utc(row.current[1]) } : null,
    failure: row.failure,
  }));
}

/** Luigi's task id starts with the family: "Extract_2026_11_22_7_bbbb" → "Extract". */
const familyOf = (taskId: string) => taskId.split("_")[0];
const utc = (ts: string) => new Date(`${ts}Z`).toISOString();
/** "2026-11-22 02:00:05.123": the history's timestamp-without-time-zone, which holds UTC. */
const naiveUtc = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");
