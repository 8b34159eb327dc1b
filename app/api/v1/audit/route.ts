// GET /api/v1/audit – the audit log, newest first, with the Audit page's filters (actor, action,
// targetType, targetId, outcome) and since; paged by before=<the last id of the page before>.
// Any signed-in role reads it, as the page; values under secret-looking keys are shown to admins only.
import { withApi } from "@/lib/api/handler";
import { redactAuditResult } from "@/lib/auth/redact";
import { getPool } from "@/lib/db/client";
import { selectAuditLog } from "@/lib/db/queries/select-audit-log";
import { listAuditQuery } from "@/lib/schemas/audit";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: listAuditQuery }, async ({ input, actor }) => {
  const rows = await selectAuditLog(getPool(), { ...input, limit: input.limit + 1 });
  const entries = rows.slice(0, input.limit).map((e) => ({ ...e, result: redactAuditResult(e.result, actor) }));
  return { entries, nextBefore: rows.length > input.limit ? entries[entries.length - 1].id : null };
});
