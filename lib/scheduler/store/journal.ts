import type { ChangeLog, HistoryEvent } from "@/lib/scheduler/core/changes";
import type { Task, Worker } from "@/lib/scheduler/core/records";
import type { Scheduler } from "@/lib/scheduler/core/scheduler";
import { taskData, workerData } from "@/lib/scheduler/store/rows";

// The journal: what an RPC waits for. A group commit appends ONE row to scheduler_journal — the
// rows of the tasks and workers it changed, as JSON text, and its history events — and the RPCs
// it carries are acknowledged once that row is committed. Writing the same changes into
// scheduler_tasks, scheduler_workers and Luigi's history tables is the checkpoint's job
// (store/write.ts, run by store/postgres-durability.ts), in batches of many group commits, on a
// connection of its own; in the same transaction it records the last journal row it covers (the
// journal mark), and deletes rows written by checkpoints at least 5 s before, which a warm standby
// has read by then (store/warm-standby.ts). A restart reads the tables, then replays the journal
// rows after the mark (store/load.ts).
//
// Why: with Luigi's workers (one call in flight each) a group commit carries about two RPCs, and
// PostgreSQL's CPU per commit was mostly fixed cost of the 14-part flush statement (0.40 ms per
// commit, 0.20 ms per add_task). An insert of one text row costs ~0.05 ms, and the checkpoint
// ~0.06 ms per add_task. bench/scheduler/HISTORY.md has the figures.

/** A task's row as a group commit recorded it: what the checkpoint writes to scheduler_tasks. */
export type JournaledTask = {
  task: Task;
  seq: number;
  status: string;
  family: string;
  priority: number;
  workerRunning: string | null;
  time: number;
  updated: number;
  /** The row document (rows.ts taskData) as JSON text. */
  doc: string;
};

export type JournaledWorker = { id: string; lastActive: number; disabled: boolean; doc: string };

export function journaledTask(t: Task): JournaledTask {
  return { task: t, seq: t.seq, status: t.status, family: t.family, priority: t.priority, workerRunning: t.workerRunning, time: t.time, updated: t.updated, doc: JSON.stringify(taskData(t)) };
}

/** Journaled and not yet checkpointed; per id the last recorded row, null for a deleted one. */
export class Unwritten {
  tasks = new Map<string, JournaledTask | null>();
  workers = new Map<string, JournaledWorker | null>();
  meta: Array<{ key: string; value: string }> | null = null;
  events: HistoryEvent[] = [];

  get empty(): boolean {
    return this.tasks.size === 0 && this.workers.size === 0 && this.meta === null && this.events.length === 0;
  }

  /** Adds a newer group commit's rows and events. */
  absorb(newer: Unwritten): void {
    for (const [id, row] of newer.tasks) this.tasks.set(id, row);
    for (const [id, row] of newer.workers) this.workers.set(id, row);
    this.meta = newer.meta ?? this.meta;
    for (const e of newer.events) this.events.push(e);
  }

  /** Puts `older` (a failed checkpoint's) in front of what was journaled since. */
  static merged(older: Unwritten, newer: Unwritten): Unwritten {
    const out = new Unwritten();
    out.tasks = new Map([...older.tasks, ...newer.tasks]);
    out.workers = new Map([...older.workers, ...newer.workers]);
    out.meta = newer.meta ?? older.meta;
    out.events = older.events.concat(newer.events);
    return out;
  }
}

// What the last committed journal row holds of each worker, to see whether a new row is needed.
type WorkerMark = { row: JournaledWorker; data: string; lastGetWork: number | null };
const journaledWorkers = new WeakMap<Worker, WorkerMark>();

// A worker calls on every RPC, and each call moves its last-seen time. Journaling its row for
// that alone was about a third of the rows of a one-in-flight add_task commit; the time only
// decides when the worker's claims lapse (worker_disconnect_delay, 60 s by default), so it is
// written with the row's other changes, or once it is WORKER_TIME_SLACK seconds newer.
const WORKER_TIME_SLACK = 5;

function workerNeedsRow(w: Worker, data: string): boolean {
  const last = journaledWorkers.get(w);
  if (!last || last.data !== data || last.row.disabled !== w.disabled) return true;
  return w.lastActive - last.row.lastActive >= WORKER_TIME_SLACK || (w.lastGetWork ?? 0) - (last.lastGetWork ?? 0) >= WORKER_TIME_SLACK;
}

/** Forgets what was journaled of a worker (a failed commit): its row is recorded again. */
export function forgetWorker(w: Worker): void {
  journaledWorkers.delete(w);
}

export type JournalEntry = { text: string; unwritten: Unwritten; marks: Array<[Worker, WorkerMark]> };

/**
 * Serialises a group commit's changes before the first await (null: nothing to record, e.g. only
 * a worker's clock moved within the slack). Only live records are written: a task changed and then
 * deleted in the same batch is a delete.
 */
export function journalEntry(scheduler: Scheduler, changes: ChangeLog): JournalEntry | null {
  const { state } = scheduler;
  const unwritten = new Unwritten();
  const parts: string[] = [];
  const taskRows: string[] = [];
  for (const t of changes.tasks) {
    if (state.tasks.get(t.id) !== t) continue;
    const row = journaledTask(t);
    unwritten.tasks.set(t.id, row);
    taskRows.push(`[${JSON.stringify(t.id)},${t.seq},${JSON.stringify(t.status)},${t.historyId ?? "null"},${row.doc}]`);
  }
  const deletedTasks = [...changes.deletedTasks].filter((id) => !unwritten.tasks.has(id) && !state.tasks.has(id));
  for (const id of deletedTasks) unwritten.tasks.set(id, null);
  const marks: Array<[Worker, WorkerMark]> = [];
  const workerRows: string[] = [];
  for (const w of changes.workers) {
    if (state.workers.get(w.id) !== w) continue;
    const document = workerData(w);
    const data = JSON.stringify({ ...document, lastGetWork: undefined });
    if (!workerNeedsRow(w, data)) continue;
    const row: JournaledWorker = { id: w.id, lastActive: w.lastActive, disabled: w.disabled, doc: JSON.stringify(document) };
    unwritten.workers.set(w.id, row);
    marks.push([w, { row, data, lastGetWork: w.lastGetWork }]);
    workerRows.push(`[${JSON.stringify(w.id)},${w.lastActive},${w.disabled},${row.doc}]`);
  }
  const deletedWorkers = [...changes.deletedWorkers].filter((id) => !state.workers.has(id));
  for (const id of deletedWorkers) unwritten.workers.set(id, null);
  if (changes.meta) unwritten.meta = metaRows(scheduler);
  unwritten.events = changes.events;
  if (unwritten.empty) return null;
  if (taskRows.length > 0) parts.push(`"t":[${taskRows.join(",")}]`);
  if (deletedTasks.length > 0) parts.push(`"dt":${JSON.stringify(deletedTasks)}`);
  if (workerRows.length > 0) parts.push(`"w":[${workerRows.join(",")}]`);
  if (deletedWorkers.length > 0) parts.push(`"dw":${JSON.stringify(deletedWorkers)}`);
  if (unwritten.meta) parts.push(`"m":${JSON.stringify(unwritten.meta.map((m) => [m.key, m.value]))}`);
  if (changes.events.length > 0) parts.push(`"e":${JSON.stringify(changes.events.map((e) => [e.task.id, e.status, e.ts, e.host, e.origin]))}`);
  return { text: `{${parts.join(",")}}`, unwritten, marks };
}

/** After the entry's row committed: what the workers' rows now hold. */
export function markJournaled(entry: JournalEntry): void {
  for (const [w, mark] of entry.marks) journaledWorkers.set(w, mark);
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

/** One journal row as read back at a restart. */
export type ParsedEntry = {
  t?: Array<[string, number, string, number | null, Record<string, unknown>]>;
  dt?: string[];
  w?: Array<[string, number, boolean, Record<string, unknown>]>;
  dw?: string[];
  m?: Array<[string, string]>;
  e?: Array<[string, HistoryEvent["status"], number, string | null, HistoryEvent["origin"]]>;
};
