import { z } from "zod";
import { runKinds, runStatuses, runTriggers } from "@/lib/runner/run-states";
import { serviceName } from "@/lib/schemas/services";
import { parseWallDate } from "@/lib/time/zoned-time";
import { rowId, rowIdText } from "@/lib/schemas/row-id";

// Inputs and outputs of the run actions of the control API (/api/v1/runs, /backfill, /runner).
// The routes parse with these; the OpenAPI document is generated from them.

export const runKind = z.enum(runKinds, "expected daily or hourly");

/**
 * A day in the calendar (2026-02-30 is refused, not queued as nothing) and before the year 9999
 * (a day after 9999-12-31 is not YYYY-MM-DD); the format is the regex's to say.
 */
const inCalendar = (v: string) => !/^\d{4}-\d{2}-\d{2}/.test(v) || (parseWallDate(v.slice(0, 10)) !== null && v < "9999");
const dayText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a day YYYY-MM-DD").refine(inCalendar, "no such day in the calendar (or not before 9999)");
/** "YYYY-MM-DD" for daily runs, "YYYY-MM-DDTHH" for hourly ones; which one is checked against kind. */
const periodText = z
  .string("expected a period")
  .regex(/^\d{4}-\d{2}-\d{2}(T([01]\d|2[0-3]))?$/, "expected YYYY-MM-DD (daily) or YYYY-MM-DDTHH with HH 00-23 (hourly)")
  .refine(inCalendar, "no such day in the calendar (or not before 9999)");

const optionalReason = z.string().trim().max(1000, "at most 1000 characters").optional();
const requestKey = z.string().trim().min(1).max(200, "at most 200 characters").optional();

const periodMatchesKind = (v: { kind: string; period?: string; from?: string; to?: string }, ctx: z.RefinementCtx) => {
  for (const field of ["period", "from", "to"] as const) {
    const value = v[field];
    if (value === undefined) continue;
    const hourly = value.includes("T");
    if (v.kind === "daily" && hourly) ctx.addIssue({ code: "custom", path: [field], message: "a daily run's period is a day YYYY-MM-DD" });
    if (v.kind === "hourly" && !hourly && field === "period") ctx.addIssue({ code: "custom", path: [field], message: "an hourly run's period is an hour YYYY-MM-DDTHH" });
  }
};

export const enqueueRunSchema = z
  .strictObject({
    service: serviceName,
    kind: runKind,
    period: periodText,
    force: z.boolean("expected true or false").default(false),
    fromTask: z.string().trim().min(1).max(500).optional().describe("re-run from this task (its task id or family) of the period's last run; refused when that run has no such task"),
    reason: optionalReason,
    requestKey,
  })
  .superRefine(periodMatchesKind);
export type EnqueueRunInput = z.output<typeof enqueueRunSchema>;

export const backfillSchema = z
  .strictObject({
    service: serviceName,
    kind: runKind,
    from: dayText,
    to: dayText,
    force: z.boolean("expected true or false").default(false),
    dryRun: z.boolean("expected true or false").default(false),
    reason: optionalReason,
    requestKey,
  })
  .superRefine((v, ctx) => {
    if (!dayText.safeParse(v.from).success || !dayText.safeParse(v.to).success) return; // said on the field
    if (v.to < v.from) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
    const days = (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000;
    if (days > 366) ctx.addIssue({ code: "custom", path: ["to"], message: "a backfill covers at most 366 days" });
  });
export type BackfillInput = z.output<typeof backfillSchema>;

/** POST /api/v1/runs/rerun-failed: every period whose latest run failed within the last `hours`. */
export const RERUN_FAILED_LIMIT = 500;
export const rerunFailedSchema = z.strictObject({
  hours: z
    .number("expected hours: a whole number from 1 to 168 (a week)")
    .int("expected hours: a whole number from 1 to 168 (a week)")
    .min(1, "expected hours: a whole number from 1 to 168 (a week)")
    .max(168, "at most 168 hours (a week): older failures are re-run one service at a time (backfill)")
    .default(24),
  kind: runKind.optional(),
  service: serviceName.optional(),
  /** only these failed runs (what a dry run listed and the operator confirmed), where each is still its period's latest */
  failedRuns: z
    .array(z.number("expected run ids").int("expected run ids").positive("expected run ids"), "expected a list of run ids")
    .max(RERUN_FAILED_LIMIT, `at most ${RERUN_FAILED_LIMIT} runs at a time`)
    .optional(),
  dryRun: z.boolean("expected true or false").default(false),
  reason: optionalReason,
  requestKey,
});
export type RerunFailedInput = z.output<typeof rerunFailedSchema>;

export const runIdParams = z.strictObject({ id: rowIdText("a run id") });
export const cancelRunSchema = runIdParams.extend({ reason: optionalReason });
export const pauseSchema = z.strictObject({ reason: optionalReason });
export const pauseServiceSchema = z.strictObject({ name: serviceName, reason: optionalReason });
/** The longest silence: a week. Longer is not a silence but a channel filter (or a disabled service). */
export const SILENCE_MAX_MINUTES = 7 * 24 * 60;
export const silenceServiceSchema = z.strictObject({
  name: serviceName,
  minutes: z
    .number("expected minutes: a whole number from 1 to 10080 (a week)")
    .int("expected minutes: a whole number from 1 to 10080 (a week)")
    .min(1, "expected minutes: a whole number from 1 to 10080 (a week)")
    .max(SILENCE_MAX_MINUTES, "at most 10080 minutes (a week): for longer, filter the service out of a channel"),
  reason: optionalReason,
});
/** A runner's id as it registered ("<host>-<pid>-<8 hex>", the host up to 253 characters): no spaces or control characters. */
export const runnerActionSchema = z.strictObject({ id: z.string().regex(/^[^\s\p{Cc}]{1,300}$/u, "expected a runner id (no spaces, at most 300 characters; see switchyard runners list)"), reason: optionalReason });

export const listRunsQuery = z.strictObject({
  service: serviceName.optional(),
  kind: runKind.optional(),
  status: z.enum(runStatuses, `expected one of ${runStatuses.join(", ")}`).optional(),
  from: dayText.optional(),
  to: dayText.optional(),
  limit: z.coerce.number("expected a number").int().min(1).max(500, "at most 500").default(50),
  before: rowId("a run id").optional(),
});
export type ListRunsQuery = z.output<typeof listRunsQuery>;

export const runSchema = z.object({
  id: z.number(),
  serviceId: z.number(),
  serviceName: z.string(),
  kind: runKind,
  periodStart: z.string().describe("ISO instant the period starts"),
  periodDate: z.string(),
  periodHour: z.number().nullable(),
  attempt: z.number(),
  trigger: z.enum(runTriggers),
  force: z.boolean(),
  status: z.enum(runStatuses),
  queuePriority: z.number(),
  requestKey: z.string().nullable(),
  requestedBy: z.string().nullable(),
  reason: z.string().nullable(),
  command: z.string().nullable(),
  fromTask: z.string().nullable(),
  queuedAt: z.string(),
  notBefore: z.string(),
  startedAt: z.string().nullable(),
  lastUpdateAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  exitCode: z.number().nullable(),
  host: z.string().nullable(),
  runnerId: z.string().nullable(),
  pid: z.number().nullable(),
  logPath: z.string().nullable(),
  rootTaskId: z.string().nullable(),
  error: z.string().nullable(),
  cpuSeconds: z.number().nullable(),
  peakMemoryBytes: z.number().nullable(),
});
