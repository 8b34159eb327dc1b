// POST /api/v1/runner/pause – stop claiming any run, fleet-wide (running ones finish)
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { setRunnerPaused } from "@/lib/control/pause";
import { pauseSchema } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: pauseSchema }, ({ input, actor }) => setRunnerPaused(getPool(), actor, input, true));
