import type { Ctx } from "@/lib/scheduler/core/context";
import { RUNNING } from "@/lib/scheduler/core/transitions";
import { upstreamDisabledTasks } from "@/lib/scheduler/core/upstream";

// count_pending (SPEC §5.4), embedded in every get_work reply. The three counters are kept
// incrementally per worker by SchedulerState; only tasks blocked by a DISABLED dependency (which
// luigid skips) are subtracted here, found by walking up from the DISABLED tasks.

export function countPending(ctx: Ctx, workerId: string): Record<string, unknown> {
  const { state, now } = ctx;
  const worker = state.getWorker(workerId, now);
  const running: Record<string, unknown>[] = [];
  for (const t of state.bucket(RUNNING)) {
    if (!t.workers.includes(worker.id) || t.workerRunning === null) continue;
    const other = state.getWorker(t.workerRunning, now);
    running.push({ task_id: t.id, worker: other.id, ...other.info });
  }
  let pending = worker.nPending;
  let unique = worker.nUnique;
  let last = worker.nLast;
  for (const t of upstreamDisabledTasks(state)) {
    const n = t.workers.length;
    if (!t.workers.includes(worker.id)) continue;
    pending--;
    if (n === 1) unique--;
    if (t.workers[n - 1] === worker.id) last--;
  }
  return {
    n_pending_tasks: pending,
    n_unique_pending: unique,
    n_pending_last_scheduled: last,
    worker_state: worker.disabled ? "disabled" : "active",
    running_tasks: running,
  };
}
