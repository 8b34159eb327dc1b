import type pg from "pg";
import type { Task } from "@/lib/scheduler/core/records";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import { taskFromRow, workerFromRow, type TaskRow, type WorkerRow } from "@/lib/scheduler/store/rows";

// Start-up: rebuild the scheduler's memory from its tables — tasks (with their history row ids),
// workers (their claims lapse through the normal disconnect delay), pause state, resource capacity
// changes and batchers — then rebuild every index from scratch.

/** Whatever runs a query: a pool, a client, the active lock's connection. */
const PAGE = 2_000;

export type Queryable = { query<R extends pg.QueryResultRow>(text: string): Promise<pg.QueryResult<R>> };

export async function loadState(pool: Queryable, scheduler: Scheduler): Promise<{ tasks: number; workers: number }> {
  // The active lock's connection runs without seq scans (store/leader-lock.ts); whole tables need them.
  await pool.query("SET enable_seqscan = on");
  const { state } = scheduler;
  // Ordered here, not with data->>'seq': a json operator reads the whole document, and one row that
  // PostgreSQL cannot read inside (a lone surrogate stored before decodeData refused them) would
  // stop every start.
  const workers = await pool.query<WorkerRow>("SELECT worker_id, last_active, disabled, data FROM scheduler_workers");
  const restored = workers.rows.map(workerFromRow).sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const worker of restored) state.restoreWorker(worker);
  // In pages through a cursor: reading 500k rows at once made ~600 MB of row objects that lived
  // long enough to be promoted to V8's old generation (RSS after such a restore: 1.8 KB per task).
  // Small pages keep each page's garbage young; the next page is asked for before this one is
  // turned into records, so PostgreSQL reads and sends while this process parses.
  let tasks = 0;
  const loaded: Task[] = [];
  let next: Promise<pg.QueryResult<TaskRow>> | null = null;
  await pool.query("BEGIN");
  try {
    // In the table's own order, sorted here: ORDER BY seq sorted ~200 MB on disk at 500k tasks
    // (work_mem) before the first row came back, 2-3 s; rows come nearly in seq order anyway,
    // which the sort below (TimSort) takes in one pass.
    await pool.query("DECLARE restore_tasks NO SCROLL CURSOR FOR SELECT task_id, seq, status, history_id, data FROM scheduler_tasks");
    const fetchPage = () => pool.query<TaskRow>(`FETCH ${PAGE} FROM restore_tasks`);
    next = fetchPage();
    for (;;) {
      const page = await next;
      const more = page.rows.length === PAGE;
      if (more) {
        next = fetchPage();
        await new Promise((resolve) => setImmediate(resolve)); // lets the query go out first (the lock's connection sends it from a promise callback)
      }
      for (const row of page.rows) loaded.push(taskFromRow(row, state));
      tasks += page.rows.length;
      if (!more) break;
    }
  } finally {
    await next?.catch(() => {}); // a page asked for before an error: its answer is not needed
    await pool.query("COMMIT"); // read-only; after an error it is a rollback
  }
  loaded.sort((a, b) => a.seq - b.seq);
  for (const task of loaded) state.restoreTask(task);
  loaded.length = 0;
  state.finishLoad();
  const meta = await pool.query<{ key: string; value: unknown }>("SELECT key, value FROM scheduler_meta");
  for (const { key, value } of meta.rows) {
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
  return { tasks, workers: workers.rows.length };
}
