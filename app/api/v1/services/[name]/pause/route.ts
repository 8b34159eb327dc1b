// POST /api/v1/services/{name}/pause – stop claiming this service's runs (running ones finish)
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { setServicePaused } from "@/lib/control/pause";
import { pauseServiceSchema } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: pauseServiceSchema }, ({ input, actor }) => setServicePaused(getPool(), actor, input, true));
