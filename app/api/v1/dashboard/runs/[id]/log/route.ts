// GET /api/v1/dashboard/runs/:id/log – the log's tail, or what was appended since ?offset=<bytes>.
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getRunLog } from "@/lib/presenters/get-run-log";
import { runLogInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: runLogInput }, async ({ input }) => {
  const log = await getRunLog(getPool(), input.id, input.offset ?? null);
  if (!log) throw notFound(`run ${input.id}`);
  return log;
});
