import { randomUUID } from "node:crypto";
import type { Ctx } from "@/lib/scheduler/core/context";
import { serializeTask } from "@/lib/scheduler/core/serialize";
import { batchMembers, DISABLED, DONE, FAILED, PENDING, reEnable, RUNNING, setStatus } from "@/lib/scheduler/core/transitions";
import type { Task } from "@/lib/scheduler/core/records";

// Operator actions and the small per-task setters (SPEC §2.3, §2.5).

export function forgiveFailures(ctx: Ctx, taskId: string | null): Record<string, unknown> {
  const task = taskId === null ? undefined : ctx.state.tasks.get(taskId);
  if (!task) return { task_id: taskId, status: null };
  if (task.status === FAILED) {
    ctx.state.recordEvent({ task, status: PENDING, ts: ctx.now, host: null, origin: "rpc" });
    setStatus(ctx, task, PENDING); // forgive but do not forget: the failure count stays
  }
  return { task_id: taskId, status: task.status };
}

export function markAsDone(ctx: Ctx, taskId: string | null): Record<string, unknown> {
  const task = taskId === null ? undefined : ctx.state.tasks.get(taskId);
  if (!task) return { task_id: taskId, status: null };
  if (task.status === RUNNING || task.status === FAILED || task.status === DISABLED) {
    ctx.state.recordEvent({ task, status: DONE, ts: ctx.now, host: null, origin: "rpc" });
    setStatus(ctx, task, DONE);
  }
  return { task_id: taskId, status: task.status };
}

export function reEnableTask(ctx: Ctx, taskId: string): Record<string, unknown> {
  const task = ctx.state.tasks.get(taskId);
  if (!task || task.status !== DISABLED || !task.schedulerDisableTime) return {};
  ctx.state.recordEvent({ task, status: FAILED, ts: ctx.now, host: null, origin: "scheduler" });
  reEnable(ctx, task);
  return serializeTask(ctx, task, { deps: task.deps.slice() });
}

export function disableWorker(ctx: Ctx, workerId: string): void {
  const worker = ctx.state.getWorker(workerId, ctx.now);
  ctx.state.detachWorkerFromTasks(worker);
  worker.disabled = true;
  ctx.state.touchWorker(worker);
}

export function sendSchedulerMessage(ctx: Ctx, workerId: string, taskId: unknown, content: unknown): Record<string, unknown> {
  if (!ctx.config.sendMessages) return { message_id: null };
  const messageId = randomUUID();
  const worker = ctx.state.getWorker(workerId, ctx.now);
  worker.rpcMessages.push({ name: "dispatch_scheduler_message", kwargs: { task_id: taskId, message_id: messageId, content } });
  ctx.state.touchWorker(worker);
  return { message_id: messageId };
}

export function setWorkerProcesses(ctx: Ctx, workerId: string, n: unknown): void {
  const worker = ctx.state.getWorker(workerId, ctx.now);
  worker.rpcMessages.push({ name: "set_worker_processes", kwargs: { n } });
  ctx.state.touchWorker(worker);
}

/** status message / progress: stored on the task, and on its batch when it runs one. */
export function setOnTaskAndBatch(ctx: Ctx, taskId: string, apply: (t: Task) => void): void {
  const task = ctx.state.tasks.get(taskId);
  if (!task) return;
  apply(task);
  ctx.state.touch(task);
  if (task.status === RUNNING && task.batchId !== null) {
    for (const member of batchMembers(ctx, task.batchId)) {
      apply(member);
      ctx.state.touch(member);
    }
  }
}

export function decreaseRunningTaskResources(ctx: Ctx, taskId: string, decrease: Record<string, number>): void {
  const task = ctx.state.tasks.get(taskId);
  if (!task || task.status !== RUNNING) return;
  const lower = (t: Task) => {
    const held = t.resourcesRunning;
    if (!held) return;
    for (const [r, amount] of Object.entries(decrease)) if (amount > 0 && r in held) held[r] = Math.max(0, held[r] - amount);
    ctx.state.touch(t);
  };
  lower(task);
  if (task.batchId !== null) for (const member of batchMembers(ctx, task.batchId)) lower(member);
}

export function addSchedulerMessageResponse(ctx: Ctx, taskId: string, messageId: string, response: unknown): void {
  const task = ctx.state.tasks.get(taskId);
  if (!task) return;
  (task.messageResponses ??= {})[messageId] = response;
  ctx.state.touch(task);
}

/** Read-once: the stored reply is removed as it is returned. */
export function getSchedulerMessageResponse(ctx: Ctx, taskId: string, messageId: string): Record<string, unknown> {
  const task = ctx.state.tasks.get(taskId);
  let response: unknown = null;
  if (task?.messageResponses && messageId in task.messageResponses) {
    response = task.messageResponses[messageId];
    delete task.messageResponses[messageId];
    ctx.state.touch(task);
  }
  return { response };
}
