import type pg from "pg";
import { z } from "zod";
import { notFound } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { callScheduler } from "@/lib/presenters/scheduler-rpc";

// Scheduler-wide operator actions from the workers view (Luigi's visualiser has them too):
// pause / unpause the scheduler, disable a worker, set a worker's process count (SPEC §2.5).
// Their effect is outside the database, so the intent is written to the audit log before the RPC
// and its outcome after: an action can fail to happen, but never happen unrecorded.

export const schedulerActionInput = z.discriminatedUnion("action", [
  z.object({ action: z.literal("pause"), reason: z.string().trim().max(1000).optional() }),
  z.object({ action: z.literal("unpause"), reason: z.string().trim().max(1000).optional() }),
  z.object({ action: z.literal("disable-worker"), worker: z.string().trim().min(1, "expected a worker id").max(1000), reason: z.string().trim().max(1000).optional() }),
  z.object({
    action: z.literal("set-worker-processes"),
    worker: z.string().trim().min(1, "expected a worker id").max(1000),
    processes: z.coerce.number().int("expected a whole number of processes").min(1, "a worker needs at least 1 process").max(1000, "at most 1000 processes"),
    reason: z.string().trim().max(1000).optional(),
  }),
]);
export type SchedulerActionInput = z.infer<typeof schedulerActionInput>;
export type SchedulerActionResult = { action: SchedulerActionInput["action"]; message: string };

type Plan = { method: string; args: Record<string, unknown>; audit: string; targetType: string; targetId: string | null; message: string };

function plan(input: SchedulerActionInput): Plan {
  switch (input.action) {
    case "pause":
      return { method: "pause", args: {}, audit: "scheduler.pause", targetType: "scheduler", targetId: null, message: "The scheduler is paused: workers get no new work until it is unpaused" };
    case "unpause":
      return { method: "unpause", args: {}, audit: "scheduler.unpause", targetType: "scheduler", targetId: null, message: "The scheduler is unpaused: workers get work again" };
    case "disable-worker":
      return {
        method: "disable_worker",
        args: { worker: input.worker },
        audit: "worker.disable",
        targetType: "worker",
        targetId: input.worker,
        message: `${input.worker} is disabled: it gets no new work and stops once its running tasks end`,
      };
    case "set-worker-processes":
      return {
        method: "set_worker_processes",
        args: { worker: input.worker, n: input.processes },
        audit: "worker.set_processes",
        targetType: "worker",
        targetId: input.worker,
        message: `${input.worker} is asked to run ${input.processes} process${input.processes === 1 ? "" : "es"} (it applies this at its next ping)`,
      };
  }
}

/** Worker actions need a worker the scheduler knows: disable_worker would otherwise create one. */
async function assertKnownWorker(base: string, worker: string) {
  const workers = (await callScheduler(base, "worker_list", { include_running: false })) as Array<{ name?: string }> | null;
  if (!Array.isArray(workers) || !workers.some((w) => w.name === worker)) throw notFound(`worker ${worker} on the scheduler`);
}

export async function runSchedulerAction(pool: pg.Pool, base: string, actor: Actor, input: SchedulerActionInput): Promise<SchedulerActionResult> {
  const p = plan(input);
  const reason = input.reason;
  const intentId = await recordAudit(pool, { actor, action: p.audit, targetType: p.targetType, targetId: p.targetId, reason, outcome: "pending", result: { method: p.method, args: p.args } });
  try {
    if (input.action === "disable-worker" || input.action === "set-worker-processes") await assertKnownWorker(base, input.worker);
    await callScheduler(base, p.method, p.args);
  } catch (error) {
    const e = error as Error & { code?: string };
    await recordAudit(pool, { actor, action: p.audit, targetType: p.targetType, targetId: p.targetId, reason, outcome: "error", result: { intent: intentId, code: e.code ?? "internal", message: e.message } });
    throw error;
  }
  await recordAudit(pool, { actor, action: p.audit, targetType: p.targetType, targetId: p.targetId, reason, outcome: "ok", result: { intent: intentId, message: p.message } });
  return { action: input.action, message: p.message };
}
