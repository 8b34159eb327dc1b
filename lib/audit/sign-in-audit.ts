import { createAuthMiddleware, isAPIError } from "better-auth/api";
import type pg from "pg";
import { recordAudit } from "@/lib/audit/record-audit";
import { createLogger } from "@/lib/log/logger";

// better-auth's "after" hook: every e-mail sign-in, won or refused, is written to the audit log
// with the address it was for and the client's address. A failed insert is logged, not raised:
// it must not turn a sign-in into an error page (the sign-in itself changes nothing of ours).

const log = createLogger("auth");

export function auditSignIns(pool: pg.Pool) {
  return createAuthMiddleware(async (ctx) => {
    if (ctx.path !== "/sign-in/email") return;
    const email = typeof ctx.body?.email === "string" ? ctx.body.email.trim().toLowerCase().slice(0, 320) : "(none)";
    const returned = ctx.context.returned;
    const failed = isAPIError(returned) || returned instanceof Error;
    const client = ctx.headers?.get("x-forwarded-for")?.split(",")[0]?.trim() || ctx.headers?.get("x-real-ip") || null;
    const userId = ctx.context.newSession?.user.id ?? null;
    await recordAudit(pool, {
      actor: failed ? "anonymous" : `user:${email}`,
      action: "auth.sign-in",
      targetType: "user",
      targetId: userId ?? email,
      outcome: failed ? "denied" : "ok",
      result: failed ? { email, client, reason: (returned as Error).message || "refused", status: isAPIError(returned) ? returned.statusCode : null } : { email, client },
    }).catch((error: unknown) => log.error("could not record a sign-in in the audit log", { error: error as Error }));
  });
}
