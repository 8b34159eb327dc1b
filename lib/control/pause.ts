import type pg from "pg";
import { actorLabel } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { audited } from "@/lib/control/audited";
import { findServiceOrThrow } from "@/lib/control/find-service";

// Pause and resume a service or the whole runner fleet. Paused means nothing new is claimed
// (runs already running finish, due periods are still queued, so nothing is missed). The
// conditional write says whether anything changed: pausing a paused service is answered
// `changed: false`, not an error, so a repeated click is harmless.

export async function setServicePaused(pool: pg.Pool, actor: Actor, input: { name: string; reason?: string }, paused: boolean) {
  return audited(
    pool,
    actor,
    { intent: paused ? "service.pause" : "service.resume", targetId: input.name, reason: input.reason },
    async (db) => {
      await findServiceOrThrow(db, input.name);
      const r = await db.query("UPDATE services SET paused = $2, updated_at = now() WHERE name = $1 AND paused <> $2", [input.name, paused]);
      return { service: input.name, paused, changed: (r.rowCount ?? 0) > 0 };
    },
    (r) => r,
  );
}

export async function setRunnerPaused(pool: pg.Pool, actor: Actor, input: { reason?: string }, paused: boolean) {
  return audited(
    pool,
    actor,
    { intent: paused ? "runner.pause" : "runner.resume", targetId: "all", reason: input.reason },
    async (db) => {
      const r = await db.query(
        "UPDATE runner_control SET paused = $1, changed_by = $2, reason = $3, changed_at = now() WHERE id = 1 AND paused <> $1",
        [paused, actorLabel(actor), input.reason ?? null],
      );
      return { paused, changed: (r.rowCount ?? 0) > 0 };
    },
    (r) => r,
  );
}

export async function getRunnerControl(pool: pg.Pool) {
  const r = await pool.query("SELECT paused, max_running, changed_by, reason, changed_at FROM runner_control WHERE id = 1");
  const row = r.rows[0];
  return { paused: row.paused as boolean, maxRunning: row.max_running as number | null, changedBy: row.changed_by as string | null, reason: row.reason as string | null, changedAt: row.changed_at as Date };
}
