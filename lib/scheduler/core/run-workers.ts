import type { Ctx } from "@/lib/scheduler/core/context";
import { BATCH_RUNNING, failDeadWorkerTask, FAILED, RUNNING } from "@/lib/scheduler/core/transitions";

// Switchyard's one addition to Luigi's protocol: which run launched a worker, so that the runner
// can say when those workers are gone. The runner gives each run its own scheduler URL,
// <scheduler>/runs/<run id>, and every worker that calls through it is marked as that run's
// (http/server.ts routes it). When the run's process has ended (done, failed, killed, cancelled),
// the runner calls release_run_workers: its workers are dropped at once, as prune drops a worker
// silent for worker_disconnect_delay, and a task one of them was still running fails as it would
// then (luigid's fail_dead_worker_task). Without this, a re-run started right after a kill met
// the dead worker's task RUNNING and gave up "being run by another worker" for a minute.

/** Marks the worker as run `run`'s; a call naming no known worker changes nothing. */
export function tagRun(ctx: Ctx, workerId: unknown, run: number): void {
  if (typeof workerId !== "string") return;
  const worker = ctx.state.workers.get(workerId);
  if (!worker || worker.run === run) return;
  worker.run = run;
  ctx.state.touchWorker(worker);
}

export type Released = { workers: string[]; failed_tasks: string[] };

/** Drops the workers of run `run` now; the tasks they were running fail as a dead worker's do. */
export function releaseRunWorkers(ctx: Ctx, run: number): Released {
  const { state } = ctx;
  const gone: string[] = [];
  for (const w of state.workers.values()) if (w.run === run) gone.push(w.id);
  if (gone.length === 0) return { workers: [], failed_tasks: [] };
  const running = [...state.bucket(RUNNING), ...state.bucket(BATCH_RUNNING)].filter((t) => t.workerRunning !== null && gone.includes(t.workerRunning));
  // visits only the tasks that list these workers (Worker.tasks), not every task
  state.deleteWorkers(gone);
  const assistants = state.assistantIds();
  const failed: string[] = [];
  for (const task of running) {
    failDeadWorkerTask(ctx, task, assistants);
    if (task.status === FAILED) failed.push(task.id);
  }
  return { workers: gone, failed_tasks: failed };
}
