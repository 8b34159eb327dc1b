// GET /api/v1/incidents – open incidents, oldest first (status=all: then the latest resolved ones),
// all services' or one's (service=NAME, 404 when there is no such service); before=ID: the next
// page of resolved ones
import { withApi } from "@/lib/api/handler";
import { incidentView } from "@/lib/alerts/incident-view";
import { findServiceOrThrow } from "@/lib/control/find-service";
import { listIncidents } from "@/lib/db/alerts/incidents";
import { getPool } from "@/lib/db/client";
import { listIncidentsQuery } from "@/lib/schemas/incidents";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: listIncidentsQuery }, async ({ input }) => {
  const pool = getPool();
  const serviceId = input.service ? (await findServiceOrThrow(pool, input.service)).id : null;
  const resolvedLimit = input.status === "all" ? input.limit : 0;
  return { incidents: (await listIncidents(pool, { resolvedLimit, serviceId, resolvedBefore: input.before })).map(incidentView) };
});
