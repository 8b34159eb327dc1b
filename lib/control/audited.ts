import type pg from "pg";
import { ZodError } from "zod";
import { recordAudit, type AuditOutcome } from "@/lib/audit/record-audit";
import type { Actor } from "@/lib/auth/roles";
import { ControlError } from "@/lib/control/errors";
import { INTENTS, type Intent } from "@/lib/control/intents";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { createLogger } from "@/lib/log/logger";

// Every operator action goes through audited(), so none can happen unrecorded (issue 10):
// - a database change runs inside one transaction with its "ok" audit row: both commit or
//   neither does (a failed audit insert rolls the change back);
// - a scheduler RPC (or another external call) cannot join our transaction, so a "pending" intent row is committed first
//   (no row, no call), and the outcome is a second row naming it (result.intentId).
// A refusal ("denied": a ControlError the caller can act on, or a ZodError) or a failure
// ("error") is recorded after the rollback, and the error passes on to withApi.

const log = createLogger("control");

export type AuditedRequest = { intent: Intent; targetId?: string | number | null; reason?: string | null };

export async function audited<T>(
  pool: pg.Pool,
  actor: Actor,
  request: AuditedRequest,
  effect: (db: Queryable) => Promise<T>,
  summarise: (result: T) => unknown,
): Promise<T> {
  return INTENTS[request.intent].effect === "database" ? inTransaction(pool, actor, request, effect, summarise) : withIntent(pool, actor, request, effect, summarise);
}

const entry = (actor: Actor, request: AuditedRequest, outcome: AuditOutcome, result: unknown) => ({
  actor,
  action: request.intent,
  targetType: INTENTS[request.intent].target,
  targetId: request.targetId,
  reason: request.reason,
  outcome,
  result,
});

export function failureOutcome(error: unknown): { outcome: AuditOutcome; result: Record<string, unknown> } {
  if (error instanceof ZodError) return { outcome: "denied", result: { code: "invalid_input", error: error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") } };
  if (error instanceof ControlError) return { outcome: error.refusal ? "denied" : "error", result: { code: error.code, error: error.message } };
  return { outcome: "error", result: { code: "internal", error: (error as Error).message } };
}

async function inTransaction<T>(pool: pg.Pool, actor: Actor, request: AuditedRequest, effect: (db: Queryable) => Promise<T>, summarise: (result: T) => unknown): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await effect(client);
    await recordAudit(client, entry(actor, request, "ok", summarise(result)));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => (broken = true));
    const failure = failureOutcome(error);
    // The action did not happen (rolled back); the attempt is still worth a row. Written on the
    // same connection: asking the pool for a second one while holding this one can exhaust it
    // when many actions fail at once (twenty clicks on a busy period).
    await recordAudit(broken ? pool : client, entry(actor, request, failure.outcome, failure.result)).catch((e: unknown) => log.error("could not record a failed action in the audit log", { intent: request.intent, error: e as Error }));
    throw error;
  } finally {
    client.release(broken);
  }
}

async function withIntent<T>(pool: pg.Pool, actor: Actor, request: AuditedRequest, effect: (db: Queryable) => Promise<T>, summarise: (result: T) => unknown): Promise<T> {
  // If this insert fails, the effect is never attempted.
  const intentId = await recordAudit(pool, entry(actor, request, "pending", {}));
  let result: T;
  try {
    result = await effect(pool);
  } catch (error) {
    const failure = failureOutcome(error);
    await recordAudit(pool, entry(actor, request, failure.outcome, { intentId, ...failure.result })).catch((e: unknown) =>
      log.error("could not record an action's outcome; its pending intent row stays", { intent: request.intent, intentId, error: e as Error }),
    );
    throw error;
  }
  // The effect has happened: a failed outcome row must not turn it into an error answer (the intent row records it).
  await recordAudit(pool, entry(actor, request, "ok", { intentId, ...(summarise(result) as object) })).catch((e: unknown) =>
    log.error("could not record an action's outcome; its pending intent row stays", { intent: request.intent, intentId, error: e as Error }),
  );
  return result;
}
