import { z } from "zod";
import { serviceName } from "@/lib/schemas/services";
import { rowId } from "@/lib/schemas/row-id";

// POST /api/v1/incidents/{id}/{action}: a closed list of intents.
export const INCIDENT_ACTIONS = ["acknowledge", "resolve"] as const;

export const incidentActionSchema = z.strictObject({
  id: rowId("an incident id"),
  action: z.enum(INCIDENT_ACTIONS, { message: `the action must be one of: ${INCIDENT_ACTIONS.join(", ")}` }),
  reason: z.string().trim().max(500).optional(),
});

/** How many resolved incidents a list gives by default (the page, the API, the CLI). */
export const RESOLVED_PAGE = 50;

// GET /api/v1/incidents: open incidents (oldest first), with --all also the latest resolved ones;
// with service, only that service's.
export const listIncidentsQuery = z
  .strictObject({
    service: serviceName.optional().describe("only this service's incidents"),
    status: z.enum(["open", "all"], "expected open or all").default("open"),
    limit: z.coerce.number("expected a number").int().min(1).max(500, "at most 500").default(RESOLVED_PAGE).describe("how many resolved incidents with status=all"),
    before: z.coerce
      .number("expected an incident id")
      .int("expected an incident id")
      .positive("expected an incident id")
      .optional()
      .describe("with status=all, the next page: only resolved incidents, those resolved before this one (the last one of the page before)"),
  })
  .refine((q) => q.before === undefined || q.status === "all", { message: "before pages through resolved incidents: use it with status=all", path: ["before"] });

export const incidentSchema = z.object({
  id: z.number(),
  rule: z.string().describe("run_failed, sla_miss, long_running, stuck_queue, runner_stale, runner_restarts, scheduler_unreachable, task_disabled or channel_failing; in a message only, database_unreachable (incident id 0: the database was away, so there is no incident row)"),
  severity: z.enum(["info", "warning", "critical"]),
  status: z.enum(["open", "resolved"]),
  serviceName: z.string().nullable(),
  kind: z.enum(["daily", "hourly"]).nullable(),
  periodDate: z.string().nullable(),
  periodStart: z.string().nullable().describe("ISO instant the period starts"),
  runId: z.number().nullable(),
  subject: z.string().nullable(),
  summary: z.string(),
  error: z.string().nullable(),
  openedAt: z.string(),
  openedCount: z.number(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});
export type IncidentView = z.output<typeof incidentSchema>;
