import type { Queryable } from "@/lib/db/runs/run-columns";
import type { RunKind } from "@/lib/runner/run-states";

// Runs launched elsewhere (issue 12), read from the durable Luigi history the scheduler writes
// within a checkpoint interval of each acknowledged state change, one checkpoint at a time, so
// event ids grow in commit order (lib/scheduler/HISTORY.md): a cursor over
// task_events ids (its primary key) finds new PENDING/RUNNING events of root-task families, and
// the latest event of each followed root task decides done or failed. Chosen over polling the
// scheduler's task_list RPC: no load on the scheduler, nothing missed while a runner is down (the
// cursor starts a few hours back), and it works with a real luigid writing record_task_history.

/** `at`: the event's ts as written, the scheduler host's local time without a zone (HISTORY.md). */
export type RootTaskEvent = { eventId: number; event: string; at: string; taskId: string; family: string; host: string | null; params: Record<string, string | null>; worker: string | null };

/** Where a runner starts reading: the first event of the last `hours` (ix_task_events_ts), or the end. */
export async function externalEventCursor(db: Queryable, hours: number): Promise<number> {
  const r = await db.query(
    `SELECT coalesce((SELECT id - 1 FROM task_events WHERE ts >= localtimestamp - make_interval(hours => $1) ORDER BY ts LIMIT 1),
                     (SELECT max(id) FROM task_events), 0)::int AS cursor`,
    [hours],
  );
  return r.rows[0].cursor;
}

/**
 * The root-task PENDING/RUNNING events after `after`, and the cursor to read from next: the last
 * event id scanned, matching or not. One statement, so the cursor and the events come from the same
 * snapshot: computed by a second query, the cursor could skip past an event the scheduler committed
 * in between (its root PENDING), the run was then recorded late from its RUNNING event (already
 * done) and recorded again when a restarted runner read the skipped event (flaky external-runs test).
 */
export async function readRootTaskEvents(db: Queryable, after: number, families: string[], limit = 5000): Promise<{ events: RootTaskEvent[]; cursor: number }> {
  const r = await db.query(
    `WITH scan AS (SELECT id, task_id, event_name, ts FROM task_events WHERE id > $1 ORDER BY id LIMIT $3),
          root AS (SELECT e.id, e.event_name, to_char(e.ts, 'YYYY-MM-DD"T"HH24:MI:SS.US') AS at, t.task_id, t.name, t.host, st.worker_running,
                          (SELECT json_object_agg(p.name, p.value) FROM task_parameters p WHERE p.task_id = t.id AND p.history_month = t.history_month) AS params
                     FROM scan e
                     JOIN tasks t ON t.id = e.task_id AND t.name = ANY($2::text[])
                     LEFT JOIN scheduler_tasks st ON st.task_id = t.task_id
                    WHERE e.event_name IN ('PENDING', 'RUNNING'))
     SELECT (SELECT max(id) FROM scan) AS scanned, root.*
       FROM (SELECT 1) one LEFT JOIN root ON true
      ORDER BY root.id`,
    [after, families, limit],
  );
  const scanned = r.rows[0]?.scanned;
  const cursor = scanned === null || scanned === undefined ? after : Number(scanned);
  const events = r.rows
    .filter((row) => row.id !== null)
    .map((row) => ({
      eventId: Number(row.id),
      event: row.event_name,
      at: row.at,
      taskId: row.task_id,
      family: row.name,
      host: row.host,
      params: row.params ?? {},
      worker: row.worker_running,
    }));
  return { events, cursor };
}

/** `at` and `timeZone`: the event's local time and the zone to read it in (the scheduler host's; see ExternalWatcher). */
export type ExternalRunInput = {
  serviceId: number;
  kind: RunKind;
  periodStart: Date;
  periodDate: string;
  periodHour: number | null;
  taskId: string;
  host: string | null;
  worker: string | null;
  at: string;
  timeZone: string;
};

/**
 * A run of the period blocks recording an external one when it is active; when the event falls
 * within its time (a worker we launched sent it, or an external run already recorded did — events
 * are read again after a restart, or when a service is added); or when it has the event's root
 * task and the event is not later than its end — for an external run, an earlier event read late
 * (before started_at, which came from a later event); for a run the runner launched (root_task_id
 * is set at launch), any event since it was queued: the workers of its earlier attempts, before a
 * requeue (a runner stopped mid-run) cleared started_at. A queued scheduled run never launched is
 * not a block: it is cancelled, since the period is already being run elsewhere.
 * Parameters by position: service id, kind, period start, root task id, event time, its zone.
 */
const blocking = (service: string, kind: string, start: string, task: string, at: string, tz: string) => {
  const eventAt = `(${at}::timestamp AT TIME ZONE ${tz})`;
  return `EXISTS (SELECT 1 FROM runs b WHERE b.service_id = ${service} AND b.kind = ${kind} AND b.period_start = ${start}
   AND (b.status = 'running' OR (b.status = 'queued' AND b.trigger <> 'scheduled')
        OR ${eventAt} BETWEEN b.started_at - interval '5 seconds' AND coalesce(b.finished_at, now()) + interval '30 seconds'
        OR (b.root_task_id = ${task} AND ${eventAt} <= coalesce(b.finished_at, now()) + interval '30 seconds'
            AND (b.trigger = 'external' OR ${eventAt} >= b.queued_at))))`;
};

/** Cancels the period's queued scheduled run the event shows is being run elsewhere. Its own statement: see RECORD_EXTERNAL_SQL. */
export const SUPERSEDE_SCHEDULED_SQL = `
UPDATE runs SET status = 'cancelled', finished_at = now(), last_update_at = now(),
       error = 'not launched: the period was started elsewhere (' || $4 || ')'
 WHERE service_id = $1 AND kind = $2 AND period_start = $3 AND status = 'queued' AND trigger = 'scheduled'
   AND NOT ${blocking("$1", "$2", "$3", "$4", "$5", "$6")}`;

/**
 * After SUPERSEDE_SCHEDULED_SQL, in the same transaction. (They were one statement with the cancel in
 * a CTE; PostgreSQL does not order a CTE's update before the main insert, so the insert could meet
 * the queued run in the one-active-run index — and the failing pass was retried on every tick.)
 */
export const RECORD_EXTERNAL_SQL = `
INSERT INTO runs (service_id, kind, period_start, period_date, period_hour, trigger, status, queue_priority, requested_by, reason,
                  started_at, last_update_at, host, runner_id, root_task_id)
SELECT $1, $2, $3, $4, $5, 'external', 'running', 2, 'external', 'launched outside Switchyard', least(now(), $9::timestamp AT TIME ZONE $10), now(), $7, $8, $6
 WHERE NOT ${blocking("$1", "$2", "$3", "$6", "$9", "$10")}
RETURNING id`;

/**
 * Returns the new run's id, or null when the period already has a run that explains the event.
 * `db` should be a transaction (the watcher's, under its advisory lock). A unique violation means a
 * runner claimed the period's queued run meanwhile: that run is active, so nothing is recorded.
 */
export async function recordExternalRun(db: Queryable, run: ExternalRunInput): Promise<number | null> {
  await db.query(SUPERSEDE_SCHEDULED_SQL, [run.serviceId, run.kind, run.periodStart, run.taskId, run.at, run.timeZone]);
  try {
    const r = await db.query(RECORD_EXTERNAL_SQL, [run.serviceId, run.kind, run.periodStart, run.periodDate, run.periodHour, run.taskId, run.host, run.worker, run.at, run.timeZone]);
    return r.rows[0] ? Number(r.rows[0].id) : null;
  } catch (error) {
    if ((error as { code?: string }).code === "23505") return null;
    throw error;
  }
}

/**
 * Follows every running external run: DONE → done; FAILED or DISABLED → failed; and failed too
 * when no worker of the root task is left (Luigi leaves a wrapper PENDING when a dependency
 * fails and the worker exits 0: the scheduler then drops the worker after worker_disconnect_delay).
 * Host and worker are kept up to date from the history and the scheduler's state.
 */
export const FOLLOW_EXTERNAL_SQL = `
WITH ext AS (
  SELECT r.id, r.root_task_id,
         (SELECT e.event_name FROM tasks t JOIN task_events e ON e.task_id = t.id
           WHERE t.task_id = r.root_task_id ORDER BY e.id DESC LIMIT 1) AS last_event,
         (SELECT t.host FROM tasks t WHERE t.task_id = r.root_task_id ORDER BY t.id DESC LIMIT 1) AS host,
         coalesce(st.worker_running, (SELECT s FROM json_array_elements_text(st.data->'stakeholders') s LIMIT 1)) AS worker,
         -- the worker's own host (add_worker info: Luigi sends [key, value] pairs), for a root task never handed out
         (SELECT CASE json_typeof(w.data->'info')
                   WHEN 'object' THEN w.data->'info'->>'host'
                   WHEN 'array' THEN (SELECT p->>1 FROM json_array_elements(w.data->'info') p WHERE json_typeof(p) = 'array' AND p->>0 = 'host' LIMIT 1)
                 END
            FROM scheduler_workers w WHERE w.worker_id IN (SELECT json_array_elements_text(st.data->'stakeholders')) LIMIT 1) AS worker_host,
         (st.task_id IS NOT NULL AND EXISTS (SELECT 1 FROM scheduler_workers w
            WHERE w.worker_id IN (SELECT json_array_elements_text(st.data->'stakeholders')))) AS has_worker
    FROM runs r LEFT JOIN scheduler_tasks st ON st.task_id = r.root_task_id
   WHERE r.status = 'running' AND r.trigger = 'external'
)
UPDATE runs r
   SET status = CASE WHEN x.last_event = 'DONE' THEN 'done'::run_status
                     WHEN x.last_event IN ('FAILED', 'DISABLED') OR NOT x.has_worker THEN 'failed'::run_status
                     ELSE r.status END,
       finished_at = CASE WHEN x.last_event IN ('DONE', 'FAILED', 'DISABLED') OR NOT x.has_worker THEN now() END,
       error = CASE WHEN x.last_event = 'DONE' THEN NULL
                    WHEN x.last_event IN ('FAILED', 'DISABLED') THEN 'root task ' || x.root_task_id || ' is ' || x.last_event || ' in the scheduler'
                    WHEN NOT x.has_worker THEN 'the worker left before root task ' || x.root_task_id || ' was done (a dependency failed, or the worker died)'
               END,
       last_update_at = now(),
       host = coalesce(x.host, r.host, x.worker_host),
       runner_id = coalesce(r.runner_id, x.worker)
  FROM ext x
 WHERE r.id = x.id AND r.status = 'running'
RETURNING r.id, r.status`;

export async function followExternalRuns(db: Queryable): Promise<{ id: number; status: string }[]> {
  const r = await db.query(FOLLOW_EXTERNAL_SQL);
  return r.rows.filter((row) => row.status !== "running").map((row) => ({ id: Number(row.id), status: row.status }));
}
