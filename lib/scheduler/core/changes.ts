import type { Task, Worker } from "@/lib/scheduler/core/records";

// Every mutation of scheduler state is recorded here, so the persistence layer writes exactly
// what changed (upserts of touched tasks/workers, deletes, meta, history events) in one group
// commit, and an RPC is acknowledged only after the flush holding its changes has committed.

export type HistoryStatus = "PENDING" | "RUNNING" | "DONE" | "FAILED" | "DISABLED";

/** One row for Luigi's `task_events` (and, for a task's first event, its `tasks` row). */
export type HistoryEvent = {
  task: Task;
  status: HistoryStatus;
  ts: number;
  host: string | null;
  /** "rpc" events are the ones luigid writes; "scheduler" ones are transitions luigid never records. */
  origin: "rpc" | "scheduler";
};

export class ChangeLog {
  tasks = new Set<Task>();
  deletedTasks = new Set<string>();
  workers = new Set<Worker>();
  deletedWorkers = new Set<string>();
  /** Pause state or resource capacities changed. */
  meta = false;
  events: HistoryEvent[] = [];

  get empty(): boolean {
    return this.tasks.size === 0 && this.deletedTasks.size === 0 && this.workers.size === 0 && this.deletedWorkers.size === 0 && !this.meta && this.events.length === 0;
  }

  taskChanged(task: Task): void {
    this.tasks.add(task);
  }

  taskDeleted(task: Task): void {
    this.tasks.delete(task);
    this.deletedTasks.add(task.id);
  }

  taskCreated(task: Task): void {
    // A row deleted and re-created in the same flush is simply overwritten by the upsert.
    this.deletedTasks.delete(task.id);
    this.tasks.add(task);
  }

  workerChanged(worker: Worker): void {
    this.deletedWorkers.delete(worker.id);
    this.workers.add(worker);
  }

  workerDeleted(worker: Worker): void {
    this.workers.delete(worker);
    this.deletedWorkers.add(worker.id);
  }
}
