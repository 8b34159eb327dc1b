import type { Ctx } from "@/lib/scheduler/core/context";
import type { Task } from "@/lib/scheduler/core/records";
import { BATCH_RUNNING, DISABLED, failDeadWorkerTask, FAILED, RUNNING, updateStatus } from "@/lib/scheduler/core/transitions";

// The prune pass (SPEC §6): drop silent workers, fail tasks whose worker is gone, mark and remove
// abandoned tasks, lift expired disables and retry failed tasks after retry_delay. It runs on a
// timer and at the start of the read methods that luigid prunes in, never inside get_work unless
// prune_on_get_work is set.
//
// luigid visits every task, and so does this after a load (state.pruneEveryTask; prune.test.ts
// holds the two ways to the same outcome under random traffic). At 500k tasks that blocked the
// scheduler 8-23 ms per prune, once a minute and again for every worker_list or task_list a
// workers page or a visualiser polls. The outcome for a task depends on its own fields, on which
// workers are alive, and on the clock; so otherwise this visits only:
//   * the tasks changed since the last prune (state.pruneDirty): a new or changed task may need
//     its removal mark;
//   * every RUNNING and BATCH_RUNNING task: its worker may have gone, or stopped assisting;
//   * every FAILED and DISABLED task: retry_delay and disable_persist run out with the clock;
//   * the tasks whose removal mark has come due (state.removals, by due time).
// Same outcome, task for task; only the order of the scheduler's own history events within one
// prune may differ.

export function prune(ctx: Ctx): void {
  const { state, now } = ctx;
  const assistants = dropSilentWorkers(ctx);
  const changed = state.takePruneDirty();
  if (state.pruneEveryTask) {
    state.pruneEveryTask = false;
    state.removals.clear();
    pruneTasks(ctx, [state.tasks.values()], assistants, () => true);
    return;
  }
  // the others to visit, each once (a task removed twice would be deleted twice)
  const others = new Set<Task>();
  for (const status of [RUNNING, BATCH_RUNNING, FAILED, DISABLED] as const) for (const task of state.bucket(status)) if (!changed.has(task)) others.add(task);
  state.removals.popDue(now, (task) => !changed.has(task) && state.tasks.get(task.id) === task, others);
  pruneTasks(ctx, [changed, others], assistants, (task) => changed.has(task));
}

function dropSilentWorkers(ctx: Ctx): Set<string> {
  const { state, now } = ctx;
  const gone: string[] = [];
  for (const w of state.workers.values()) if (w.lastActive + ctx.config.workerDisconnectDelay < now) gone.push(w.id);
  state.deleteWorkers(gone);
  return state.assistantIds();
}

/**
 * The per-task steps, then the removals. The mark of a task changed since the last prune goes into
 * state.removals; a task visited only for its status list has had its mark queued already (a mark
 * this prune sets is a change, queued by the next one), and queuing it at every prune would grow
 * the queue.
 */
function pruneTasks(ctx: Ctx, lists: Iterable<Task>[], assistants: Set<string>, changed: (task: Task) => boolean): void {
  const { state, now } = ctx;
  const removable: Task[] = [];
  for (const tasks of lists) {
    for (const task of tasks) {
      failDeadWorkerTask(ctx, task, assistants);
      updateStatus(ctx, task);
      if (task.remove === null || task.remove === 0) continue;
      if (now >= task.remove) removable.push(task);
      else if (changed(task)) state.removals.push(task.remove, task);
    }
  }
  for (const task of removable) state.deleteTask(task);
}
