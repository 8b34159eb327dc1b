import type pg from "pg";
import type { Actor } from "@/lib/auth/roles";

// Every action a person or script takes (re-run, cancel, pause, sign-in set-up, ...) is written
// here, with who, why and what happened — including refusals ("denied") and failures ("error").

// "intent": written before an action whose effect is outside the database (a scheduler RPC); its outcome follows.
export type AuditOutcome = "ok" | "denied" | "error" | "intent";

export type AuditRecord = {
  actor: Actor | string;
  action: string;
  targetType: string;
  targetId?: string | number | null;
  reason?: string | null;
  outcome: AuditOutcome;
  result?: unknown;
};

/** The actor as stored: "user:alice@example.com", "token:deploy-bot", "system:runner". */
export function actorLabel(actor: Actor | string): string {
  return typeof actor === "string" ? actor : `${actor.kind}:${actor.name}`;
}

export async function recordAudit(db: pg.Pool | pg.PoolClient, entry: AuditRecord): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO audit_log (actor, action, target_type, target_id, reason, outcome, result)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id`,
    [
      actorLabel(entry.actor),
      entry.action,
      entry.targetType,
      entry.targetId == null ? null : String(entry.targetId),
      entry.reason?.trim() ? entry.reason.trim() : null,
      entry.outcome,
      JSON.stringify(entry.result ?? {}),
    ],
  );
  return Number(rows[0].id);
}
