// GET /api/v1/runs – list runs, newest first (filters: service, kind, status, from, to; paged by before)
// POST /api/v1/runs – re-run a period, optionally forced or from a failed task; same requestKey → same run
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { listRuns } from "@/lib/db/runs/get-runs";
import { enqueueRun } from "@/lib/control/enqueue-run";
import { enqueueRunSchema, listRunsQuery } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: listRunsQuery }, async ({ input }) => ({ runs: await listRuns(getPool(), input) }));

export const POST = withApi({ role: "operator", input: enqueueRunSchema }, ({ input, actor }) => enqueueRun(getPool(), actor, input));
