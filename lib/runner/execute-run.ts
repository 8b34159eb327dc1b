import { retryWhileUnreachable } from "@/lib/db/outage";
import type pg from "pg";
import type { ClaimedRun } from "@/lib/db/runs/claim-runs";
import { taskIdStr } from "@/lib/pipeline/task-id";
import { finishRun } from "@/lib/db/runs/finish-run";
import { keepLogTail } from "@/lib/db/runs/log-tails";
import { markLaunched } from "@/lib/db/runs/mark-launched";
import type { Logger } from "@/lib/log/logger";
import type { RootTaskSpec } from "@/lib/runner/command/root-task";
import { planLaunch } from "@/lib/runner/launch-plan";
import { KEEP_TAIL_EVERY_MS, keepTailWhileRunning, type TailKeeper } from "@/lib/runner/log-tail-keeper";
import type { LaunchedProcess, Launcher, ProcessExit } from "@/lib/runner/launchers/types";
import { readLastWords } from "@/lib/runner/last-words";
import { decideOutcome, describeNotRun, isNotRun, wantsLastWords, type RootView } from "@/lib/runner/outcome";
import { requeueNotRun, requeueOnShutdown } from "@/lib/db/runs/requeue-run";
import type { SchedulerClient, TaskView } from "@/lib/runner/scheduler-client";

// One run from claim to its recorded end: plan, launch, watch (timeout, cancel), ask the
// scheduler about the root task, record the outcome. Be careful which parts can throw: once a
// run is claimed it MUST be finished, so every path ends in finishRun.

/**
 * A "not run" run waits this long times the number of times it was not run, at most MAX_NOT_RUN
 * times: long enough for what blocked it (a resource, and the scheduler's reservation for the
 * pending tasks of the worker that just exited) to clear.
 */
const NOT_RUN_DELAY_SECONDS = 15;
const MAX_NOT_RUN = 20;

export type ActiveRun = {
  runId: number;
  /** Date.now() when claimed */
  claimedAt: number;
  proc: LaunchedProcess | null;
  cancelled: boolean;
  timedOut: boolean;
  /** the process has ended; only its outcome is left to record */
  exited: boolean;
  /** stopped because the runner is shutting down: requeued, not failed */
  shutdown: boolean;
  rootTaskId: string | null;
  /** stop the process (cancel, timeout, shutdown); resolves once nothing of it runs */
  stop(): Promise<void>;
};

export type ExecuteDeps = {
  pool: pg.Pool;
  runnerId: string;
  launcher: Launcher;
  scheduler: SchedulerClient;
  logDir: string;
  logger: Logger;
  /** how long a stopped run gets between SIGTERM and SIGKILL */
  stopGraceMs: number;
  /** keep the end of each run's log in the database while it runs and when it ends: the web reads this runner's logs over HTTP, and they go when it goes */
  keepLogTails?: boolean;
  /** how often a running run's log end is kept (default KEEP_TAIL_EVERY_MS) */
  keepLogTailEveryMs?: number;
};

export async function executeRun(deps: ExecuteDeps, run: ClaimedRun, active: ActiveRun): Promise<void> {
  const log = deps.logger.child(`run-${run.id}`);
  let exit: ProcessExit;
  let timeout: NodeJS.Timeout | undefined;
  let rootTask: RootTaskSpec | null = null;
  let before: TaskView | null | undefined;
  let ownUrl = false;
  let logPath: string | null = null;
  let keeper: TailKeeper | undefined;
  try {
    const scheduler = await deps.scheduler.urlForRun(run.id);
    ownUrl = scheduler.own;
    const plan = planLaunch(run, { schedulerUrl: scheduler.url, logDir: deps.logDir });
    rootTask = plan.rootTask;
    logPath = plan.spec.logPath;
    if (run.fromTask) await deps.scheduler.forgiveFailures(run.fromTask).catch(() => {});
    // What the scheduler holds for the root before the launch, so a DONE left from an earlier run
    // is not taken for this run's (outcome.ts); undefined when the scheduler could not say.
    if (rootTask) before = await deps.scheduler.findTask(rootTask).catch(() => undefined);
    const proc = await deps.launcher.launch(plan.spec);
    active.proc = proc;
    const launched = await markLaunched(deps.pool, {
      runId: run.id,
      runnerId: deps.runnerId,
      command: plan.rendered.display,
      logPath: plan.spec.logPath,
      pid: proc.pid,
      launcher: deps.launcher.name,
      externalId: proc.externalId,
      // The id the root task will most likely have (Luigi's id from the family and the parameters
      // on the command line), so pages can link the running run to its tasks; replaced by the
      // scheduler's own answer when the run ends.
      rootTaskId: plan.rootTask ? taskIdStr(plan.rootTask.family, plan.rootTask.params) : null,
    });
    // Cancelled between claim and launch: the run is no longer ours to run.
    if (!launched) active.cancelled = true;
    if (active.cancelled) void active.stop();
    log.info(`launched ${run.serviceName} ${run.kind} ${plan.spec.period}`, { pid: proc.pid, command: plan.rendered.display });
    if (deps.keepLogTails) keeper = keepTailWhileRunning(deps.pool, run.id, plan.spec.logPath, deps.keepLogTailEveryMs ?? KEEP_TAIL_EVERY_MS, log);
    timeout = setTimeout(() => {
      active.timedOut = true;
      void active.stop();
    }, plan.spec.timeoutSeconds * 1000);
    exit = await proc.finished;
    active.exited = true;
  } catch (error) {
    exit = { exitCode: null, signal: null, launchError: (error as Error).message };
  } finally {
    clearTimeout(timeout);
    await keeper?.stop();
  }
  if (ownUrl) await releaseWorkers(deps.scheduler, run.id, log);
  const root = await viewRoot(deps.scheduler, rootTask, exit, before);
  if (root.kind === "found") active.rootTaskId = root.taskId;
  const outcome = { ...exit, timedOut: active.timedOut, cancelled: active.cancelled };
  // The run is over: its outcome must reach the database even across a PostgreSQL restart.
  if (active.shutdown && !active.cancelled && (await retryWhileUnreachable(() => requeueOnShutdown(deps.pool, run.id, deps.runnerId)))) {
    log.info("requeued: the runner is shutting down");
    return;
  }
  if (isNotRun(outcome, root)) {
    const reason = describeNotRun(exit, root);
    const requeued = await retryWhileUnreachable(() => requeueNotRun(deps.pool, { runId: run.id, runnerId: deps.runnerId, delaySeconds: NOT_RUN_DELAY_SECONDS, reason, maxNotRun: MAX_NOT_RUN }));
    if (requeued) {
      log.info(`not run: back in the queue (${reason})`);
      return;
    }
  }
  const lastWords = logPath && wantsLastWords(outcome, root) ? await readLastWords(logPath) : null;
  const result = decideOutcome(outcome, root, run.service.timeoutSeconds, lastWords);
  const usage = active.proc?.usage() ?? { cpuSeconds: null, peakMemoryBytes: null };
  // A run that ends while the database restarts keeps its outcome until it can be written.
  const finished = await retryWhileUnreachable(() => finishRun(deps.pool, {
    runId: run.id,
    runnerId: deps.runnerId,
    status: result.status,
    exitCode: exit.exitCode,
    error: result.error,
    rootTaskId: active.rootTaskId,
    cpuSeconds: usage.cpuSeconds,
    peakMemoryBytes: usage.peakMemoryBytes,
  }));
  log.info(`${result.status}${result.error ? `: ${result.error}` : ""}`, { exitCode: exit.exitCode, retry: finished.retryRunId });
  if (!finished.finished) log.warn("the run had already been ended elsewhere (lost-run detection or a cancel); its outcome was not recorded");
  if (deps.keepLogTails && logPath) {
    // best effort: the log itself is still on this runner's disk and served from there
    await keepLogTail(deps.pool, run.id, logPath).catch((error: Error) => log.warn(`could not keep the end of the log in the database: ${error.message}`));
  }
}

/**
 * Nothing of the run's process is left, so neither are its workers: the scheduler drops them now
 * rather than after worker_disconnect_delay, and a re-run can start at once. Best effort: if the
 * scheduler does not answer, it drops them on its own a minute later.
 */
async function releaseWorkers(scheduler: SchedulerClient, runId: number, log: Logger): Promise<void> {
  try {
    const released = await scheduler.releaseRun(runId);
    if (released.failedTasks.length) log.info(`the scheduler let go of this run's workers; the tasks they were still running are FAILED: ${released.failedTasks.join(", ")}`);
  } catch (error) {
    log.warn(`could not tell the scheduler this run's workers are gone (it drops them after worker_disconnect_delay): ${(error as Error).message}`);
  }
}

async function viewRoot(scheduler: SchedulerClient, spec: RootTaskSpec | null, exit: ProcessExit, before: TaskView | null | undefined): Promise<RootView> {
  if (!spec || exit.launchError) return { kind: "not-applicable" };
  try {
    const task = await scheduler.findTask(spec);
    if (!task) return { kind: "absent" };
    return { kind: "found", taskId: task.taskId, status: task.status, changedSinceLaunch: changedSince(before, task) };
  } catch (error) {
    return { kind: "unreachable", message: (error as Error).message };
  }
}

/** Whether the root's status changed since the look before the launch; null when that is not known. */
function changedSince(before: TaskView | null | undefined, after: TaskView): boolean | null {
  if (before === undefined) return null;
  if (before === null || before.taskId !== after.taskId || before.status !== after.status) return true;
  if (before.lastUpdated === null || after.lastUpdated === null) return null;
  return after.lastUpdated !== before.lastUpdated;
}
