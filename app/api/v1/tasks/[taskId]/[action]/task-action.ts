import type pg from "pg";
import { z } from "zod";
import { conflict, notFound } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { callScheduler } from "@/lib/presenters/scheduler-rpc";

// Scheduler task actions (forgive failures, re-enable, mark done): a closed list of intents, each
// one Luigi RPC on the scheduler (luigi-protocol SPEC.md §2.5). The scheduler's answer decides the
// outcome — "only a failed task can be forgiven" is its rule, not ours — and every attempt, refused
// or failed, is written to the audit log with who and why.

export const TASK_ACTIONS = {
  "forgive-failures": { method: "forgive_failures", audit: "task.forgive_failures", expect: "PENDING" },
  "re-enable": { method: "re_enable_task", audit: "task.re_enable", expect: null },
  "mark-done": { method: "mark_as_done", audit: "task.mark_done", expect: "DONE" },
} as const;
export type TaskAction = keyof typeof TASK_ACTIONS;

export const taskActionInput = z.object({
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

export async function runTaskAction(pool: pg.Pool, base: string, actor: Actor, input: TaskActionInput): Promise<TaskActionResult> {
  const spec = TASK_ACTIONS[input.action];
  const audit = (outcome: "ok" | "error", result: unknown) =>
    recordAudit(pool, { actor, action: spec.audit, targetType: "task", targetId: input.taskId, reason: input.reason, outcome, result });
  try {
    const result = interpret(input.action, input.taskId, await callScheduler(base, spec.method, { task_id: input.taskId }));
    await audit("ok", { ...result, requestKey: input.requestKey ?? null });
    return result;
  } catch (error) {
    const e = error as Error & { code?: string };
    await audit("error", { code: e.code ?? "internal", message: e.message, requestKey: input.requestKey ?? null });
    throw error;
  }
}
