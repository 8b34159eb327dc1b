import type pg from "pg";
import type { Task } from "@/lib/scheduler/core/records";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import type { SchedulerState } from "@/lib/scheduler/core/state";
import { journaledTask, Unwritten, type ParsedEntry } from "@/lib/scheduler/store/journal";
import { taskFromRow, workerData, type TaskRow, type WorkerRow } from "@/lib/scheduler/store/rows";

// Reading the scheduler's state back from PostgreSQL, for a restore (store/load.ts) and for a
// standby's copy (store/warm-standby.ts): the journal mark, the journal rows after a given one,
// and every task row with the journal laid over it, each read in pages through a cursor.

const PAGE = 2_000;
/** Journal rows per page: a row is ~1.5 kB for a one-in-flight group commit, more for a big batch. */
const JOURNAL_PAGE = 500;

/** Whatever runs a query: a pool, a client, the active lock's connection. */
export type Queryable = { query<R extends pg.QueryResultRow>(config: string | pg.QueryConfig): Promise<pg.QueryResult<R>> };

/** scheduler_meta 'journal' (store/write.ts): journal rows up to `checkpointed` are in the tables; up to `deleted`, gone. */
export type JournalMark = { checkpointed: number; deleted: number };

export async function readJournalMark(pool: Queryable): Promise<JournalMark> {
  const { rows } = await pool.query<{ checkpointed: string | null; deleted: string | null }>(
    "SELECT value->>'checkpointed' AS checkpointed, value->>'deleted' AS deleted FROM scheduler_meta WHERE key = 'journal'",
  );
  // No mark: a database last written before the mark existed, where a checkpoint deleted what it wrote.
  return { checkpointed: Number(rows[0]?.checkpointed ?? 0), deleted: Number(rows[0]?.deleted ?? 0) };
}

/**
 * Every task row of scheduler_tasks, with the journal's rows laid over them, sorted by seq.
 * In pages through a cursor: reading 500k rows at once made ~600 MB of row objects that lived
 * long enough to be promoted to V8's old generation (RSS after such a restore: 1.8 KB per task).
 * Small pages keep each page's garbage young; the next page is asked for before this one is
 * turned into records, so PostgreSQL reads and sends while this process parses.
 * In the table's own order, sorted here: ORDER BY seq sorted ~200 MB on disk at 500k tasks
 * (work_mem) before the first row came back, 2-3 s; rows come nearly in seq order anyway,
 * which the sort below (TimSort) takes in one pass.
 */
export async function readTasks(pool: Queryable, journal: Replay, context: Pick<SchedulerState, "intern" | "restoredWorkerIds">): Promise<Task[]> {
  const loaded: Task[] = [];
  for await (const rows of pages<TaskRow>(pool, "restore_tasks", "SELECT task_id, seq, status, history_id, data FROM scheduler_tasks", PAGE)) {
    for (const row of rows) {
      const replayed = journal.tasks.get(row.task_id);
      if (replayed === undefined) loaded.push(taskFromRow(row, context));
      else if (replayed && replayed.history_id === null) replayed.history_id = row.history_id; // given by a checkpoint after that journal row
    }
  }
  for (const row of journal.tasks.values()) if (row) loaded.push(taskFromRow(row, context));
  return loaded.sort((a, b) => a.seq - b.seq);
}

/**
 * The journal rows after `from`, last row per id winning. Rows after `written` (the mark's
 * checkpointed row) are what the tables lack: their rows, events and meta are what the first
 * checkpoint writes. Rows from `from` to `written` only bring a standby's copy up to date.
 */
export type Replay = {
  /** Rows after `written`. */
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
export async function replayJournal(pool: Queryable, from: number, written: number): Promise<Replay> {
  const tasks = new Map<string, TaskRow | null>();
  const workers = new Map<string, WorkerRow | null>();
  const unwrittenTasks = new Set<string>();
  const lastTaskRow = new Map<string, TaskRow>();
  const events: NonNullable<ParsedEntry["e"]> = [];
  let meta: Replay["meta"] = null;
  let through = from;
  let count = 0;
  const sql = `SELECT seq, entry FROM scheduler_journal WHERE seq > ${Number(from)} ORDER BY seq`;
  for await (const rows of pages<{ seq: string; entry: string }>(pool, "restore_journal", sql, JOURNAL_PAGE)) {
    for (const { seq, entry } of rows) {
      through = Number(seq);
      const e = JSON.parse(entry) as ParsedEntry;
      const unwritten = through > written;
      for (const [task_id, s, status, history_id, data] of e.t ?? []) {
        const row: TaskRow = { task_id, seq: s, status, history_id, data };
        tasks.set(task_id, row);
        if (!unwritten) continue;
        unwrittenTasks.add(task_id);
        lastTaskRow.set(task_id, row);
      }
      for (const id of e.dt ?? []) {
        tasks.set(id, null);
        if (unwritten) unwrittenTasks.add(id);
      }
      if (!unwritten) continue;
      count++;
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
      for (const id of unwrittenTasks) {
        const task = tasks.get(id) ? state.tasks.get(id) : undefined;
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
