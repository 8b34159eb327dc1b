import { alertChannelsOpenApi } from "@/lib/control/alert-channels-openapi";
import { incidentPaths, incidentSchemas } from "@/lib/control/openapi-incidents";
import { body, errors, errorSchema, json, notFound, ok, pathParam, queryParameters, ref } from "@/lib/control/openapi-parts";
import { readPaths } from "@/lib/control/openapi-reads";
import { userPaths, userSchemas } from "@/lib/control/openapi-users";
import { schedulerActionInput } from "@/lib/control/scheduler-actions";
import { taskActionInput } from "@/lib/control/task-action";
import { RUNNER_ALIVE_SECONDS } from "@/lib/db/hosts/runners";
import { backfillSchema, cancelRunSchema, enqueueRunSchema, listRunsQuery, pauseSchema, rerunFailedSchema, runSchema, silenceServiceSchema } from "@/lib/schemas/runs";
import { serviceConfigSchema, servicesSyncSchema, serviceUpdateSchema } from "@/lib/schemas/services";

// The OpenAPI 3.1 document of the control API (lib/control), generated from the same zod schemas the
// routes parse with (zod 4's z.toJSONSchema), so the document cannot drift from what is enforced.
// Served at GET /api/v1/openapi.json.

const busy = { "409": ok("another run of this period is already queued or running: details.runId names it", ref("Error")) };

export function openApiDocument() {
  const runsList = { type: "object", properties: { runs: { type: "array", items: ref("Run") } } };
  const runAnswer = { type: "object", properties: { run: ref("Run"), created: { type: "boolean" } } };
  const serviceAnswer = { type: "object", properties: { service: ref("Service") } };
  const security = [{ bearer: [] }];
  const channels = alertChannelsOpenApi({ json, ref, body, ok, errors, pathParam });
  const syncAnswer = {
    type: "object",
    properties: {
      services: { type: "integer" },
      groups: { type: "integer" },
      changes: { type: "array", items: { type: "object", properties: { service: { type: "string" }, change: { type: "string", enum: ["added", "changed"] }, fields: { type: "array", items: { type: "string" } } } } },
      limits: {
        type: "array",
        description: "fleet-wide limits the file changed (maxRunning, or a concurrency group's), each audited as fleet.sync; null is no limit",
        items: { type: "object", properties: { limit: { type: "string" }, from: { type: ["integer", "null"] }, to: { type: ["integer", "null"] } } },
      },
      notInFile: { type: "array", items: { type: "string" }, description: "enabled, unpaused services the file does not name: they still run on their schedule" },
    },
  };
  return {
    openapi: "3.1.0",
    info: { title: "Switchyard control API", version: "1", description: "Runs, backfills, services and the runner. Reads need the viewer role, actions operator, service edits and accounts admin. Every action is written to the audit log." },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "an API token (sy_…) or a signed-in session" } },
      schemas: {
        Run: json(runSchema, "output"),
        Service: json(serviceConfigSchema, "output"),
        EnqueueRun: json(enqueueRunSchema),
        Backfill: json(backfillSchema),
        RerunFailed: json(rerunFailedSchema),
        Cancel: json(cancelRunSchema.omit({ id: true })),
        Pause: json(pauseSchema),
        // name is the path parameter
        Silence: json(silenceServiceSchema.omit({ name: true })),
        TaskAction: json(taskActionInput.omit({ taskId: true, action: true })),
        // name is the path parameter; the body may repeat it
        ServiceUpdate: json(serviceUpdateSchema),
        ServicesSync: json(servicesSyncSchema),
        // action is the path parameter; the body may repeat it
        SchedulerAction: json(schedulerActionInput),
        Error: errorSchema,
        ...channels.schemas,
        ...incidentSchemas({ json }),
        ...userSchemas({ json }),
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
        post: { summary: "Cancel a queued run or stop a running one", parameters: [pathParam("id", "run id")], requestBody: body("Cancel"), responses: { "200": ok("cancel is cancelled (was queued) or requested (its runner stops it)", { type: "object" }), "409": ok("the run has already ended, or (code external_run) it was launched outside Switchyard, which cannot stop it: the message says where to stop it", ref("Error")), ...errors } },
      },
      "/api/v1/runs/rerun-failed": {
        post: {
          summary: "Re-run every period whose latest run failed or was lost in the last `hours` (24), of enabled services, optionally of one kind or service: plain re-runs queued as manual runs, at most 500 at a time (oldest failure first; more says others are left); dryRun lists them only",
          requestBody: body("RerunFailed"),
          responses: { "200": ok("periods (each with the failed run it re-runs), more, the runs queued (none on a dry run), the periods that already had an active run, and a message", { type: "object" }), ...notFound("service"), ...errors },
        },
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
      "/api/v1/services": { get: { summary: "Every service, each with the silence of its alerts (silence: endsAt, reason, createdBy; null when its alerts are on)", responses: { "200": ok("services", { type: "object", properties: { services: { type: "array", items: ref("Service") } } }), ...errors } } },
      "/api/v1/services/{name}": {
        get: { summary: "One service, with the silence of its alerts (null when they are on)", parameters: [pathParam("name", "service name")], responses: { "200": ok("the service", serviceAnswer), ...errors } },
        patch: { summary: "Change some fields of a service (admin)", parameters: [pathParam("name", "service name")], requestBody: body("ServiceUpdate"), responses: { "200": ok("the service after the change", serviceAnswer), ...errors } },
      },
      "/api/v1/services/{name}/pause": { post: { summary: "Stop claiming the service's runs", parameters: [pathParam("name", "service name")], requestBody: body("Pause"), responses: { "200": ok("paused; changed is false if it already was", { type: "object" }), ...errors } } },
      "/api/v1/services/{name}/resume": { post: { summary: "Claim the service's runs again", parameters: [pathParam("name", "service name")], requestBody: body("Pause"), responses: { "200": ok("resumed", { type: "object" }), ...errors } } },
      "/api/v1/services/{name}/silence": {
        post: {
          summary: "Silence the service's alerts for `minutes` (at most a week): its incidents still open and show, their open messages are held; when the silence ends (its time, or unsilence) the held message of each incident still open goes out. A new silence replaces the one it has",
          parameters: [pathParam("name", "service name")],
          requestBody: body("Silence"),
          responses: { "200": ok("silenced: the silence (endsAt, reason, createdBy), and the one it replaced if any", { type: "object" }), ...notFound("service"), ...errors },
        },
      },
      "/api/v1/services/{name}/unsilence": {
        post: {
          summary: "End the service's silence now: the held messages of its incidents still open go out",
          parameters: [pathParam("name", "service name")],
          requestBody: body("Pause"),
          responses: { "200": ok("changed is false if it was not silenced; released: messages queued", { type: "object" }), ...notFound("service"), ...errors },
        },
      },
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
      "/api/v1/runners": {
        get: { summary: "The runners: alive, or down without having stopped (listed for a day); each one's host, last heartbeat, running runs, and whether it is paused (pause: by whom, when and why)", responses: { "200": ok("runners, newest heartbeat first; lastStopped: the runner that stopped (or was forgotten) last — id, host, at — or null", { type: "object" }), ...errors } },
      },
      "/api/v1/runners/{id}/pause": {
        post: { summary: "Pause one runner: it finishes the runs it has and claims nothing new (drain a host before maintenance); a runner started again on its host starts paused until resumed", parameters: [pathParam("id", "runner id, as on the home page's component health")], requestBody: body("Pause"), responses: { "200": ok("paused; changed is false if it already was; runningRuns it still has", { type: "object" }), "409": ok("the runner has stopped", ref("Error")), ...errors } },
      },
      "/api/v1/runners/{id}/resume": {
        post: { summary: "Resume one paused runner: it claims runs again", parameters: [pathParam("id", "runner id")], requestBody: body("Pause"), responses: { "200": ok("resumed; changed is false if it was not paused", { type: "object" }), "409": ok("the runner has stopped", ref("Error")), ...errors } },
      },
      "/api/v1/runners/{id}/forget": {
        post: {
          summary: "Say that a runner which stopped heartbeating without stopping is gone for good (its pod lost with its node): it is marked stopped, its runner_stale incident resolves, its running runs are marked lost and retried. It becomes live again if it heartbeats after all",
          parameters: [pathParam("id", "runner id, as on the home page's component health")],
          requestBody: body("Pause"),
          responses: { "200": ok("the runner, its host, how long it had been silent, and how many runs were still running on it", { type: "object" }), "409": ok(`the runner heartbeated within ${RUNNER_ALIVE_SECONDS} s (it is alive), or it had already stopped`, ref("Error")), ...errors },
        },
      },
      "/api/v1/services/sync": {
        post: {
          summary: "Write a services file's services into the database (admin): services added or changed, each change in the audit log; services not in the file are left alone and named in notInFile",
          requestBody: body("ServicesSync"),
          responses: { "200": ok("how many services and groups the file has, and what changed", syncAnswer), ...errors },
        },
      },
      "/api/v1/incidents/{id}/{action}": {
        post: {
          summary: "Acknowledge an incident (someone is on it) or resolve it by hand (its resolve message goes to its channels)",
          parameters: [pathParam("id", "incident id"), { ...pathParam("action", "the incident action"), schema: { type: "string", enum: ["acknowledge", "resolve"] } }],
          requestBody: { ...body("IncidentAction"), required: false },
          responses: { "200": ok("the incident after the action", { type: "object" }), ...notFound("incident"), "409": ok("the incident is already resolved, or already acknowledged by someone", ref("Error")), ...errors },
        },
      },
      "/api/v1/scheduler/{action}": {
        post: {
          summary: "Pause or unpause the scheduler, disable a worker, or set a worker's processes (operator)",
          parameters: [{ ...pathParam("action", "the scheduler action"), schema: { type: "string", enum: ["pause", "unpause", "disable-worker", "set-worker-processes"] } }],
          requestBody: body("SchedulerAction"),
          responses: { "200": ok("the action and a message saying what it did", { type: "object", properties: { action: { type: "string" }, message: { type: "string" } } }), "502": ok("the scheduler did not answer", ref("Error")), ...errors },
        },
      },
      "/api/v1/setup": {
        post: {
          summary: "Create the first admin with the one-time token `switchyard start` printed (the only route that needs no sign-in)",
          security: [],
          requestBody: { required: true, content: { "application/json": { schema: { type: "object", properties: { token: { type: "string" }, email: { type: "string" }, name: { type: "string" }, password: { type: "string" } }, required: ["token", "email", "name", "password"] } } } },
          responses: { "201": ok("the new admin's user id", { type: "object", properties: { id: { type: "string" } } }), "400": ok("bad input, or the token is spent or wrong (code setup_refused)", ref("Error")) },
        },
      },
      ...readPaths(),
      ...channels.paths,
      ...incidentPaths({ ref, ok, errors, queryParameters }),
      ...userPaths({ ref, ok, body, pathParam, errors }),
    },
    webhooks: channels.webhooks,
  };
}
