import { z } from "zod";
import { incidentActionSchema, incidentSchema, listIncidentsQuery } from "@/lib/schemas/incidents";

// The incidents part of the OpenAPI document (lib/control/openapi.ts), from the zod schemas the
// routes parse with. Kept apart so the alerts' paths are one import in the shared document.

// The acknowledge/resolve action (/api/v1/incidents/{id}/{action}) is with the other actions in openapi.ts.

type Helpers = {
  json: (schema: z.ZodType, io?: "input" | "output") => object;
  ref: (name: string) => object;
  ok: (description: string, schema: object) => object;
  errors: Record<string, object>;
  queryParameters: (schema: z.ZodObject) => object[];
};

export function incidentSchemas(h: Pick<Helpers, "json">) {
  return { Incident: h.json(incidentSchema, "output"), IncidentAction: h.json(incidentActionSchema.omit({ id: true, action: true })) };
}

export function incidentPaths(h: Omit<Helpers, "json">) {
  return {
    "/api/v1/incidents": {
      get: {
        summary: "Open incidents, oldest first (status=all: then the latest resolved ones); service=NAME: only that service's",
        parameters: h.queryParameters(listIncidentsQuery),
        responses: {
          "200": h.ok("the incidents", { type: "object", properties: { incidents: { type: "array", items: h.ref("Incident") } } }),
          "404": h.ok("no service has that name", h.ref("Error")),
          ...h.errors,
        },
      },
    },
  };
}
