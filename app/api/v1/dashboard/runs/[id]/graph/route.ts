// GET /api/v1/dashboard/runs/:id/graph – the run's live task graph from the scheduler's dep_graph, with each task's status.
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getRunGraph } from "@/lib/presenters/get-run-graph";
import { runInput } from "@/lib/presenters/inputs";
import { schedulerUrl } from "@/lib/presenters/scheduler-rpc";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: runInput }, async ({ input }) => {
  const graph = await getRunGraph(getPool(), schedulerUrl(), input.id);
  if (!graph) throw notFound(`run ${input.id}`);
  return graph;
});
