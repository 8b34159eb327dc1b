// POST /api/v1/runs/rerun-failed {hours, kind, service, dryRun, reason} – re-run every period whose latest run failed recently
import { withApi } from "@/lib/api/handler";
import { rerunFailed } from "@/lib/control/rerun-failed";
import { getPool } from "@/lib/db/client";
import { rerunFailedSchema } from "@/lib/schemas/runs";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: rerunFailedSchema }, ({ input, actor }) => rerunFailed(getPool(), actor, input));
