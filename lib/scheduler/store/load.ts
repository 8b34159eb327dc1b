import type pg from "pg";
import type { Task } from "@/lib/scheduler/core/records";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import { journaledTask, Unwritten, type ParsedEntry } from "@/lib/scheduler/store/journal";
import { taskFromRow, workerData, workerFromRow, type TaskRow, type WorkerRow } from "@/lib/scheduler/store/rows";

// Start-up: rebuild the scheduler's memory from its tables — tasks (with their history row ids),
// workers (their claims lapse through the normal disconnect delay), pause state, resource capacity
// changes and batchers — with the journal rows no checkpoint has written yet laid over them
// (store/journal.ts), then rebuild every index from scratch.

const PAGE = 2_000;
/** Journal rows per page: a row is ~1.5 kB for a one-in-flight group commit, more for a big batch. */
const JOURNAL_PAGE = 500;

/** Whatever runs a query: a pool, a client, the active lock's connection. */
export type Queryable = { query<R extends pg.QueryResultRow>(text: string): Promise<pg.QueryResult<R>> };

export type Loaded = { tasks: number; workers: number; journalRows: number; unwritten: Unwritten; through: number };

export async function loadState(pool: Queryable, scheduler: Scheduler): Promise<Loaded> {
  // The active lock's connection runs without seq scans (store/leader-lock.ts); whole tables need them.
  await pool.query("SET enable_seqscan = on");
  const { state } = scheduler;
  // One snapshot for the tables and the journal: a checkpoint moves rows from one to the other.
  await pool.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  let journal: Replay;
  let meta: pg.QueryResult<{ key: string; value: unknown }>;
  let tasks = 0;
  const loaded: Task[] = [];
  try {
    journal = await replayJournal(pool);
    // Ordered here, not with data->>'seq': a json operator reads the whole document, and one row that
    // PostgreSQL cannot read inside (a lone surrogate stored before decodeData refused them) would
    // stop every start.
    const workers = await pool.query<WorkerRow>("SELECT worker_id, last_active, disabled, data FROM scheduler_workers");
    const workerRows = workers.rows.filter((row) => !journal.workers.has(row.worker_id));
    for (const row of journal.workers.values()) if (row) workerRows.push(row);
    const restored = workerRows.map(workerFromRow).sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const worker of restored) state.restoreWorker(worker);
    meta = await pool.query<{ key: string; value: unknown }>("SELECT key, value FROM scheduler_meta");
    // In pages through a cursor: reading 500k rows at once made ~600 MB of row objects that lived
    // long enough to be promoted to V8's old generation (RSS after such a restore: 1.8 KB per task).
    // Small pages keep each page's garbage young; the next page is asked for before this one is
    // turned into records, so PostgreSQL reads and sends while this process parses.
    // In the table's own order, sorted here: ORDER BY seq sorted ~200 MB on disk at 500k tasks
    // (work_mem) before the first row came back, 2-3 s; rows come nearly in seq order anyway,
    // which the sort below (TimSort) takes in one pass.
    for await (const rows of pages<TaskRow>(pool, "restore_tasks", "SELECT task_id, seq, status, history_id, data FROM scheduler_tasks", PAGE)) {
      for (const row of rows) {
        const replayed = journal.tasks.get(row.task_id);
        if (replayed === undefined) loaded.push(taskFromRow(row, state));
        else if (replayed && replayed.history_id === null) replayed.history_id = row.history_id; // given by a checkpoint after that journal row
      }
    }
    for (const row of journal.tasks.values()) if (row) loaded.push(taskFromRow(row, state));
    tasks = loaded.length;
  } finally {
    await pool.query("COMMIT"); // read-only; after an error it is a rollback
  }
  loaded.sort((a, b) => a.seq - b.seq);
  for (const task of loaded) state.restoreTask(task);
  loaded.length = 0;
  state.finishLoad();
  const metaRows = meta.rows.filter((m) => !journal.meta?.some((j) => j.key === m.key));
  for (const m of journal.meta ?? []) metaRows.push({ key: m.key, value: JSON.parse(m.value) });
  for (const { key, value } of metaRows) {
    if (key === "paused") scheduler.paused = value === true;
    else if (key === "resource_overrides" && value && typeof value === "object") {
      Object.assign(scheduler.resourceOverrides, value);
      Object.assign(scheduler.config.resources, value);
    } else if (key === "batchers" && value && typeof value === "object") {
      for (const [w, fams] of Object.entries(value as Record<string, Record<string, { args: string[]; maxBatchSize: number | null }>>)) {
        scheduler.batchers.set(w, new Map(Object.entries(fams).map(([f, b]) => [f, { args: b.args, maxBatchSize: b.maxBatchSize ?? Infinity }])));
      }
    }
  }
  state.drainChanges(); // loading is not a change
  await pool.query("RESET enable_seqscan");
  return { tasks, workers: state.workers.size, journalRows: journal.rows, unwritten: journal.unwritten(scheduler), through: journal.through };
}

/** The journal rows a restart finds, last row per id winning: what the checkpoint had not written yet. */
type Replay = {
  rows: number;
  through: number;
  tasks: Map<string, TaskRow | null>;
  workers: Map<string, WorkerRow | null>;
  meta: Array<{ key: string; value: string }> | null;
  /** What to write once the state is loaded, as the live records (or the last journaled one of a deleted task). */
  unwritten(scheduler: Scheduler): Unwritten;
};

/**
 * The rows of `sql` in pages of `size`, through a cursor inside the caller's transaction. The next
 * page is asked for before this one is handed over, so PostgreSQL reads and sends while the
 * caller parses; a page asked for when the caller stops (an error) is waited for and dropped.
 */
async function* pages<R extends pg.QueryResultRow>(pool: Queryable, cursor: string, sql: string, size: number): AsyncGenerator<R[]> {
  await pool.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`);
  const fetchPage = () => {
    const page = pool.query<R>(`FETCH ${size} FROM ${cursor}`);
    page.catch(() => {}); // not unhandled while the caller works on the page before: it is awaited below
    return page;
  };
  let next = fetchPage();
  try {
    for (;;) {
      const { rows } = await next;
      const more = rows.length === size;
      if (more) {
        next = fetchPage();
        await new Promise((resolve) => setImmediate(resolve)); // lets the query go out first (the lock's connection sends it from a promise callback)
      }
      yield rows;
      if (!more) return;
    }
  } finally {
    await next.catch(() => {});
  }
}

/**
 * Reads the journal in pages through a cursor: after a long run of failed checkpoints it can hold
 * hundreds of thousands of rows (MAX_UNWRITTEN in postgres-durability.ts), and one query would
 * hold them all as strings at once; the replay keeps only the last row of each id.
 */
async function replayJournal(pool: Queryable): Promise<Replay> {
  const tasks = new Map<string, TaskRow | null>();
  const workers = new Map<string, WorkerRow | null>();
  const lastTaskRow = new Map<string, TaskRow>();
  const events: NonNullable<ParsedEntry["e"]> = [];
  let meta: Replay["meta"] = null;
  let through = 0;
  let count = 0;
  for await (const rows of pages<{ seq: string; entry: string }>(pool, "restore_journal", "SELECT seq, entry FROM scheduler_journal ORDER BY seq", JOURNAL_PAGE)) {
    count += rows.length;
    for (const { seq, entry } of rows) {
      through = Number(seq);
      const e = JSON.parse(entry) as ParsedEntry;
      for (const [task_id, s, status, history_id, data] of e.t ?? []) {
        const row: TaskRow = { task_id, seq: s, status, history_id, data };
        tasks.set(task_id, row);
        lastTaskRow.set(task_id, row);
      }
      for (const id of e.dt ?? []) tasks.set(id, null);
      for (const [worker_id, last_active, disabled, data] of e.w ?? []) workers.set(worker_id, { worker_id, last_active, disabled, data });
      for (const id of e.dw ?? []) workers.set(id, null);
      if (e.m) meta = e.m.map(([key, value]) => ({ key, value }));
      if (e.e) for (const event of e.e) events.push(event);
    }
  }
  return {
    rows: count,
    through,
    tasks,
    workers,
    meta,
    unwritten(scheduler) {
      const { state } = scheduler;
      const out = new Unwritten();
      for (const [id, row] of tasks) {
        const task = row ? state.tasks.get(id) : undefined;
        out.tasks.set(id, task ? journaledTask(task) : null);
      }
      for (const [id, row] of workers) {
        const worker = row ? state.workers.get(id) : undefined;
        out.workers.set(id, worker ? { id, lastActive: worker.lastActive, disabled: worker.disabled, doc: JSON.stringify(workerData(worker)) } : null);
      }
      out.meta = meta;
      const detached = new Map<string, Task>();
      for (const [id, status, ts, host, origin] of events) {
        let task = state.tasks.get(id) ?? detached.get(id);
        const last = lastTaskRow.get(id);
        if (!task && last) detached.set(id, (task = taskFromRow(last, state)));
        if (task) out.events.push({ task, status, ts, host, origin });
      }
      return out;
    },
  };
}
