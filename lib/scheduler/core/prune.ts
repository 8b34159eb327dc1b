import type { Ctx } from "@/lib/scheduler/core/context";
import type { Task } from "@/lib/scheduler/core/records";
import { failDeadWorkerTask, updateStatus } from "@/lib/scheduler/core/transitions";

// The prune pass (SPEC §6): drop silent workers, fail tasks whose worker is gone, mark and remove
// abandoned tasks, lift expired disables and retry failed tasks after retry_delay. It visits every
// task, as luigid's does; it runs on a timer and at the start of the read methods that luigid
// prunes in, never inside get_work unless prune_on_get_work is set.

export function prune(ctx: Ctx): void {
  const { state, now } = ctx;
  const gone: string[] = [];
  for (const w of state.workers.values()) if (w.lastActive + ctx.config.workerDisconnectDelay < now) gone.push(w.id);
  state.deleteWorkers(gone);
  const assistants = new Set<string>();
  for (const w of state.workers.values()) if (w.assistant) assistants.add(w.id);
  const removable: Task[] = [];
  for (const task of state.tasks.values()) {
    failDeadWorkerTask(ctx, task, assistants);
    updateStatus(ctx, task);
    if (task.remove !== null && task.remove !== 0 && now >= task.remove) removable.push(task);
  }
  for (const task of removable) state.deleteTask(task);
}
