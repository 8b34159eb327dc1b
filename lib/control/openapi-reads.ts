import { errors, notFound, ok, pathParam, queryParameters } from "@/lib/control/openapi-parts";
import { daysInput, hourlyInput, runLogInput, runLogSearchInput, trendsInput } from "@/lib/presenters/inputs";
import { listAuditQuery } from "@/lib/schemas/audit";

// The read side of /api/v1 in the OpenAPI document: the dashboard's read models (one per page,
// lib/presenters; the pages poll them, scripts may too), health and the document itself. Their
// answers are the presenters' shapes, described in words rather than duplicated as schemas.

const read = (summary: string, answer: string, extra: object = {}) => ({ get: { summary, ...extra, responses: { "200": ok(answer, { type: "object" }), ...errors } } });
const runId = pathParam("id", "run id");

export function readPaths() {
  return {
    "/api/v1/health": {
      get: {
        summary: "Each part's status and latency (database, scheduler, runners); no sign-in needed. The runner list (runners) only for a signed-in caller, as GET /api/v1/runners",
        security: [],
        responses: { "200": ok("the database answers; parts lists each part's status", { type: "object" }), "503": ok("the database does not answer", { type: "object" }) },
      },
    },
    "/api/v1/audit": read("The audit log, newest first: who did what, when, why and what happened; filtered as the Audit page, and since an instant", "entries (values under secret-looking keys for admins only; targetName is a user target's e-mail address) and nextBefore, the before= of the next page (null on the last)", {
      parameters: queryParameters(listAuditQuery),
    }),
    "/api/v1/openapi.json": { get: { summary: "This document", security: [], responses: { "200": ok("the OpenAPI 3.1 document", { type: "object" }) } } },
    "/api/v1/dashboard/home": read("The home page's read model", "today's counts, the weekly grid, active runs, the queue and hosts"),
    "/api/v1/dashboard/pulse": read("A change token for live pages", "the newest run id and the running and queued counts"),
    "/api/v1/dashboard/daily": read("A page of days, newest first, with each day's period counts", "days", { parameters: queryParameters(daysInput) }),
    "/api/v1/dashboard/daily/{date}": read("Every service's daily run for one period date, against its usual duration", "the day", {
      parameters: [pathParam("date", "a date like 2026-11-22")],
    }),
    "/api/v1/dashboard/hourly": read("Services × 24 service-local hours of one date (default today, UTC)", "the hourly grid", { parameters: queryParameters(hourlyInput) }),
    "/api/v1/dashboard/services/{name}": {
      get: { summary: "One service's 90-day grid, duration trend, recent runs and configuration", parameters: [pathParam("name", "service name")], responses: { "200": ok("the service page", { type: "object" }), ...notFound("service"), ...errors } },
    },
    "/api/v1/dashboard/runs/{id}": {
      get: { summary: "A run, every attempt of its period, and its tasks as of the run", parameters: [runId], responses: { "200": ok("the run page", { type: "object" }), ...notFound("run"), ...errors } },
    },
    "/api/v1/dashboard/runs/{id}/graph": {
      get: { summary: "The run's live task graph from the scheduler, with each task's status", parameters: [runId], responses: { "200": ok("nodes and edges", { type: "object" }), ...notFound("run"), ...errors } },
    },
    "/api/v1/dashboard/runs/{id}/log": {
      get: { summary: "The log's tail, or what was appended since offset (bytes)", parameters: [runId, ...queryParameters(runLogInput.omit({ id: true }))], responses: { "200": ok("log text and the next offset", { type: "object" }), ...notFound("run"), ...errors } },
    },
    "/api/v1/dashboard/runs/{id}/log/search": {
      get: { summary: "The log's lines that contain q (case-insensitive), with line numbers", parameters: [runId, ...queryParameters(runLogSearchInput.omit({ id: true }))], responses: { "200": ok("matching lines", { type: "object" }), ...notFound("run"), ...errors } },
    },
    "/api/v1/dashboard/runs/{id}/log/download": {
      get: {
        summary: "The whole log file as an attachment, streamed",
        parameters: [runId],
        responses: { "200": { description: "the log", content: { "text/plain": { schema: { type: "string" } } } }, ...notFound("run or log file"), ...errors },
      },
    },
    "/api/v1/dashboard/trends": read("Runs finished per hour by status, queue depth, group durations", "the trends", { parameters: queryParameters(trendsInput) }),
    "/api/v1/dashboard/hosts": read("Worker hosts' CPU and memory, last hour and last day, bucketed for charts", "the hosts"),
    "/api/v1/dashboard/workers": read("The scheduler's workers and resources, with each worker host's CPU and memory", "the workers"),
  };
}

