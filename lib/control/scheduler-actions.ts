import type pg from "pg";
import { z } from "zod";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { notFound } from "@/lib/control/errors";
import type { Intent } from "@/lib/control/intents";
import { callScheduler } from "@/lib/control/task-action";

// Scheduler-wide operator actions from the workers view (Luigi's visualiser has them too):
// pause / unpause the scheduler, disable a worker, set a worker's process count (SPEC §2.5).
// Each is a scheduler RPC, so audited() commits the intent before the call and its outcome after.

const reason = z.string().trim().max(1000).optional();
const worker = z.string().trim().min(1, "expected a worker id").max(1000);

export const schedulerActionInput = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("pause"), reason }),
  z.strictObject({ action: z.literal("unpause"), reason }),
  z.strictObject({ action: z.literal("disable-worker"), worker, reason }),
  z.strictObject({
    action: z.literal("set-worker-processes"),
    worker,
    processes: z.coerce.number().int("expected a whole number of processes").min(1, "a worker needs at least 1 process").max(1000, "at most 1000 processes"),
    reason,
  }),
]);
export type SchedulerActionInput = z.infer<typeof schedulerActionInput>;
export type SchedulerActionResult = { action: SchedulerActionInput["action"]; message: string };

type Plan = { method: string; args: Record<string, unknown>; intent: Intent; targetId: string | null; message: string };

function plan(input: SchedulerActionInput): Plan {
  switch (input.action) {
    case "pause":
      return { method: "pause", args: {}, intent: "scheduler.pause", targetId: null, message: "The scheduler is paused: workers get no new work until it is unpaused" };
    case "unpause":
      return { method: "unpause", args: {}, intent: "scheduler.unpause", targetId: null, message: "The scheduler is unpaused: workers get work again" };
    case "disable-worker":
      return {
        method: "disable_worker",
        args: { worker: input.worker },
        intent: "worker.disable",
        targetId: input.worker,
        message: `${input.worker} is disabled: it gets no new work and stops once its running tasks end`,
      };
    case "set-worker-processes":
      return {
        method: "set_worker_processes",
        args: { worker: input.worker, n: input.processes },
        intent: "worker.set_processes",
        targetId: input.worker,
        message: `${input.worker} is asked to run ${input.processes} process${input.processes === 1 ? "" : "es"} (it applies this at its next ping)`,
      };
  }
}

/** Worker actions need a worker the scheduler knows: disable_worker would otherwise create one. */
async function assertKnownWorker(base: string, name: string) {
  const workers = (await callScheduler(base, "worker_list", { include_running: false })) as Array<{ name?: string }> | null;
  if (!Array.isArray(workers) || !workers.some((w) => w.name === name)) throw notFound(`worker ${name} on the scheduler`);
}

export async function runSchedulerAction(pool: pg.Pool, base: string, actor: Actor, input: SchedulerActionInput): Promise<SchedulerActionResult> {
  const p = plan(input);
  return audited(
    pool,
    actor,
    { intent: p.intent, targetId: p.targetId, reason: input.reason },
    async () => {
      if (input.action === "disable-worker" || input.action === "set-worker-processes") await assertKnownWorker(base, input.worker);
      await callScheduler(base, p.method, p.args);
      return { action: input.action, message: p.message };
    },
    (result) => ({ message: result.message }),
  );
}
