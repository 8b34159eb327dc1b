import type { Ctx } from "@/lib/scheduler/core/context";
import { BATCH_RUNNING, failDeadWorkerTask, FAILED, RUNNING } from "@/lib/scheduler/core/transitions";

// Switchyard's one addition to Luigi's protocol: which run launched a worker, so that the runner
// can say when those workers are gone. The runner gives each run its own scheduler URL,
// <scheduler>/runs/<run id>, and every worker that calls through it is marked as that run's
// (http/server.ts routes it). When the run's process has ended (done, failed, killed, cancelled),
// the runner calls release_run_workers: a task one of its workers was still running fails at once,
// as it would once prune dropped a worker silent for worker_disconnect_delay (luigid's
// fail_dead_worker_task), and the workers are dropped by the next prune. Without this, a re-run
// started right after a kill met the dead worker's task RUNNING and gave up "being run by another
// worker" for a minute.

/** Marks the worker as run `run`'s; a call naming no known worker changes nothing. */
export function tagRun(ctx: Ctx, workerId: unknown, run: number): void {
  if (typeof workerId !== "string") return;
  const worker = ctx.state.workers.get(workerId);
  if (!worker || worker.run === run) return;
  worker.run = run;
  ctx.state.touchWorker(worker);
}

export type Released = { workers: string[]; failed_tasks: string[] };

/**
 * A released worker's last-seen time: the epoch, so the next prune (its timer, or any read that
 * prunes, worker_list among them) drops it and takes its id out of every task. Scrubbing every
 * task here instead cost a scan of all of them per run that ends (50-60 ms at 500k tasks).
 */
export const RELEASED = 0;

/** Lets the workers of run `run` go now: the tasks they were running fail as a dead worker's do. */
export function releaseRunWorkers(ctx: Ctx, run: number): Released {
  const { state } = ctx;
  const gone = new Set<string>();
  for (const w of state.workers.values()) if (w.run === run && w.lastActive !== RELEASED) gone.add(w.id);
  if (gone.size === 0) return { workers: [], failed_tasks: [] };
  for (const id of gone) {
    const worker = state.workers.get(id)!;
    worker.lastActive = RELEASED;
    state.touchWorker(worker);
  }
  const running = [...state.bucket(RUNNING), ...state.bucket(BATCH_RUNNING)].filter((t) => t.workerRunning !== null && gone.has(t.workerRunning));
  const assistants = new Set<string>();
  for (const w of state.workers.values()) if (w.assistant && !gone.has(w.id)) assistants.add(w.id);
  const failed: string[] = [];
  for (const task of running) {
    state.removeWorkerIds(task, gone);
    failDeadWorkerTask(ctx, task, assistants);
    if (task.status === FAILED) failed.push(task.id);
  }
  return { workers: [...gone], failed_tasks: failed };
}
