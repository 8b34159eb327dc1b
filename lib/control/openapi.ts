import { z } from "zod";
import { alertChannelsOpenApi } from "@/lib/control/alert-channels-openapi";
import { incidentPaths, incidentSchemas } from "@/lib/control/openapi-incidents";
import { taskActionInput } from "@/lib/control/task-action";
import { backfillSchema, cancelRunSchema, enqueueRunSchema, listRunsQuery, pauseSchema, runSchema } from "@/lib/schemas/runs";
import { serviceConfigSchema, serviceUpdateSchema } from "@/lib/schemas/services";

// The OpenAPI 3.1 document of the control API (lib/control), generated from the same zod schemas the
// routes parse with (zod 4's z.toJSONSchema), so the document cannot drift from what is enforced.
// Served at GET /api/v1/openapi.json.

const json = (schema: z.ZodType, io: "input" | "output" = "input") => z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any" });

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
      required: ["code", "message"],
    },
  },
  required: ["error"],
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const body = (name: string) => ({ required: true, content: { "application/json": { schema: ref(name) } } });
const ok = (description: string, schema: object) => ({ description, content: { "application/json": { schema } } });
const errors = {
  "400": ok("invalid input: details lists each field and its problem", ref("Error")),
  "401": ok("not signed in and no API token", ref("Error")),
  "403": ok("the caller's role is too low, or a browser request came from another origin", ref("Error")),
};
const busy = { "409": ok("another run of this period is already queued or running: details.runId names it", ref("Error")) };
const pathParam = (name: string, description: string) => ({ name, in: "path", required: true, schema: { type: "string" }, description });

function queryParameters(schema: z.ZodObject) {
  const s = json(schema) as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({ name, in: "query", required: s.required?.includes(name) ?? false, schema: p }));
}

export function openApiDocument() {
  const runsList = { type: "object", properties: { runs: { type: "array", items: ref("Run") } } };
  const runAnswer = { type: "object", properties: { run: ref("Run"), created: { type: "boolean" } } };
  const serviceAnswer = { type: "object", properties: { service: ref("Service") } };
  const security = [{ bearer: [] }];
  const channels = alertChannelsOpenApi({ json, ref, body, ok, errors, pathParam });
  return {
    openapi: "3.1.0",
    info: { title: "Switchyard control API", version: "1", description: "Runs, backfills, services and the runner. Reads need the viewer role, actions operator, service edits admin. Every action is written to the audit log." },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "an API token (sy_…) or a signed-in session" } },
      schemas: {
        Run: json(runSchema, "output"),
        Service: json(serviceConfigSchema, "output"),
        EnqueueRun: json(enqueueRunSchema),
        Backfill: json(backfillSchema),
        Cancel: json(cancelRunSchema.omit({ id: true })),
        Pause: json(pauseSchema),
        TaskAction: json(taskActionInput.omit({ taskId: true, action: true })),
        // name is the path parameter; the body may repeat it
        ServiceUpdate: json(serviceUpdateSchema),
        Error: errorSchema,
        ...channels.schemas,
        ...incidentSchemas({ json, ref, ok, errors, queryParameters }),
      },
    },
    security,
    paths: {
      "/api/v1/runs": {
        get: { summary: "List runs, newest first", parameters: queryParameters(listRunsQuery), responses: { "200": ok("runs", runsList), ...errors } },
        post: { summary: "Re-run a period (optionally forced, or from a failed task)", requestBody: body("EnqueueRun"), responses: { "200": ok("the run; created is false when requestKey matched an earlier request, or when a plain re-run found the period's queued run (moved to the front)", runAnswer), ...busy, ...errors } },
      },
      "/api/v1/runs/{id}": { get: { summary: "One run", parameters: [pathParam("id", "run id")], responses: { "200": ok("the run", { type: "object", properties: { run: ref("Run") } }), ...errors } } },
      "/api/v1/runs/{id}/cancel": {
        post: { summary: "Cancel a queued run or stop a running one", parameters: [pathParam("id", "run id")], requestBody: body("Cancel"), responses: { "200": ok("cancel is cancelled (was queued) or requested (its runner stops it)", { type: "object" }), "409": ok("the run has already ended", ref("Error")), ...errors } },
      },
      "/api/v1/backfill": {
        post: { summary: "Queue one run per period of a date range; dryRun lists the periods only", requestBody: body("Backfill"), responses: { "200": ok("periods, the runs queued (none on a dry run), and the periods that already had an active run", {
              type: "object",
              properties: {
                periods: { type: "array", items: { type: "string" } },
                runs: { type: "array", items: ref("Run") },
                alreadyActive: { type: "array", items: { type: "object", properties: { period: { type: "string" }, runId: { type: "integer" }, status: { type: "string" } } } },
              },
            }), ...errors } },
      },
      "/api/v1/services": { get: { summary: "Every service", responses: { "200": ok("services", { type: "object", properties: { services: { type: "array", items: ref("Service") } } }), ...errors } } },
      "/api/v1/services/{name}": {
        get: { summary: "One service", parameters: [pathParam("name", "service name")], responses: { "200": ok("the service", serviceAnswer), ...errors } },
        patch: { summary: "Change some fields of a service (admin)", parameters: [pathParam("name", "service name")], requestBody: body("ServiceUpdate"), responses: { "200": ok("the service after the change", serviceAnswer), ...errors } },
      },
      "/api/v1/services/{name}/pause": { post: { summary: "Stop claiming the service's runs", parameters: [pathParam("name", "service name")], requestBody: body("Pause"), responses: { "200": ok("paused; changed is false if it already was", { type: "object" }), ...errors } } },
      "/api/v1/services/{name}/resume": { post: { summary: "Claim the service's runs again", parameters: [pathParam("name", "service name")], requestBody: body("Pause"), responses: { "200": ok("resumed", { type: "object" }), ...errors } } },
      "/api/v1/runner/pause": { post: { summary: "Stop claiming any run, fleet-wide", requestBody: body("Pause"), responses: { "200": ok("paused", { type: "object" }), ...errors } } },
      "/api/v1/tasks/{taskId}/{action}": {
        post: {
          summary: "Forgive a task's failures, re-enable it, or mark it done, on the scheduler",
          parameters: [pathParam("taskId", "Luigi task id"), { ...pathParam("action", "the task action"), schema: { type: "string", enum: ["forgive-failures", "re-enable", "mark-done"] } }],
          requestBody: body("TaskAction"),
          responses: { "200": ok("the task's status after the action", { type: "object" }), "404": ok("the scheduler does not know the task", ref("Error")), "409": ok("the task's status does not allow the action", ref("Error")), "502": ok("the scheduler did not answer", ref("Error")), ...errors },
        },
      },
      "/api/v1/runner/resume": { post: { summary: "Claim runs again, fleet-wide", requestBody: body("Pause"), responses: { "200": ok("resumed", { type: "object" }), ...errors } } },
      ...channels.paths,
      ...incidentPaths({ json, ref, ok, errors, queryParameters }),
    },
    webhooks: channels.webhooks,
  };
}
