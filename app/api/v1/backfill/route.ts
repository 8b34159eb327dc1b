// POST /api/v1/backfill – queue one run per period of a date range; dryRun lists the periods and writes nothing
import { withApi } from "@/lib/api/handler";
import { getPool } from "@/lib/db/client";
import { backfill } from "@/lib/control/backfill";
import { backfillSchema } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: backfillSchema }, ({ input, actor }) => backfill(getPool(), actor, input));
