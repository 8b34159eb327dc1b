import { z } from "zod";
import { incidentActionSchema, incidentSchema, listIncidentsQuery } from "@/lib/schemas/incidents";

// The incidents part of the OpenAPI document (lib/control/openapi.ts), from the zod schemas the
// routes parse with. Kept apart so the alerts' paths are one import in the shared document.

type Helpers = {
  json: (schema: z.ZodType, io?: "input" | "output") => object;
  ref: (name: string) => object;
  ok: (description: string, schema: object) => object;
  errors: Record<string, object>;
  queryParameters: (schema: z.ZodObject) => object[];
};

export function incidentSchemas(h: Helpers) {
  return { Incident: h.json(incidentSchema, "output"), IncidentAction: h.json(incidentActionSchema.omit({ id: true, action: true })) };
}

export function incidentPaths(h: Helpers) {
  const id = { name: "id", in: "path", required: true, schema: { type: "string" }, description: "incident id" };
  const answer = (what: string) => h.ok(what, { type: "object", properties: { incident: { type: "object", description: "the incident row after the change" } } });
  const body = { required: false, content: { "application/json": { schema: h.ref("IncidentAction") } } };
  const notFound = { "404": h.ok("no such incident", h.ref("Error")) };
  return {
    "/api/v1/incidents": {
      get: {
        summary: "Open incidents, oldest first (status=all: then the latest resolved ones)",
        parameters: h.queryParameters(listIncidentsQuery),
        responses: { "200": h.ok("the incidents", { type: "object", properties: { incidents: { type: "array", items: h.ref("Incident") } } }), ...h.errors },
      },
    },
    "/api/v1/incidents/{id}/acknowledge": {
      post: { summary: "Say someone is on it (audited)", parameters: [id], requestBody: body, responses: { "200": answer("acknowledged"), ...notFound, "409": h.ok("already acknowledged or resolved", h.ref("Error")), ...h.errors } },
    },
    "/api/v1/incidents/{id}/resolve": {
      post: { summary: "Resolve by hand (audited); the resolve message goes to the channels that had the open one", parameters: [id], requestBody: body, responses: { "200": answer("resolved"), ...notFound, "409": h.ok("already resolved", h.ref("Error")), ...h.errors } },
    },
  };
}
