import type { Task } from "@/lib/scheduler/core/records";

// The tasks marked for removal, by the time they are due (Task.remove): a binary min-heap in two
// parallel arrays (8 + 4 bytes an entry, no object per entry), so prune finds the due ones without
// visiting every task. Entries go stale when a task's mark changes or the task goes; `popDue`
// hands back only entries whose task still holds that very mark, and a task may come back more
// than once (callers keep a Set).

export class RemovalQueue {
  private times: number[] = [];
  private tasks: Task[] = [];

  push(at: number, task: Task): void {
    const { times, tasks } = this;
    let i = times.length;
    times.push(at);
    tasks.push(task);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent] <= at) break;
      times[i] = times[parent];
      tasks[i] = tasks[parent];
      i = parent;
    }
    times[i] = at;
    tasks[i] = task;
  }

  /** Takes out every entry due at `now` whose task is still held (`isHeld`) with that mark. */
  popDue(now: number, isHeld: (task: Task) => boolean, into: Set<Task>): void {
    while (this.times.length > 0 && this.times[0] <= now) {
      const at = this.times[0];
      const task = this.tasks[0];
      this.popTop();
      if (task.remove === at && isHeld(task)) into.add(task);
    }
  }

  clear(): void {
    this.times = [];
    this.tasks = [];
  }

  private popTop(): void {
    const { times, tasks } = this;
    const lastTime = times.pop()!;
    const lastTask = tasks.pop()!;
    const n = times.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const child = left + 1 < n && times[left + 1] < times[left] ? left + 1 : left;
      if (times[child] >= lastTime) break;
      times[i] = times[child];
      tasks[i] = tasks[child];
      i = child;
    }
    times[i] = lastTime;
    tasks[i] = lastTask;
  }
}
