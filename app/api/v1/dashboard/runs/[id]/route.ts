// GET /api/v1/dashboard/runs/:id – a run, every attempt of its period, and its tasks and events from Luigi's history.
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getRunData } from "@/lib/presenters/get-run-data";
import { runInput } from "@/lib/presenters/inputs";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: runInput }, async ({ input }) => {
  const data = await getRunData(getPool(), input.id);
  if (!data) throw notFound(`run ${input.id}`);
  return data;
});
