// POST /api/v1/runs/{id}/cancel – cancel a queued run, or stop a running one (SIGTERM, then SIGKILL)
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { cancelRun } from "@/lib/control/cancel-run";
import { cancelRunSchema } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: cancelRunSchema }, ({ input, actor }) => cancelRun(getPool(), actor, input));
