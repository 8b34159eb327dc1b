import type { Actor } from "@/lib/auth/roles";
import type { Queryable } from "@/lib/db/runs/run-columns";

// Every action a person or script takes (re-run, cancel, pause, sign-in set-up, ...) is written
// here, with who, why and what happened — including refusals ("denied") and failures ("error").

// "pending" is an intent written before an effect outside the database (lib/control/audited.ts).
export type AuditOutcome = "ok" | "denied" | "error" | "pending";

export type AuditRecord = {
  actor: Actor | string;
  action: string;
  targetType: string;
  targetId?: string | number | null;
  reason?: string | null;
  outcome: AuditOutcome;
  result?: unknown;
};

/**
 * The actor as stored: "user:alice@example.com", "system:runner", and for an API token the token
 * and whose it is, "token:nightly-script (alice@example.com)" — a revoked or leaked token must be
 * traceable to itself, not only to its user.
 */
export function actorLabel(actor: Actor | string): string {
  if (typeof actor === "string") return actor;
  if (actor.kind === "token" && actor.tokenName) return `token:${actor.tokenName} (${actor.name})`;
  return `${actor.kind}:${actor.name}`;
}

export async function recordAudit(db: Queryable, entry: AuditRecord): Promise<number> {
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
