// GET /api/v1/incidents – open incidents, oldest first (status=all: then the latest resolved ones)
import { withApi } from "@/lib/api/handler";
import { incidentView } from "@/lib/alerts/incident-view";
import { listIncidents } from "@/lib/db/alerts/incidents";
import { getPool } from "@/lib/db/client";
import { listIncidentsQuery } from "@/lib/schemas/incidents";

export const dynamic = "force-dynamic";

export const GET = withApi({ role: "viewer", input: listIncidentsQuery }, async ({ input }) => ({
  incidents: (await listIncidents(getPool(), input.status === "all" ? input.limit : 0)).map(incidentView),
}));
