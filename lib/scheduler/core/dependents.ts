import type { Task } from "@/lib/scheduler/core/records";

// The reverse-dependency index: which tasks list a given id in their deps, so a task reaching or
// leaving DONE can update the blocked counts of the tasks waiting for it (SchedulerState). The
// dependents of a known task are on the task itself (Task.dependents): a map entry per task cost
// ~45 bytes at 500k tasks. Only the ids that no task has (yet) are in a map here, the orphans: a
// task's dependents move there when it is deleted, and back onto the task created with that id.

/** Most ids have exactly one dependent, kept bare; a Set for more (a Set each cost ~250 bytes). */
type Dependents = Task | Set<Task>;

const NO_TASKS: readonly Task[] = Object.freeze([]);

export class DependentsIndex {
  /** dep id no task has -> the tasks that list it, in the order they were linked */
  private readonly orphans = new Map<string, Dependents>();

  constructor(private readonly tasks: ReadonlyMap<string, Task>) {}

  of(id: string): readonly Task[] {
    const found = this.tasks.get(id)?.dependents ?? this.orphans.get(id) ?? null;
    return found === null ? NO_TASKS : found instanceof Set ? [...found] : [found];
  }

  /** A task just created takes over the dependents that were waiting for its id. */
  adopt(task: Task): void {
    const waiting = this.orphans.get(task.id);
    if (waiting === undefined) return;
    this.orphans.delete(task.id);
    task.dependents = waiting;
  }

  /** A task being deleted leaves its dependents waiting under its id. */
  orphan(task: Task): void {
    if (task.dependents === null) return;
    this.orphans.set(task.id, task.dependents);
    task.dependents = null;
  }

  /** Records `task` as a dependent of each of its deps. */
  link(task: Task): void {
    for (const d of task.deps) {
      const known = this.tasks.get(d);
      if (known !== undefined) known.dependents = withDependent(known.dependents, task);
      else this.orphans.set(d, withDependent(this.orphans.get(d) ?? null, task));
    }
  }

  /** Takes `task` out of the dependents of each of its deps. */
  unlink(task: Task): void {
    for (const d of task.deps) {
      const known = this.tasks.get(d);
      if (known !== undefined) {
        known.dependents = withoutDependent(known.dependents, task);
        continue;
      }
      const left = withoutDependent(this.orphans.get(d) ?? null, task);
      if (left === null) this.orphans.delete(d);
      else this.orphans.set(d, left);
    }
  }
}

function withDependent(found: Dependents | null, task: Task): Dependents {
  if (found === null) return task;
  if (found instanceof Set) return found.add(task);
  return found === task ? found : new Set([found, task]);
}

function withoutDependent(found: Dependents | null, task: Task): Dependents | null {
  if (found === null) return null;
  if (!(found instanceof Set)) return found === task ? null : found;
  found.delete(task);
  return found.size > 1 ? found : found.size === 1 ? found.values().next().value! : null;
}
