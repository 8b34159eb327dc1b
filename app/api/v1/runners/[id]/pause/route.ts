// POST /api/v1/runners/{id}/pause – this runner claims nothing new and finishes what it has (lib/control/runner-actions.ts)
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { setOneRunnerPaused } from "@/lib/control/runner-actions";
import { runnerActionSchema } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: runnerActionSchema }, ({ input, actor }) => setOneRunnerPaused(getPool(), actor, input, true));
