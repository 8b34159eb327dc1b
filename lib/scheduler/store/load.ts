import type pg from "pg";
import { forgiveDowntime } from "@/lib/scheduler/core/downtime";
import type { Task } from "@/lib/scheduler/core/records";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import { readJournalMark, readTasks, replayJournal, type Queryable, type Replay } from "@/lib/scheduler/store/read-state";
import { copyHolds, unstage, type Staged } from "@/lib/scheduler/store/warm-standby";
import { workerFromRow, type WorkerRow } from "@/lib/scheduler/store/rows";
import type { Unwritten } from "@/lib/scheduler/store/journal";

// Start-up: rebuild the scheduler's memory from its tables — tasks (with their history row ids),
// workers (their claims lapse through the normal disconnect delay, counted without the time no
// scheduler was serving: core/downtime.ts), pause state, resource capacity
// changes and batchers — with the journal rows no checkpoint has written yet laid over them
// (store/journal.ts), then rebuild every index from scratch. A standby that kept a copy of the
// tasks (store/warm-standby.ts) lays the journal over its copy instead of reading every task row.

export type Loaded = { tasks: number; workers: number; journalRows: number; unwritten: Unwritten; through: number; warm: boolean };

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
    warm = staged != null && copyHolds(staged, mark);
    journal = await replayJournal(pool, warm ? Math.min(mark.checkpointed, staged!.through) : mark.checkpointed, mark.checkpointed);
    // Ordered here, not with data->>'seq': a json operator reads the whole document, and one row that
    // PostgreSQL cannot read inside (a lone surrogate stored before decodeData refused them) would
    // stop every start.
    const workers = await pool.query<WorkerRow>("SELECT worker_id, last_active, disabled, data FROM scheduler_workers");
    const workerRows = workers.rows.filter((row) => !journal.workers.has(row.worker_id));
    for (const row of journal.workers.values()) if (row) workerRows.push(row);
    const restored = workerRows.map(workerFromRow).sort((a, b) => a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const worker of restored) state.restoreWorker(worker);
    forgiveDowntime(restored, scheduler.now());
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
