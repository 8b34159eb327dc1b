// POST /api/v1/services/{name}/silence {minutes, reason} – hold this service's alert messages for a while
import { withApi } from "@/lib/api/handler";
import { silenceService } from "@/lib/control/silence";
import { getPool } from "@/lib/db/client";
import { silenceServiceSchema } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: silenceServiceSchema }, ({ input, actor }) => silenceService(getPool(), actor, input));
