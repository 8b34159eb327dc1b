import type pg from "pg";

// A run's tasks from Luigi's history, until the scheduler's dependency edges are wired in.
// History links nothing to a run, so membership is inferred (and labelled so on the page):
//   - the window: events between the run's start and end (ix_task_events_ts), a margin either side;
//   - the root: the tasks row with the run's root task id (ix_tasks_task_id) that has events in
//     the window, else the newest row with that id;
//   - the others: tasks with events in the window that share at least one parameter name with the
//     root and agree on the value of every parameter name they share (service_id=7, day=…).
// Cost follows the events written during the run (all services' work in that window), never
// the whole history. The window also separates attempts: luigid reuses a tasks row for the same
// task id within one process lifetime, so a retry appends its events to the first attempt's row.

export type RunTaskEvent = { name: string; ts: string };
export type RunTask = {
  id: number;
  taskId: string | null;
  family: string | null;
  host: string | null;
  isRoot: boolean;
  params: Record<string, string | null>;
  events: RunTaskEvent[];
};

// Bounds are bound as naive UTC timestamps (the history's ts type) and written inline, not
// joined from a CTE: only then can the planner bound the ix_task_events_ts range scan.
const SQL = `
WITH root AS (
  SELECT coalesce(
    (SELECT t.id FROM tasks t WHERE t.task_id = $1
        AND EXISTS (SELECT 1 FROM task_events e WHERE e.task_id = t.id AND e.ts BETWEEN $2::timestamp AND $3::timestamp)
      ORDER BY t.id DESC LIMIT 1),
    (SELECT t.id FROM tasks t WHERE t.task_id = $1 ORDER BY t.id DESC LIMIT 1)) AS id
),
root_params AS (SELECT p.name, p.value FROM task_parameters p WHERE p.task_id = (SELECT id FROM root)),
in_window AS (SELECT DISTINCT e.task_id FROM task_events e WHERE e.ts BETWEEN $2::timestamp AND $3::timestamp),
members AS (
  SELECT id AS task_id FROM root WHERE id IS NOT NULL
  UNION
  (SELECT w.task_id FROM in_window w
    WHERE EXISTS (SELECT 1 FROM root_params rp JOIN task_parameters p ON p.task_id = w.task_id AND p.name = rp.name)
      AND NOT EXISTS (SELECT 1 FROM root_params rp JOIN task_parameters p ON p.task_id = w.task_id AND p.name = rp.name
                       WHERE p.value IS DISTINCT FROM rp.value)
    LIMIT $4)
)
SELECT t.id, t.task_id, t.name, t.host, t.id = (SELECT id FROM root) AS is_root,
       coalesce((SELECT json_object_agg(p.name, p.value ORDER BY p.name) FROM task_parameters p WHERE p.task_id = t.id), '{}') AS params,
       coalesce((SELECT json_agg(json_build_array(e.event_name, e.ts) ORDER BY e.ts, e.id)
                   FROM task_events e WHERE e.task_id = t.id AND e.ts BETWEEN $2::timestamp AND $3::timestamp), '[]') AS events
  FROM members m JOIN tasks t ON t.id = m.task_id
 ORDER BY is_root DESC, t.id`;

const MARGIN_MS = 60_000;

export async function selectRunTasks(pool: pg.Pool, rootTaskId: string, from: number, to: number, limit = 2000): Promise<RunTask[]> {
  const r = await pool.query<{ id: number; task_id: string | null; name: string | null; host: string | null; is_root: boolean; params: Record<string, string | null>; events: Array<[string, string]> }>(
    SQL,
    [rootTaskId, naiveUtc(from - MARGIN_MS), naiveUtc(to + MARGIN_MS), limit],
  );
  return r.rows.map((row) => ({
    id: row.id,
    taskId: row.task_id,
    family: row.name,
    host: row.host,
    isRoot: row.is_root,
    params: row.params,
    // json_build_array renders a timestamp without time zone as "2026-11-22T02:00:05.12": UTC by contract (SPEC §8.2)
    events: row.events.map(([name, ts]) => ({ name, ts: new Date(`${ts}Z`).toISOString() })),
  }));
}

/** "2026-11-22 02:00:05.123": the history's timestamp-without-time-zone, which holds UTC. */
const naiveUtc = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");
