// POST /api/v1/runners/{id}/forget – a runner that died without stopping is gone for good (lib/control/runner-actions.ts)
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { forgetRunnerAction } from "@/lib/control/runner-actions";
import { runnerActionSchema } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: runnerActionSchema }, ({ input, actor }) => forgetRunnerAction(getPool(), actor, input));
