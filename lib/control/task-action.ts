import type pg from "pg";
import { z } from "zod";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { conflict, notFound, unavailable } from "@/lib/control/errors";
import { LuigiRpcError } from "@/lib/luigi-rpc/client";
import { webSchedulerClient } from "@/lib/presenters/scheduler-rpc";

// Scheduler task actions (forgive failures, re-enable, mark done): a closed list of intents, each
// one Luigi RPC on the scheduler (luigi-protocol SPEC.md §2.5). The scheduler's answer decides the
// outcome — "only a failed task can be forgiven" is its rule, not ours. The RPC is outside our
// database, so audited() commits a "pending" intent row before calling and the outcome after.

export const TASK_ACTIONS = {
  "forgive-failures": { method: "forgive_failures", intent: "task.forgive_failures", expect: "PENDING" },
  "re-enable": { method: "re_enable_task", intent: "task.re_enable", expect: null },
  "mark-done": { method: "mark_as_done", intent: "task.mark_done", expect: "DONE" },
} as const;
export type TaskAction = keyof typeof TASK_ACTIONS;

export const taskActionInput = z.strictObject({
  taskId: z.string().trim().min(1, "expected a task id").max(1000),
  action: z.enum(Object.keys(TASK_ACTIONS) as [TaskAction, ...TaskAction[]], "expected forgive-failures, re-enable or mark-done"),
  reason: z.string().trim().max(1000).optional(),
  requestKey: z.string().trim().max(200).optional(),
});
export type TaskActionInput = z.infer<typeof taskActionInput>;
export type TaskActionResult = { taskId: string; action: TaskAction; status: string | null; message: string };

function interpret(action: TaskAction, taskId: string, response: unknown): TaskActionResult {
  if (action === "re-enable") {
    const task = response as { status?: string } | null;
    if (!task || typeof task !== "object" || Object.keys(task).length === 0) {
      throw conflict(`${taskId} cannot be re-enabled: only a task the scheduler disabled can be`);
    }
    return { taskId, action, status: task.status ?? null, message: `${taskId} is re-enabled (now ${task.status ?? "unknown"}); a worker can run it again` };
  }
  const status = (response as { status?: string | null } | null)?.status ?? null;
  if (status === null) throw notFound(`task ${taskId} on the scheduler`);
  const wanted = TASK_ACTIONS[action].expect;
  if (status !== wanted) {
    const rule = action === "forgive-failures" ? "only a failed task can be forgiven" : "only a running, failed or disabled task can be marked done";
    throw conflict(`${taskId} is ${status}: ${rule}`, { status });
  }
  const message = action === "forgive-failures" ? `${taskId} is forgiven: it is PENDING and a worker may retry it at once` : `${taskId} is marked DONE`;
  return { taskId, action, status, message };
}

/** One scheduler RPC for an operator action; an unreachable scheduler is the domain's "unavailable". */
export async function callScheduler(base: string, method: string, args: Record<string, unknown>): Promise<unknown> {
  try {
    // signed as audited by the web: audited() records the action, the scheduler must not again
    return await webSchedulerClient(base).call(method, args);
  } catch (error) {
    if (error instanceof LuigiRpcError) throw unavailable(error.message, "scheduler_unreachable");
    throw error;
  }
}

export async function runTaskAction(pool: pg.Pool, base: string, actor: Actor, input: TaskActionInput): Promise<TaskActionResult> {
  const spec = TASK_ACTIONS[input.action];
  return audited(
    pool,
    actor,
    { intent: spec.intent, targetId: input.taskId, reason: input.reason },
    async () => interpret(input.action, input.taskId, await callScheduler(base, spec.method, { task_id: input.taskId })),
    (result) => ({ ...result, requestKey: input.requestKey ?? null }),
  );
}
