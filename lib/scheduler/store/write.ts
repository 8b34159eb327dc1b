import type pg from "pg";
import type { Task } from "@/lib/scheduler/core/records";
import { type JournaledTask, type JournaledWorker, type Unwritten } from "@/lib/scheduler/store/journal";
import { runFacts, withRunFacts } from "@/lib/scheduler/store/write-run-facts";

// One checkpoint is ONE SQL statement (data-modifying CTEs, each set-based over unnest'ed arrays)
// however many group commits it covers (store/journal.ts): history rows and events, deletes,
// upserts of every touched task and worker, meta, the journal mark (what it covers) and the delete
// of journal rows that earlier checkpoints covered.
// See HISTORY.md for what the history gets. Events and parameters are partitioned by month
// (lib/db/history/history-partitions.ts; Luigi's tasks table is plain): a new task row is marked
// with the month of its first event (history_month) and its parameters go to that month, and a
// task id seen again reuses only a row of the current month (older rows may be dropped by
// retention while this one is still written to, see HISTORY.md). A checkpoint carries from one
// task to thousands, so it is planned for its own sizes each time (a custom plan, ~5 ms every
// checkpoint): a generic plan made while the tables were empty joined the CTEs in nested loops and
// walked tasks_pkey backwards for each task id, and checkpoints fell seconds behind at 50k tasks.
// Every read of a history table is an index lookup whatever the statistics say: `= ANY(array)`
// conditions, and the current-month row of a task id found through ix_tasks_task_id (ordered by
// `id + 0`, which no index provides, so a backward scan of the primary key is never a shortcut).

// The row documents (scheduler_tasks.data, scheduler_workers.data) go as ONE JSON array, not a
// text[]: node-postgres writes a text[] as an array literal, escaping every quote of every ~1 KB
// document with two regex passes, which was a fifth of what a flush allocated and cost about as
// much CPU as the rest of the JavaScript side of a get_work commit. The elements come back in
// order as json values, inserted as they are.
function jsonElements(param: number): string {
  return `ARRAY(SELECT e.value FROM json_array_elements($${param}::json) WITH ORDINALITY AS e(value, n) ORDER BY e.n)`;
}

// The journal mark (scheduler_meta 'journal'): every journal row up to `checkpointed` is in the
// tables, and the rows up to `deleted` are gone. Rows are deleted only some seconds after they
// are checkpointed (postgres-durability.ts, JOURNAL_KEEP_MS), so a warm standby that reads the
// journal every second sees every row (store/warm-standby.ts); `deleted` tells it when it did not.
function journalMark(param: number): string {
  const through = `$${param}::int8`;
  const deleted = `$${param + 1}::int8`;
  return `written_journal AS (
  DELETE FROM scheduler_journal WHERE seq <= ${deleted}
), journal_mark AS (
  INSERT INTO scheduler_meta (key, value, written_at) VALUES ('journal', json_build_object('checkpointed', ${through}, 'deleted', ${deleted}), now())
  ON CONFLICT (key) DO UPDATE SET value = json_build_object(
    'checkpointed', GREATEST(${through}, (scheduler_meta.value->>'checkpointed')::int8),
    'deleted', GREATEST(${deleted}, (scheduler_meta.value->>'deleted')::int8)), written_at = now()
)`;
}

const FLUSH_SQL = `
WITH ev AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamp[], $4::text[], $5::int4[], $6::text[]) WITH ORDINALITY AS e(task_key, status, ts, host, known_id, family, ord)
), need AS (
  SELECT DISTINCT ON (task_key) task_key, family, date_trunc('month', ts)::date AS month FROM ev WHERE known_id IS NULL ORDER BY task_key, ord
), existing AS (
  SELECT n.task_key, x.id FROM need n CROSS JOIN LATERAL (
    SELECT t.id FROM tasks t WHERE t.task_id = n.task_key AND t.history_month >= date_trunc('month', localtimestamp)::date ORDER BY t.id + 0 DESC LIMIT 1
  ) x
), fresh AS (
  SELECT n.task_key, n.family, n.month, nextval('tasks_id_seq')::int AS id FROM need n WHERE NOT EXISTS (SELECT 1 FROM existing x WHERE x.task_key = n.task_key)
), ids AS (
  SELECT task_key, id FROM fresh UNION ALL SELECT task_key, id FROM existing
), last_host AS (
  SELECT DISTINCT ON (task_key) task_key, host FROM ev WHERE known_id IS NULL AND host IS NOT NULL ORDER BY task_key, ord DESC
), ins_tasks AS (
  INSERT INTO tasks (id, task_id, name, host, history_month)
  SELECT f.id, f.task_key, f.family, h.host, f.month FROM fresh f LEFT JOIN last_host h ON h.task_key = f.task_key
), ins_params AS (
  INSERT INTO task_parameters (task_id, name, value, history_month)
  SELECT f.id, p.name, p.value, f.month FROM unnest($7::text[], $8::text[], $9::text[]) AS p(task_key, name, value) JOIN fresh f ON f.task_key = p.task_key
), ins_events AS (
  INSERT INTO task_events (task_id, event_name, ts)
  SELECT COALESCE(e.known_id, i.id), e.status, e.ts FROM ev e LEFT JOIN ids i ON e.known_id IS NULL AND i.task_key = e.task_key ORDER BY e.ord
), upd_host AS (
  UPDATE tasks t SET host = h.host
  FROM (SELECT DISTINCT ON (id) id, host FROM (SELECT COALESCE(e.known_id, x.id) AS id, e.host, e.ord FROM ev e LEFT JOIN existing x ON e.known_id IS NULL AND x.task_key = e.task_key WHERE e.host IS NOT NULL) s WHERE id IS NOT NULL ORDER BY id, ord DESC) h
  WHERE t.id = h.id AND t.id = ANY(ARRAY(SELECT known_id FROM ev WHERE host IS NOT NULL UNION ALL SELECT id FROM existing)) AND t.host IS DISTINCT FROM h.host
), del_tasks AS (
  DELETE FROM scheduler_tasks WHERE task_id = ANY($10::text[])
), del_workers AS (
  DELETE FROM scheduler_workers WHERE worker_id = ANY($11::text[])
), up_tasks AS (
  INSERT INTO scheduler_tasks (task_id, seq, status, family, priority, worker_running, first_added, last_updated, history_id, data, written_at)
  SELECT v.i, v.s, v.st, v.f, v.p, v.w, v.t, v.u, COALESCE(v.h, ids.id), v.j, now()
  FROM unnest($12::text[], $13::int8[], $14::text[], $15::text[], $16::float8[], $17::text[], $18::float8[], $19::float8[], $20::int4[], ${jsonElements(21)}) AS v(i, s, st, f, p, w, t, u, h, j)
  LEFT JOIN ids ON v.h IS NULL AND ids.task_key = left(v.i, 200)
  ON CONFLICT (task_id) DO UPDATE SET seq = EXCLUDED.seq, status = EXCLUDED.status, family = EXCLUDED.family, priority = EXCLUDED.priority,
    worker_running = EXCLUDED.worker_running, first_added = EXCLUDED.first_added, last_updated = EXCLUDED.last_updated,
    history_id = EXCLUDED.history_id, data = EXCLUDED.data, written_at = now()
), up_workers AS (
  INSERT INTO scheduler_workers (worker_id, last_active, disabled, data, written_at)
  SELECT w, l, d, j, now() FROM unnest($22::text[], $23::float8[], $24::bool[], ${jsonElements(25)}) AS v(w, l, d, j)
  ON CONFLICT (worker_id) DO UPDATE SET last_active = EXCLUDED.last_active, disabled = EXCLUDED.disabled, data = EXCLUDED.data, written_at = now()
), up_meta AS (
  INSERT INTO scheduler_meta (key, value, written_at) SELECT k, v::json, now() FROM unnest($26::text[], $27::text[]) AS m(k, v)
  ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, written_at = now()
), ${journalMark(28)}
SELECT task_key, id FROM ids`;

// The common flush (get_work hand-outs, status reports of tasks that already have their history
// row): no new history rows, parameters, deletes or meta. The same writes as FLUSH_SQL with those
// parts left out: planning the 14 CTEs of FLUSH_SQL was about half of PostgreSQL's CPU time per
// flush, and during get_work traffic that is what limits hand-outs per second.
const LIGHT_FLUSH_SQL = `
WITH ev AS (
  SELECT * FROM unnest($1::int4[], $2::text[], $3::timestamp[], $4::text[]) WITH ORDINALITY AS e(id, status, ts, host, ord)
), ins_events AS (
  INSERT INTO task_events (task_id, event_name, ts) SELECT id, status, ts FROM ev ORDER BY ord
), upd_host AS (
  UPDATE tasks t SET host = h.host
  FROM (SELECT DISTINCT ON (id) id, host FROM ev WHERE host IS NOT NULL ORDER BY id, ord DESC) h
  WHERE t.id = h.id AND t.id = ANY($1::int4[]) AND t.host IS DISTINCT FROM h.host
), up_tasks AS (
  INSERT INTO scheduler_tasks (task_id, seq, status, family, priority, worker_running, first_added, last_updated, history_id, data, written_at)
  SELECT v.i, v.s, v.st, v.f, v.p, v.w, v.t, v.u, v.h, v.j, now()
  FROM unnest($5::text[], $6::int8[], $7::text[], $8::text[], $9::float8[], $10::text[], $11::float8[], $12::float8[], $13::int4[], ${jsonElements(14)}) AS v(i, s, st, f, p, w, t, u, h, j)
  ON CONFLICT (task_id) DO UPDATE SET seq = EXCLUDED.seq, status = EXCLUDED.status, family = EXCLUDED.family, priority = EXCLUDED.priority,
    worker_running = EXCLUDED.worker_running, first_added = EXCLUDED.first_added, last_updated = EXCLUDED.last_updated,
    history_id = EXCLUDED.history_id, data = EXCLUDED.data, written_at = now()
), up_workers AS (
  INSERT INTO scheduler_workers (worker_id, last_active, disabled, data, written_at)
  SELECT w, l, d, j, now() FROM unnest($15::text[], $16::float8[], $17::bool[], ${jsonElements(18)}) AS v(w, l, d, j)
  ON CONFLICT (worker_id) DO UPDATE SET last_active = EXCLUDED.last_active, disabled = EXCLUDED.disabled, data = EXCLUDED.data, written_at = now()
), ${journalMark(19)}
SELECT NULL::text AS task_key, NULL::int AS id WHERE false`;

type Statement = { name: string; text: string; params: unknown[]; taskKeys: Map<string, Task[]>; rows: number; events: number };

/**
 * The checkpoint's statement for what the journal holds and the tables do not (journal.ts), built
 * before the first await; it marks the journal rows up to `through` written, and deletes those up
 * to `deleteThrough` (rows written by earlier checkpoints).
 */
export function checkpointStatement(unwritten: Unwritten, through: number, deleteThrough: number): Statement {
  const tasks: JournaledTask[] = [];
  const deletedTasks: string[] = [];
  for (const [id, row] of unwritten.tasks) {
    if (row) tasks.push(row);
    else deletedTasks.push(id);
  }
  // Tasks that get their history row here: the id is stored in their scheduler_tasks row, which
  // the same group commit journaled (an event comes with a change of its task), unless the task
  // was deleted since.
  const taskKeys = new Map<string, Task[]>();
  for (const e of unwritten.events) {
    if (e.task.historyId !== null) continue;
    const key = e.task.id.slice(0, 200);
    const list = taskKeys.get(key) ?? [];
    if (!list.includes(e.task)) list.push(e.task);
    taskKeys.set(key, list);
  }
  const workers: JournaledWorker[] = [];
  const deletedWorkers: string[] = [];
  for (const [id, row] of unwritten.workers) {
    if (row) workers.push(row);
    else deletedWorkers.push(id);
  }
  const ev = unwritten.events;
  const col = <T, R>(xs: T[], f: (x: T) => R) => xs.map(f);
  const taskCols = [
    col(tasks, (t) => t.task.id), col(tasks, (t) => t.seq), col(tasks, (t) => t.status), col(tasks, (t) => t.family), col(tasks, (t) => t.priority),
    col(tasks, (t) => t.workerRunning), col(tasks, (t) => t.time), col(tasks, (t) => t.updated), col(tasks, (t) => t.task.historyId), `[${tasks.map((t) => t.doc).join(",")}]`,
  ];
  const workerCols = [col(workers, (w) => w.id), col(workers, (w) => w.lastActive), col(workers, (w) => w.disabled), `[${workers.map((w) => w.doc).join(",")}]`];
  const counts = { taskKeys, rows: tasks.length + workers.length, events: ev.length };
  const facts = runFacts(ev);
  if (taskKeys.size === 0 && deletedTasks.length === 0 && deletedWorkers.length === 0 && !unwritten.meta) {
    const eventCols = [col(ev, (e) => e.task.historyId), col(ev, (e) => e.status), col(ev, (e) => localTimestamp(e.ts)), col(ev, (e) => e.host?.slice(0, 128) ?? null)];
    return withRunFacts({ name: "switchyard-checkpoint-light", text: LIGHT_FLUSH_SQL, params: [...eventCols, ...taskCols, ...workerCols, through, deleteThrough], ...counts }, facts);
  }
  const meta = unwritten.meta ?? [];
  const newTasks = [...taskKeys.values()].map((list) => list[0]);
  const params = newTasks.flatMap((t) => Object.entries(t.params).map(([k, v]) => [t.id.slice(0, 200), k.slice(0, 128), typeof v === "string" ? v : JSON.stringify(v)] as const));
  const uniqueParams = [...new Map(params.map((p) => [`${p[0]}\u0001${p[1]}`, p])).values()];
  const full = {
    name: "switchyard-checkpoint",
    text: FLUSH_SQL,
    ...counts,
    params: [
      col(ev, (e) => e.task.id.slice(0, 200)), col(ev, (e) => e.status), col(ev, (e) => localTimestamp(e.ts)), col(ev, (e) => e.host?.slice(0, 128) ?? null),
      col(ev, (e) => e.task.historyId), col(ev, (e) => e.task.family.slice(0, 128)),
      col(uniqueParams, (p) => p[0]), col(uniqueParams, (p) => p[1]), col(uniqueParams, (p) => p[2]),
      deletedTasks, deletedWorkers,
      ...taskCols,
      ...workerCols,
      col(meta, (m) => m.key), col(meta, (m) => m.value),
      through,
      deleteThrough,
    ],
  };
  return withRunFacts(full, facts);
}

/** Runs the checkpoint statement; returns the history row id given to each new task, to keep once committed. */
export async function writeCheckpoint(client: { query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>> }, snap: Statement): Promise<Map<Task, number>> {
  const result = await client.query<{ task_key: string; id: number }>({ name: snap.name, text: snap.text, values: snap.params });
  const assigned = new Map<Task, number>();
  for (const row of result.rows) for (const task of snap.taskKeys.get(row.task_key) ?? []) assigned.set(task, row.id);
  return assigned;
}

/** luigid writes datetime.now(): the scheduler host's local time, without a zone. */
export function localTimestamp(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const micros = Math.min(999999, Math.round((epochSeconds * 1e6) % 1e6));
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(Math.max(0, micros), 6)}`;
}
