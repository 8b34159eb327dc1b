// GET /api/v1/runs/{id} – one run
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { getRun } from "@/lib/db/runs/get-runs";
import { runIdParams } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: runIdParams }, async ({ input }) => {
  const run = await getRun(getPool(), input.id);
  if (!run) throw notFound(`run ${input.id}`);
  return { run };
});
