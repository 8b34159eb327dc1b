import type pg from "pg";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { conflict, notFound } from "@/lib/control/errors";
import { cancelRunRow } from "@/lib/db/runs/cancel-run";
import { getRun } from "@/lib/db/runs/get-runs";
import type { Run } from "@/lib/db/runs/run-columns";

// POST /api/v1/runs/{id}/cancel. A queued run is cancelled at once; a running one is stopped by
// its runner (SIGTERM, then SIGKILL) and then recorded as cancelled — `cancel` says which. The
// runner hears of it by NOTIFY, which PostgreSQL delivers when the transaction (with its audit
// row) commits.

export async function cancelRun(pool: pg.Pool, actor: Actor, input: { id: number; reason?: string }): Promise<{ run: Run; cancel: "cancelled" | "requested" }> {
  return audited(
    pool,
    actor,
    { intent: "run.cancel", targetId: input.id, reason: input.reason },
    async (db) => {
      const outcome = await cancelRunRow(db, input.id, actorLabel(actor));
      const run = await getRun(db, input.id);
      if (outcome === "absent" || !run) throw notFound(`run ${input.id}`);
      if (outcome === "finished") throw conflict(`run ${input.id} has already ended (${run.status}); only queued and running runs can be cancelled`, { status: run.status });
      return { run, cancel: outcome };
    },
    (r) => ({ cancel: r.cancel, status: r.run.status }),
  );
}
