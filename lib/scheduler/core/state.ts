import { ChangeLog, type HistoryEvent } from "@/lib/scheduler/core/changes";
import { DependentsIndex } from "@/lib/scheduler/core/dependents";
import { compareRank, isEmpty, NO_IDS, Task, withId, Worker } from "@/lib/scheduler/core/records";
import { RemovalQueue } from "@/lib/scheduler/core/removal-queue";
import { SortedList } from "@/lib/scheduler/core/sorted-list";
import { DONE, FAILED, PENDING, RUNNING, type Status } from "@/lib/scheduler/core/transitions";

// The task and worker maps plus the indexes that keep get_work and count_pending independent of
// the number of tasks held: status buckets, a global ready list, per-worker ready lists, the
// running list, per-worker pending counters and the reverse dependencies. Invariant: every change
// to a task's status, workers, priority, resources or blocked count goes through modify(), which
// takes the task out of the indexes, applies the change, and puts it back.

export class SchedulerState {
  readonly tasks = new Map<string, Task>();
  readonly workers = new Map<string, Worker>();
  /** Tasks by status in the order they entered the status, like luigid's _status_tasks. */
  readonly byStatus = new Map<Status, Set<Task>>();
  readonly ready = new SortedList<Task>(compareRank);
  readonly running = new SortedList<Task>(compareRank);
  /** Who lists a given id in their deps (core/dependents.ts). */
  private readonly dependents = new DependentsIndex(this.tasks);
  private readonly interned = new Map<string, string>();
  private nextSeq = 1;
  private nextWorkerSeq = 1;
  changes = new ChangeLog();
  /**
   * What prune has to look at besides the RUNNING, FAILED and DISABLED lists (core/prune.ts): the
   * tasks changed since it last ran (every change reaches touch() or modify(), as every change
   * must reach the ChangeLog to be stored), or every task after a load.
   */
  private pruneDirty = new Set<Task>();
  pruneEveryTask = false;
  /** Tasks marked for removal, by due time. */
  readonly removals = new RemovalQueue();

  bucket(status: Status): Set<Task> {
    let set = this.byStatus.get(status);
    if (!set) this.byStatus.set(status, (set = new Set()));
    return set;
  }

  count(status: Status): number {
    return this.byStatus.get(status)?.size ?? 0;
  }

  /**
   * One string instance per distinct family/module (and worker id while loading): every request
   * brings its own copies, and at 100k tasks the duplicates add up. Only a cache — it is dropped
   * whenever it grows large, so ids that come and go never accumulate here.
   */
  intern(value: string): string {
    const found = this.interned.get(value);
    if (found !== undefined) return found;
    if (this.interned.size >= 20_000) this.interned.clear();
    this.interned.set(value, value);
    return value;
  }

  drainChanges(): ChangeLog {
    const out = this.changes;
    this.changes = new ChangeLog();
    return out;
  }

  recordEvent(event: HistoryEvent): void {
    this.changes.events.push(event);
  }

  // ---- workers -------------------------------------------------------------------------

  getWorker(id: string, now: number): Worker {
    let worker = this.workers.get(id);
    if (!worker) {
      worker = new Worker(id, now, now, this.nextWorkerSeq++);
      this.workers.set(worker.id, worker);
      this.changes.workerChanged(worker);
    }
    return worker;
  }

  touchWorker(worker: Worker): void {
    this.changes.workerChanged(worker);
  }

  /** Removes workers and their ids from the tasks that list them (luigid's inactivate_workers), found through Worker.tasks. */
  deleteWorkers(ids: string[]): void {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    for (const id of ids) for (const task of this.workers.get(id)?.tasks ?? []) this.removeWorkerIds(task, gone);
    for (const id of ids) {
      const worker = this.workers.get(id);
      if (!worker) continue;
      this.workers.delete(id);
      this.changes.workerDeleted(worker);
    }
  }

  /** The ids of the workers that announced themselves as assistants (their tasks are not a stakeholder's). */
  assistantIds(): Set<string> {
    const ids = new Set<string>();
    for (const w of this.workers.values()) if (w.assistant) ids.add(w.id);
    return ids;
  }

  /** Takes these workers out of one task's stakeholders and workers. */
  private removeWorkerIds(task: Task, gone: Set<string>): void {
    if (namesAny(task.stakeholders, gone)) {
      task.stakeholders = task.stakeholders.filter((w) => !gone.has(w));
      this.touch(task);
    }
    if (namesAny(task.workers, gone)) this.modify(task, () => (task.workers = task.workers.filter((w) => !gone.has(w))));
  }

  /** Takes a worker out of its tasks' `workers` (not stakeholders): disable_worker. */
  detachWorkerFromTasks(worker: Worker): void {
    for (const task of worker.tasks) if (task.workers.includes(worker.id)) this.modify(task, () => (task.workers = task.workers.filter((w) => w !== worker.id)));
    worker.ready = null;
  }

  addTaskWorker(task: Task, worker: Worker): void {
    if (task.workers.includes(worker.id)) return;
    this.modify(task, () => (task.workers = withId(task.workers, worker.id, worker.alone)));
    worker.tasks.add(task);
  }

  /** Adds the worker to the task's stakeholders (add_task, for the task and its placeholders). */
  addStakeholder(task: Task, worker: Worker): void {
    if (task.stakeholders.includes(worker.id)) return;
    task.stakeholders = withId(task.stakeholders, worker.id, worker.alone);
    worker.tasks.add(task);
    this.touch(task);
  }

  // ---- tasks ---------------------------------------------------------------------------

  createTask(id: string, init: ConstructorParameters<typeof Task>[2]): Task {
    const task = new Task(id, this.nextSeq++, init);
    task.deps = this.canonicalIds(task.deps);
    this.tasks.set(task.id, task);
    this.dependents.adopt(task);
    this.dependents.link(task);
    task.blocked = this.countBlocked(task);
    this.bucket(task.status).add(task);
    this.attach(task);
    this.changes.taskCreated(task);
    this.pruneDirty.add(task);
    return task;
  }

  /** Re-inserts a worker loaded from storage (in creation order). */
  restoreWorker(worker: Worker): void {
    this.workers.set(worker.id, worker);
    this.nextWorkerSeq = Math.max(this.nextWorkerSeq, worker.seq + 1);
  }

  /** Re-inserts a task loaded from storage; call finishLoad() once all are in. */
  restoreTask(task: Task): void {
    this.tasks.set(task.id, task);
    this.nextSeq = Math.max(this.nextSeq, task.seq + 1);
  }

  /**
   * The id list to keep for worker ids read from storage (workers are restored first): the
   * worker's shared `[id]` for a single known worker, as withId() gives at run time.
   */
  restoredWorkerIds(ids: string[]): string[] {
    if (ids.length === 0) return NO_IDS;
    for (let i = 0; i < ids.length; i++) ids[i] = this.intern(ids[i]);
    return ids.length === 1 ? (this.workers.get(ids[0])?.alone ?? ids) : ids;
  }

  finishLoad(): void {
    this.interned.clear();
    this.pruneEveryTask = true;
    for (const task of this.tasks.values()) {
      // Stored deps are already unique; each id becomes the very string of the task it names,
      // in place (a new array per task would be garbage in the old generation at 500k tasks).
      const deps = task.deps;
      for (let i = 0; i < deps.length; i++) {
        const known = this.tasks.get(deps[i]);
        if (known !== undefined) deps[i] = known.id;
      }
      this.dependents.link(task);
    }
    for (const task of this.tasks.values()) {
      task.blocked = this.countBlocked(task);
      this.bucket(task.status).add(task);
      this.attach(task);
      this.indexWorkerIds(task);
    }
  }

  /** The tasks changed since the last call (prune's), and a fresh set for the changes to come. */
  takePruneDirty(): Set<Task> {
    const taken = this.pruneDirty;
    this.pruneDirty = new Set();
    return taken;
  }

  touch(task: Task): void {
    this.changes.taskChanged(task);
    this.pruneDirty.add(task);
  }

  /**
   * Applies a change that may affect the indexes (status, workers, priority, resources, blocked).
   * `persist` false is for changes to derived fields only (`blocked`, rebuilt at load), which need
   * no row written: a DONE report would otherwise rewrite its dependent's row in every flush.
   */
  modify(task: Task, change: () => void, persist = true): void {
    const before = task.status;
    this.detach(task);
    change();
    if (before !== task.status) {
      this.byStatus.get(before)?.delete(task);
      this.bucket(task.status).add(task);
    }
    this.attach(task);
    if (persist) this.touch(task);
    if ((before === DONE) !== (task.status === DONE)) this.shiftDependents(task.id, task.status === DONE ? -1 : 1);
  }

  replaceDeps(task: Task, deps: string[]): void {
    this.modify(task, () => {
      this.dependents.unlink(task);
      task.deps = this.canonicalIds(deps);
      this.dependents.link(task);
      task.blocked = this.countBlocked(task);
    });
  }

  deleteTask(task: Task): void {
    this.detach(task);
    this.byStatus.get(task.status)?.delete(task);
    this.dependents.unlink(task);
    this.tasks.delete(task.id);
    this.dependents.orphan(task);
    this.changes.taskDeleted(task);
    this.pruneDirty.delete(task);
    for (const id of task.stakeholders) this.workers.get(id)?.tasks.delete(task);
    for (const id of task.workers) this.workers.get(id)?.tasks.delete(task);
    if (task.status === DONE) this.shiftDependents(task.id, 1);
  }

  dependentsOf(id: string): readonly Task[] {
    return this.dependents.of(id);
  }

  isReady(task: Task): boolean {
    return task.status === PENDING && task.blocked === 0;
  }

  private shiftDependents(id: string, delta: number): void {
    for (const dependent of this.dependentsOf(id)) this.modify(dependent, () => (dependent.blocked += delta), false);
  }

  /**
   * Unique dep ids, each the very string of the known task it names: a request brings its own
   * copy of every id, and at 100k tasks keeping both costs ~50 bytes a dependency.
   */
  private canonicalIds(ids: string[]): string[] {
    if (ids.length === 0) return NO_IDS;
    if (ids.length === 1) return [this.tasks.get(ids[0])?.id ?? ids[0]];
    const out = [...new Set(ids)]; // a copy: the caller's array (a request's `deps`) is left alone
    for (let i = 0; i < out.length; i++) {
      const known = this.tasks.get(out[i]);
      if (known !== undefined) out[i] = known.id;
    }
    return out;
  }

  private countBlocked(task: Task): number {
    let n = 0;
    for (const d of task.deps) if (this.tasks.get(d)?.status !== DONE) n++;
    return n;
  }

  /** After a load: each worker learns the tasks that list it. */
  private indexWorkerIds(task: Task): void {
    for (const id of task.stakeholders) this.workers.get(id)?.tasks.add(task);
    for (const id of task.workers) this.workers.get(id)?.tasks.add(task);
  }

  private detach(task: Task): void {
    this.account(task, -1);
  }

  private attach(task: Task): void {
    this.account(task, 1);
  }

  /** Adds (sign 1) or removes (sign -1) a task's contribution to every index. */
  private account(task: Task, sign: 1 | -1): void {
    const ready = this.isReady(task);
    if (ready) {
      if (sign > 0) this.ready.add(task);
      else this.ready.delete(task);
    }
    if (task.status === RUNNING) {
      if (sign > 0) this.running.add(task);
      else this.running.delete(task);
    }
    const pendingish = task.status === PENDING || task.status === FAILED;
    const withResources = task.status === PENDING && !isEmpty(task.resources);
    const n = task.workers.length;
    const last = task.workers[n - 1];
    for (const wid of task.workers) {
      const w = this.workers.get(wid);
      if (!w) continue;
      if (pendingish) {
        w.nPending += sign;
        if (n === 1) w.nUnique += sign;
        if (wid === last) w.nLast += sign;
      }
      if (withResources) w.nPendingWithResources += sign;
      if (ready) {
        if (sign > 0) (w.ready ??= new SortedList<Task>(compareRank)).add(task);
        else w.ready?.delete(task);
      }
    }
  }
}

function namesAny(ids: string[], set: Set<string>): boolean {
  for (let i = 0; i < ids.length; i++) if (set.has(ids[i])) return true;
  return false;
}
