// GET /api/v1/audit – the audit log, newest first, with the Audit page's filters (actor, action,
// targetType, targetId, outcome) and since; paged by before=<the last id of the page before>.
// Any signed-in role reads it, as the page; values under secret-looking keys are shown to admins only.
import { withApi } from "@/lib/api/handler";
import { redactAuditResult } from "@/lib/auth/redact";
import { getPool } from "@/lib/db/client";
import { readAuditPage } from "@/lib/presenters/get-audit-data";
import { listAuditQuery } from "@/lib/schemas/audit";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: listAuditQuery }, async ({ input, actor }) => {
  const { entries, nextBefore } = await readAuditPage(getPool(), input, input.limit);
  return { entries: entries.map((e) => ({ ...e, result: redactAuditResult(e.result, actor) })), nextBefore };
});
