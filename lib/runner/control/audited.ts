import type pg from "pg";
import { ZodError } from "zod";
import { ApiError } from "@/lib/api/errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";

// Every control action goes through this: it runs the action and writes one audit entry with
// who, why, and the result — "ok" with a summary, "denied" for a refusal the actor can act on
// (a 4xx domain error), "error" for a failure — and passes the answer or the error on.

export type AuditTarget = { action: string; targetType: string; targetId?: string | number | null; reason?: string | null };

export async function audited<T>(pool: pg.Pool, actor: Actor, target: AuditTarget, action: () => Promise<T>, summarise: (result: T) => unknown): Promise<T> {
  let result: T;
  try {
    result = await action();
  } catch (error) {
    const refused = (error instanceof ApiError && error.status < 500) || error instanceof ZodError;
    await recordAudit(pool, {
      actor,
      ...target,
      outcome: refused ? "denied" : "error",
      result: { error: (error as Error).message, ...(error instanceof ApiError ? { code: error.code } : {}) },
    }).catch(() => {});
    throw error;
  }
  await recordAudit(pool, { actor, ...target, outcome: "ok", result: summarise(result) });
  return result;
}
