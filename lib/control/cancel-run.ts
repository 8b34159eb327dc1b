import type pg from "pg";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { conflict, ControlError, notFound } from "@/lib/control/errors";
import { cancelRunRow } from "@/lib/db/runs/cancel-run";
import { getRun } from "@/lib/db/runs/get-runs";
import type { Run } from "@/lib/db/runs/run-columns";

// POST /api/v1/runs/{id}/cancel. A queued run is cancelled at once; a running one is stopped by
// its runner (SIGTERM, then SIGKILL) and then recorded as cancelled — `cancel` says which. The
// runner hears of it by NOTIFY, which PostgreSQL delivers when the transaction (with its audit
// row) commits.
// A running external run is refused (409, code external_run): Switchyard cannot stop a process it
// did not launch, and marking the run cancelled while the worker goes on would be a lie — the
// period would show cancelled while its tasks finish, and the next event would record it again.
// The refusal is audited ("denied") and says where the run can be stopped.

export async function cancelRun(pool: pg.Pool, actor: Actor, input: { id: number; reason?: string }): Promise<{ run: Run; cancel: "cancelled" | "requested" }> {
  return audited(
    pool,
    actor,
    { intent: "run.cancel", targetId: input.id, reason: input.reason },
    async (db) => {
      const outcome = await cancelRunRow(db, input.id, actorLabel(actor));
      const run = await getRun(db, input.id);
      if (outcome === "absent" || !run) throw notFound(`run ${input.id}`);
      if (outcome === "external") throw externalRefusal(run);
      if (outcome === "finished") throw conflict(`run ${input.id} has already ended (${run.status}); only queued and running runs can be cancelled`, { status: run.status });
      return { run, cancel: outcome };
    },
    (r) => ({ cancel: r.cancel, status: r.run.status }),
  );
}

/** Says who runs it and what the operator can do instead. */
function externalRefusal(run: Run): ControlError {
  const where = `${run.runnerId ? `worker ${run.runnerId}` : "its worker"}${run.host ? ` on ${run.host}` : ""}`;
  return new ControlError(
    "conflict",
    `run ${run.id} was launched outside Switchyard (${where}), so Switchyard cannot stop it. ` +
      "Stop it where it was started (its cron, Jenkins or Airflow job, or the worker process): the run then ends by itself as failed or done. " +
      "To keep that worker from taking new tasks meanwhile, disable it on the Workers page.",
    { trigger: run.trigger, host: run.host, worker: run.runnerId },
    "external_run",
  );
}
