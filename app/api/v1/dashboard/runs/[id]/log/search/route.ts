// GET /api/v1/dashboard/runs/:id/log/search?q=<text> – the log's lines that contain the text (case-insensitive), with line numbers.
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { runLogSearchInput } from "@/lib/presenters/inputs";
import { searchRunLog } from "@/lib/presenters/search-run-log";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: runLogSearchInput }, async ({ input }) => {
  const found = await searchRunLog(getPool(), input.id, input.q);
  if (!found) throw notFound(`run ${input.id}`);
  return found;
});
