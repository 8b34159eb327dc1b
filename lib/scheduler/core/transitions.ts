import { TASK_STATUSES } from "@/lib/luigi-rpc/names";
import type { Ctx } from "@/lib/scheduler/core/context";
import type { Task } from "@/lib/scheduler/core/records";

// The task state machine, in one place (SPEC §4). Every status change — from add_task, get_work,
// operator calls and prune — goes through setStatus(), which applies luigid's rules for batches,
// failure counting and scheduler disables, and records the transitions the scheduler makes on its
// own in the history (luigid records only reported statuses; see HISTORY.md).

export const PENDING = "PENDING";
export const RUNNING = "RUNNING";
export const DONE = "DONE";
export const FAILED = "FAILED";
export const DISABLED = "DISABLED";
export const UNKNOWN = "UNKNOWN";
export const BATCH_RUNNING = "BATCH_RUNNING";
/** Legacy input only: old clients report it; the scheduler stores PENDING. */
export const SUSPENDED = "SUSPENDED";

/** Declared once for every part that speaks Luigi's protocol (lib/luigi-rpc/names.ts). */
export const STATUSES = TASK_STATUSES;
export type Status = (typeof STATUSES)[number];
/** Statuses a client may report in add_task. */
export const REPORTABLE = new Set<string>([...STATUSES, SUSPENDED]);

export function isStatus(value: unknown): value is Status {
  return typeof value === "string" && (STATUSES as readonly string[]).includes(value);
}

/** Tasks of a running batch other than the one the worker claimed. */
export function batchMembers(ctx: Ctx, batchId: string): Task[] {
  const out: Task[] = [];
  for (const t of ctx.state.bucket(BATCH_RUNNING)) if (t.batchId === batchId) out.push(t);
  return out;
}

/** luigid's SimpleTaskState.set_status, step for step (SPEC §4.2). */
export function setStatus(ctx: Ctx, task: Task, requested: Status): void {
  let next = requested;
  if (next === DISABLED && (task.status === RUNNING || task.status === BATCH_RUNNING)) return;
  const removeOnFailure = task.batchId !== null && !task.batchable;
  if (task.status === DISABLED) {
    if (next === DONE) clearDisable(ctx, task);
    else if (task.schedulerDisableTime !== null && next !== DISABLED) return; // workers cannot override a scheduler disable
  }
  if (task.status === RUNNING && task.batchId !== null && next !== RUNNING) {
    for (const member of batchMembers(ctx, task.batchId)) {
      setStatus(ctx, member, next);
      member.batchId = null;
      ctx.state.touch(member);
    }
    task.batchId = null;
  }
  if (next === FAILED && task.status !== DISABLED) {
    addFailure(ctx, task);
    if (hasExcessiveFailures(ctx, task)) {
      task.schedulerDisableTime = ctx.now;
      next = DISABLED;
      ctx.state.recordEvent({ task, status: DISABLED, ts: ctx.now, host: null, origin: "scheduler" });
    }
  } else if (next === DISABLED) {
    task.schedulerDisableTime = null;
  }
  if (next !== task.status) {
    ctx.state.modify(task, () => {
      task.status = next;
      task.updated = ctx.now;
    });
  } else ctx.state.touch(task);
  if (next === FAILED) {
    task.retry = ctx.now + ctx.config.retryDelay;
    if (removeOnFailure) task.remove = ctx.now;
  }
}

/** Clears a disable and the failure history (luigid's re_enable without a config). */
function clearDisable(ctx: Ctx, task: Task): void {
  task.schedulerDisableTime = null;
  task.failures = [];
  task.firstFailureTime = null;
  ctx.state.touch(task);
}

/** re_enable_task and disable_persist expiry: DISABLED -> FAILED with the failures forgotten. */
export function reEnable(ctx: Ctx, task: Task): void {
  clearDisable(ctx, task);
  setStatus(ctx, task, FAILED);
  task.failures = [];
}

function addFailure(ctx: Ctx, task: Task): void {
  if (task.firstFailureTime === null) task.firstFailureTime = ctx.now;
  task.failures = [...task.failures, ctx.now];
}

/**
 * Failure policy (SPEC §4.3). The sliding window is the scheduler's disable_window: luigid builds
 * a task's failure window from the default policy when the task is created and never updates it,
 * so a per-task disable_window does not change the window (only retry_count and the hard timeout).
 */
export function hasExcessiveFailures(ctx: Ctx, task: Task): boolean {
  const policy = task.retryPolicy;
  if (task.firstFailureTime !== null && ctx.now >= task.firstFailureTime + policy.disableHardTimeout) return true;
  const since = ctx.now - ctx.config.disableWindow;
  let expired = 0;
  while (expired < task.failures.length && task.failures[expired] < since) expired++;
  if (expired > 0) task.failures = task.failures.slice(expired);
  return task.failures.length >= policy.retryCount;
}

/** Prune step 2a: a running task whose worker is gone fails (and may be disabled). */
export function failDeadWorkerTask(ctx: Ctx, task: Task, assistants: Set<string>): void {
  if (task.status !== RUNNING && task.status !== BATCH_RUNNING) return;
  const w = task.workerRunning;
  if (!w || task.stakeholders.includes(w) || assistants.has(w)) return;
  task.workerRunning = null;
  ctx.state.recordEvent({ task, status: FAILED, ts: ctx.now, host: null, origin: "scheduler" });
  setStatus(ctx, task, FAILED);
  task.retry = ctx.now + ctx.config.retryDelay;
}

/** Prune steps 2b–2d: removal mark, disable_persist expiry, retry after retry_delay. */
export function updateStatus(ctx: Ctx, task: Task): void {
  if (task.stakeholders.length === 0 && task.remove === null && task.status !== RUNNING) {
    task.remove = ctx.now + ctx.config.removeDelay;
    ctx.state.touch(task);
  }
  if (task.status === DISABLED && task.schedulerDisableTime !== null && ctx.now - task.schedulerDisableTime > ctx.config.disablePersist) {
    ctx.state.recordEvent({ task, status: FAILED, ts: ctx.now, host: null, origin: "scheduler" });
    reEnable(ctx, task);
  }
  if (task.status === FAILED && ctx.config.retryDelay >= 0 && task.retry !== null && task.retry < ctx.now) {
    ctx.state.recordEvent({ task, status: PENDING, ts: ctx.now, host: null, origin: "scheduler" });
    setStatus(ctx, task, PENDING);
  }
}
