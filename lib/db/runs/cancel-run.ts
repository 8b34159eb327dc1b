import type { Queryable } from "@/lib/db/runs/run-columns";
import { allowedFrom } from "@/lib/runner/run-states";

// Cancel: a queued run is cancelled at once (queued → cancelled, conditional on still being
// queued). A running one gets a cancel request that its runner acts on — it hears the NOTIFY at
// once, or sees the request on its next heartbeat — by stopping the process and recording
// "cancelled". Returns what happened, decided by which conditional write matched a row.
// A running external run (trigger "external", launched by cron or another tool) gets no request:
// no runner owns its process, so nothing would ever act on it — "external" says so.

export type CancelOutcome = "cancelled" | "requested" | "external" | "finished" | "absent";

export const CANCEL_SQL = `
WITH queued AS (
  UPDATE runs SET status = 'cancelled', finished_at = now(), last_update_at = now(), error = 'cancelled by ' || $2 || ' before it started'
   WHERE id = $1 AND status = ANY($3::run_status[]) AND status = 'queued'
  RETURNING id
), requested AS (
  INSERT INTO run_runtime (run_id, cancel_requested_at, cancel_requested_by)
  SELECT id, now(), $2 FROM runs WHERE id = $1 AND status = 'running' AND trigger <> 'external'
      ON CONFLICT (run_id) DO UPDATE SET cancel_requested_at = coalesce(run_runtime.cancel_requested_at, now()),
                                         cancel_requested_by = coalesce(run_runtime.cancel_requested_by, excluded.cancel_requested_by)
  RETURNING run_id
), notified AS (
  SELECT pg_notify('switchyard_run_cancel', $1::text) FROM requested
)
SELECT (SELECT count(*) FROM queued)::int AS queued, (SELECT count(*) FROM requested)::int AS requested,
       (SELECT count(*) FROM notified)::int AS notified, (SELECT status FROM runs WHERE id = $1) AS status,
       (SELECT trigger FROM runs WHERE id = $1) AS trigger`;

export async function cancelRunRow(db: Queryable, runId: number, actor: string): Promise<CancelOutcome> {
  // Twice at most: a run claimed between the snapshot and the update matches neither write the
  // first time, and is running the second.
  for (let i = 0; i < 2; i++) {
    const row = (await db.query(CANCEL_SQL, [runId, actor, allowedFrom("cancelled")])).rows[0];
    if (row.queued > 0) return "cancelled";
    if (row.requested > 0) return "requested";
    if (row.status === null) return "absent";
    if (row.status === "running" && row.trigger === "external") return "external";
    if (row.status !== "queued" && row.status !== "running") return "finished";
  }
  return "finished";
}
