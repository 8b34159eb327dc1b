// POST /api/v1/services/{name}/resume – claim this service's runs again
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { setServicePaused } from "@/lib/control/pause";
import { pauseServiceSchema } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: pauseServiceSchema }, ({ input, actor }) => setServicePaused(getPool(), actor, input, false));
