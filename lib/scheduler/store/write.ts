import type pg from "pg";
import type { ChangeLog } from "@/lib/scheduler/core/changes";
import type { Task, Worker } from "@/lib/scheduler/core/records";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import { taskData, workerData } from "@/lib/scheduler/store/rows";

// One group commit is ONE SQL statement (data-modifying CTEs, each set-based over unnest'ed
// arrays), so it costs one round trip and one implicit commit however many RPCs it carries:
// history rows and events, deletes, upserts of every touched task and worker, and meta.
// See HISTORY.md for what the history gets. Events and parameters are partitioned by month
// (lib/db/history/history-partitions.ts; Luigi's tasks table is plain): a new task row is marked
// with the month of its first event (history_month) and its parameters go to that month, and a
// task id seen again reuses only a row of the current month (older rows may be dropped by
// retention while this one is still written to, see HISTORY.md). Every read of a history table
// has an indexable `= ANY(array)` condition: the statements run as generic plans made once, often
// while the tables are empty, and a join alone then planned a full scan of tasks
// (bench/scheduler/flush-cost.ts: 0.6 ms of backend CPU per commit became 1.8-2.9 ms).

// The row documents (scheduler_tasks.data, scheduler_workers.data) go as ONE JSON array, not a
// text[]: node-postgres writes a text[] as an array literal, escaping every quote of every ~1 KB
// document with two regex passes, which was a fifth of what a flush allocated and cost about as
// much CPU as the rest of the JavaScript side of a get_work commit. The elements come back in
// order as json values, inserted as they are.
function jsonElements(param: number): string {
  return `ARRAY(SELECT e.value FROM json_array_elements($${param}::json) WITH ORDINALITY AS e(value, n) ORDER BY e.n)`;
}

const FLUSH_SQL = `
WITH ev AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamp[], $4::text[], $5::int4[], $6::text[]) WITH ORDINALITY AS e(task_key, status, ts, host, known_id, family, ord)
), need AS (
  SELECT DISTINCT ON (task_key) task_key, family, date_trunc('month', ts)::date AS month FROM ev WHERE known_id IS NULL ORDER BY task_key, ord
), existing AS (
  SELECT DISTINCT ON (t.task_id) t.task_id AS task_key, t.id FROM tasks t JOIN need n ON n.task_key = t.task_id
   WHERE t.task_id = ANY(ARRAY(SELECT task_key FROM need)) AND t.history_month >= date_trunc('month', localtimestamp)::date
   ORDER BY t.task_id, t.id DESC
), fresh AS (
  SELECT n.task_key, n.family, n.month, nextval('tasks_id_seq')::int AS id FROM need n WHERE NOT EXISTS (SELECT 1 FROM existing x WHERE x.task_key = n.task_key)
), ids AS (
  SELECT task_key, id FROM fresh UNION ALL SELECT task_key, id FROM existing
), ins_tasks AS (
  INSERT INTO tasks (id, task_id, name, host, history_month)
  SELECT f.id, f.task_key, f.family, (SELECT e.host FROM ev e WHERE e.task_key = f.task_key AND e.host IS NOT NULL ORDER BY e.ord DESC LIMIT 1), f.month FROM fresh f
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
)
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
)
SELECT NULL::text AS task_key, NULL::int AS id WHERE false`;

// A worker calls on every RPC, and each call moves its last-seen time. Rewriting its row for that
// alone was about a third of the rows of a one-in-flight add_task commit; the time only decides
// when the worker's claims lapse (worker_disconnect_delay, 60 s by default), so it is written
// with the row's other changes, or once it is WORKER_TIME_SLACK seconds newer than the stored one.
const WORKER_TIME_SLACK = 5;
type Written = { data: string; lastActive: number; lastGetWork: number | null; disabled: boolean };
const writtenWorkers = new WeakMap<Worker, Written>();

function workerNeedsRow(w: Worker, data: string): boolean {
  const last = writtenWorkers.get(w);
  if (!last || last.data !== data || last.disabled !== w.disabled) return true;
  return w.lastActive - last.lastActive >= WORKER_TIME_SLACK || (w.lastGetWork ?? 0) - (last.lastGetWork ?? 0) >= WORKER_TIME_SLACK;
}

/** The worker document without its two clocks, to see whether anything else changed. */
function workerDocument(w: Worker): string {
  return JSON.stringify({ ...workerData(w), lastGetWork: undefined });
}

/** After a commit: what the rows of these workers now hold. */
export function rememberWorkers(workers: Worker[], docs: string[]): void {
  workers.forEach((w, i) => writtenWorkers.set(w, { data: docs[i], lastActive: w.lastActive, lastGetWork: w.lastGetWork, disabled: w.disabled }));
}

/** Forgets what was written (a failed flush, a new active process): every row is rewritten. */
export function forgetWorker(w: Worker): void {
  writtenWorkers.delete(w);
}

type Snapshot = { name: string; text: string; params: unknown[]; taskKeys: Map<string, Task[]>; rows: number; events: number; workers: Worker[]; workerDocs: string[]; nothing: boolean };

/** Serialises everything before the first await, so a flush writes one consistent snapshot. */
export function snapshot(scheduler: Scheduler, changes: ChangeLog): Snapshot {
  const { state } = scheduler;
  const tasks = [...changes.tasks].filter((t) => state.tasks.get(t.id) === t);
  // Tasks that get their history row in this flush are written too, to store its id.
  const taskKeys = new Map<string, Task[]>();
  for (const e of changes.events) {
    if (e.task.historyId !== null) continue;
    const key = e.task.id.slice(0, 200);
    const list = taskKeys.get(key) ?? [];
    if (!list.includes(e.task)) list.push(e.task);
    taskKeys.set(key, list);
    if (!changes.tasks.has(e.task) && state.tasks.get(e.task.id) === e.task) tasks.push(e.task);
  }
  const upserted = new Set(tasks.map((t) => t.id));
  const workers: Worker[] = [];
  const workerDocs: string[] = [];
  for (const w of changes.workers) {
    if (state.workers.get(w.id) !== w) continue;
    const doc = workerDocument(w);
    if (!workerNeedsRow(w, doc)) continue;
    workers.push(w);
    workerDocs.push(doc);
  }
  const ev = changes.events;
  const col = <T, R>(xs: T[], f: (x: T) => R) => xs.map(f);
  const deletedTasks = [...changes.deletedTasks].filter((id) => !upserted.has(id));
  const deletedWorkers = [...changes.deletedWorkers].filter((id) => !state.workers.has(id));
  const taskCols = [
    col(tasks, (t) => t.id), col(tasks, (t) => t.seq), col(tasks, (t) => t.status), col(tasks, (t) => t.family), col(tasks, (t) => t.priority),
    col(tasks, (t) => t.workerRunning), col(tasks, (t) => t.time), col(tasks, (t) => t.updated), col(tasks, (t) => t.historyId), JSON.stringify(tasks.map(taskData)),
  ];
  const workerCols = [col(workers, (w) => w.id), col(workers, (w) => w.lastActive), col(workers, (w) => w.disabled), JSON.stringify(workers.map(workerData))];
  // A worker's clock alone (a ping within WORKER_TIME_SLACK) writes nothing: no statement is sent.
  const nothing = tasks.length + workers.length + ev.length + deletedTasks.length + deletedWorkers.length === 0 && !changes.meta;
  const counts = { taskKeys, rows: tasks.length + workers.length, events: ev.length, workers, workerDocs, nothing };
  if (taskKeys.size === 0 && deletedTasks.length === 0 && deletedWorkers.length === 0 && !changes.meta) {
    const eventCols = [col(ev, (e) => e.task.historyId), col(ev, (e) => e.status), col(ev, (e) => localTimestamp(e.ts)), col(ev, (e) => e.host?.slice(0, 128) ?? null)];
    return { name: "switchyard-scheduler-flush-light", text: LIGHT_FLUSH_SQL, params: [...eventCols, ...taskCols, ...workerCols], ...counts };
  }
  const meta = changes.meta ? metaRows(scheduler) : [];
  const newTasks = [...taskKeys.values()].map((list) => list[0]);
  const params = newTasks.flatMap((t) => Object.entries(t.params).map(([k, v]) => [t.id.slice(0, 200), k.slice(0, 128), typeof v === "string" ? v : JSON.stringify(v)] as const));
  const uniqueParams = [...new Map(params.map((p) => [`${p[0]}\u0001${p[1]}`, p])).values()];
  return {
    name: "switchyard-scheduler-flush",
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
    ],
  };
}

function metaRows(s: Scheduler): Array<{ key: string; value: string }> {
  const batchers: Record<string, Record<string, { args: string[]; maxBatchSize: number | null }>> = {};
  for (const [w, fams] of s.batchers) {
    batchers[w] = {};
    for (const [f, b] of fams) batchers[w][f] = { args: b.args, maxBatchSize: Number.isFinite(b.maxBatchSize) ? b.maxBatchSize : null };
  }
  return [
    { key: "paused", value: JSON.stringify(s.paused) },
    { key: "resource_overrides", value: JSON.stringify(s.resourceOverrides) },
    { key: "batchers", value: JSON.stringify(batchers) },
  ];
}

/** Runs the flush statement; returns the history row id given to each new task, to keep once committed. */
export async function writeSnapshot(client: { query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>> }, snap: Snapshot): Promise<Map<Task, number>> {
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
