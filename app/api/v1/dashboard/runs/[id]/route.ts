// GET /api/v1/dashboard/runs/:id – a run, every attempt of its period, and its tasks (the root task's dependency closure) as of the run.
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getRunData } from "@/lib/presenters/get-run-data";
import { runInput } from "@/lib/presenters/inputs";
import { schedulerUrl } from "@/lib/presenters/scheduler-rpc";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: runInput }, async ({ input }) => {
  const data = await getRunData(getPool(), input.id, Date.now(), { schedulerUrl: schedulerUrl() });
  if (!data) throw notFound(`run ${input.id}`);
  return data;
});
