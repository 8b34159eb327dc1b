// POST /api/v1/incidents/{id}/acknowledge – say someone is on it
// POST /api/v1/incidents/{id}/resolve – resolve by hand (the resolve message goes to its channels)
import { withApi } from "@/lib/api/handler";
import { acknowledgeIncident, resolveIncident } from "@/lib/alerts/actions";
import { getPool } from "@/lib/db/client";
import { incidentActionSchema } from "@/lib/schemas/incidents";

export const dynamic = "force-dynamic";

export const POST = withApi({ role: "operator", input: incidentActionSchema }, ({ input, actor }) =>
  input.action === "acknowledge" ? acknowledgeIncident(getPool(), actor, input) : resolveIncident(getPool(), actor, input),
);
