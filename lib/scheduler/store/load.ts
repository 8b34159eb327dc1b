import type pg from "pg";
import type { Task } from "@/lib/scheduler/core/records";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import { SchedulerState } from "@/lib/scheduler/core/state";
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
export type Queryable = { query<R extends pg.QueryResultRow>(config: string | pg.QueryConfig): Promise<pg.QueryResult<R>> };

export type Loaded = { tasks: number; workers: number; journalRows: number; unwritten: Unwritten; through: number; warm: boolean };

/**
 * A warm standby's copy of the tasks (store/warm-standby.ts), built as a restore builds them but
 * kept out of any scheduler's indexes: a takeover lays the journal rows it has not seen over it
 * and rebuilds the indexes, instead of reading every row of scheduler_tasks again.
 */
export type Staged = {
  /** By id, in seq order as long as `sorted` holds. */
  tasks: Map<string, Task>;
  sorted: boolean;
  lastSeq: number;
  /** Every journal row up to this one is in `tasks`. */
  through: number;
  /**
   * Tasks staged from a journal row with no history row id yet, and the last journal row read
   * then: a checkpoint gives the id in scheduler_tasks, not in a journal row, so it is read from
   * there once the mark says that row was checkpointed.
   */
  noHistory: Map<string, number>;
  /** What taskFromRow interns strings with while staging (no workers: ids stay plain arrays). */
  strings: SchedulerState;
};

/** scheduler_meta 'journal' (store/write.ts): journal rows up to `checkpointed` are in the tables; up to `deleted`, gone. */
export type JournalMark = { checkpointed: number; deleted: number };

export async function readJournalMark(pool: Queryable): Promise<JournalMark> {
  const { rows } = await pool.query<{ checkpointed: string | null; deleted: string | null }>(
    "SELECT value->>'checkpointed' AS checkpointed, value->>'deleted' AS deleted FROM scheduler_meta WHERE key = 'journal'",
  );
  // No mark: a database last written before the mark existed, where a checkpoint deleted what it wrote.
  return { checkpointed: Number(rows[0]?.checkpointed ?? 0), deleted: Number(rows[0]?.deleted ?? 0) };
}

export async function loadState(pool: Queryable, scheduler: Scheduler, staged?: Staged | null): Promise<Loaded> {
  // The active lock's connection runs without seq scans (store/leader-lock.ts); whole tables need them.
  await pool.query("SET enable_seqscan = on");
  const { state } = scheduler;
  // One snapshot for the tables and the journal: a checkpoint moves rows from one to the other.
  await pool.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  let journal: Replay;
  let meta: pg.QueryResult<{ key: string; value: unknown }>;
  let loaded: Task[];
  let warm = false;
  try {
    const mark = await readJournalMark(pool);
    // A standby's copy is good if no row it has not seen was deleted since it last read the journal.
    warm = staged != null && mark.deleted <= staged.through;
    journal = await replayJournal(pool, warm ? Math.min(mark.checkpointed, staged!.through) : mark.checkpointed, mark.checkpointed);
    // Ordered here, not with data->>'seq': a json operator reads the whole document, and one row that
    // PostgreSQL cannot read inside (a lone surrogate stored before decodeData refused them) would
    // stop every start.
    const workers = await pool.query<WorkerRow>("SELECT worker_id, last_active, disabled, data FROM scheduler_workers");
    const workerRows = workers.rows.filter((row) => !journal.workers.has(row.worker_id));
    for (const row of journal.workers.values()) if (row) workerRows.push(row);
    const restored = workerRows.map(workerFromRow).sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const worker of restored) state.restoreWorker(worker);
    meta = await pool.query<{ key: string; value: unknown }>("SELECT key, value FROM scheduler_meta");
    loaded = warm ? await unstage(pool, staged!, journal, state) : await readTasks(pool, journal, state);
  } finally {
    await pool.query("COMMIT"); // read-only; after an error it is a rollback
  }
  const tasks = loaded.length;
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
  return { tasks, workers: state.workers.size, journalRows: journal.rows, unwritten: journal.unwritten(scheduler), through: journal.through, warm };
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
async function readTasks(pool: Queryable, journal: Replay, context: Pick<SchedulerState, "intern" | "restoredWorkerIds">): Promise<Task[]> {
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

/** A standby's first copy of the tasks: the tables and the journal in one snapshot. */
export async function stageTasks(pool: Queryable): Promise<Staged> {
  await pool.query("SET enable_seqscan = on");
  await pool.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const mark = await readJournalMark(pool);
    const journal = await replayJournal(pool, mark.checkpointed, mark.checkpointed);
    const strings = new SchedulerState();
    const staged: Staged = { tasks: new Map(), sorted: true, lastSeq: 0, through: Math.max(journal.through, mark.checkpointed), noHistory: new Map(), strings };
    for (const task of await readTasks(pool, journal, strings)) staged.tasks.set(task.id, task);
    staged.lastSeq = [...staged.tasks.values()].at(-1)?.seq ?? 0;
    for (const [id, row] of journal.tasks) if (row && row.history_id === null) staged.noHistory.set(id, journal.through);
    return staged;
  } finally {
    await pool.query("COMMIT");
  }
}

/**
 * Lays the journal rows written since `staged` was last brought up to date over it; false if
 * some of them were deleted first (the copy is then stale: stage again).
 */
export async function refreshStaged(pool: Queryable, staged: Staged): Promise<boolean> {
  await pool.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const mark = await readJournalMark(pool);
    if (mark.deleted > staged.through) return false;
    const journal = await replayJournal(pool, staged.through, Infinity);
    applyRows(staged, journal);
    await readHistoryIds(pool, staged, mark.checkpointed);
    return true;
  } finally {
    await pool.query("COMMIT");
  }
}

function applyRows(staged: Staged, journal: Replay): void {
  for (const [id, row] of journal.tasks) {
    if (!row) {
      staged.tasks.delete(id);
      staged.noHistory.delete(id);
      continue;
    }
    const task = taskFromRow(row, staged.strings);
    const before = staged.tasks.get(id);
    if (before?.seq !== task.seq) {
      staged.tasks.delete(id); // deleted and added again, or new: its place is by its seq, at the end
      if (task.seq < staged.lastSeq) staged.sorted = false;
      staged.lastSeq = Math.max(staged.lastSeq, task.seq);
    }
    staged.tasks.set(id, task);
    if (row.history_id === null) staged.noHistory.set(id, journal.through);
    else staged.noHistory.delete(id);
  }
  staged.through = Math.max(staged.through, journal.through);
}

/** The history row ids checkpoints gave to staged tasks journaled without one (through `checkpointed`; all if Infinity). */
async function readHistoryIds(pool: Queryable, staged: Staged, checkpointed: number): Promise<void> {
  const ids: string[] = [];
  for (const [id, through] of staged.noHistory) if (through <= checkpointed) ids.push(id);
  if (ids.length === 0) return;
  const { rows } = await pool.query<{ task_id: string; history_id: number }>({
    text: "SELECT task_id, history_id FROM scheduler_tasks WHERE task_id = ANY($1::text[]) AND history_id IS NOT NULL",
    values: [ids],
  });
  for (const row of rows) {
    const task = staged.tasks.get(row.task_id);
    if (task && task.historyId === null) task.historyId = row.history_id;
  }
  // checkpointed with none: a task's history row comes with its first event, which was then written
  for (const id of ids) staged.noHistory.delete(id);
}

/** At takeover: the standby's copy with the journal laid over it, as restored tasks of `state`. */
async function unstage(pool: Queryable, staged: Staged, journal: Replay, state: SchedulerState): Promise<Task[]> {
  applyRows(staged, journal);
  await readHistoryIds(pool, staged, Infinity);
  const tasks = [...staged.tasks.values()];
  staged.tasks.clear();
  if (!staged.sorted) tasks.sort((a, b) => a.seq - b.seq);
  // staged without workers: each single worker id becomes that worker's shared array, as restored
  for (const task of tasks) {
    task.stakeholders = state.restoredWorkerIds(task.stakeholders);
    task.workers = state.restoredWorkerIds(task.workers);
    if (task.workerRunning !== null) task.workerRunning = state.intern(task.workerRunning);
  }
  return tasks;
}

/**
 * The journal rows after `from`, last row per id winning. Rows after `written` (the mark's
 * checkpointed row) are what the tables lack: their rows, events and meta are what the first
 * checkpoint writes. Rows from `from` to `written` only bring a standby's copy up to date.
 */
type Replay = {
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
async function replayJournal(pool: Queryable, from: number, written: number): Promise<Replay> {
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
