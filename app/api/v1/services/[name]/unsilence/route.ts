// POST /api/v1/services/{name}/unsilence {reason} – end its silence now: held messages of incidents still open go out
import { withApi } from "@/lib/api/handler";
import { unsilenceService } from "@/lib/control/silence";
import { getPool } from "@/lib/db/client";
import { pauseServiceSchema } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: pauseServiceSchema }, ({ input, actor }) => unsilenceService(getPool(), actor, input));
