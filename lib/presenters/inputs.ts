import { z } from "zod";
import { isIsoDate } from "@/lib/presenters/period-status";
import { rowId } from "@/lib/schemas/row-id";

// Inputs of the dashboard's pages and JSON routes (path segments and query strings), parsed the
// same way in both: a bad value is a 400 from a route and a 404 from a page, never a SQL error.

/** A date before 9999: the day after 9999-12-31 is not YYYY-MM-DD, and pages step to it. */
export const isoDate = z.string().refine((v) => isIsoDate(v) && v < "9999", "expected a date like 2026-11-22");
export const runId = rowId("a run id");
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : null));

export const dayInput = z.object({ date: isoDate });
export const daysInput = z.object({ before: isoDate.optional() });
export const hourlyInput = z.object({ date: isoDate.optional() });
const serviceNameText = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "not a service name");
export const serviceInput = z.object({ name: serviceNameText });
export const incidentsInput = z.object({ service: serviceNameText.optional(), before: rowId("an incident id").optional() });
export const runInput = z.object({ id: runId });
export const trendsInput = z.object({ window: z.enum(["day", "week"], "expected window=day or window=week").default("day") });
export const runLogSearchInput = z.object({ id: runId, q: z.string("expected q=<text to find>").trim().min(2, "search for at least 2 characters").max(200, "search for at most 200 characters") });
export const runLogInput = z.object({ id: runId, offset: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() });

export const TASK_STATUSES = ["PENDING", "RUNNING", "DONE", "FAILED", "DISABLED"] as const;

/** `param` is "name=value", repeatable up to 5 times (from a form: one per line). */
export const tasksInput = z.object({
  family: optionalText(128),
  param: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : v.split("\n")))
    .transform((list) => list.map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[^=\s][^=]*=.*$/, "expected name=value")).max(5, "at most 5 parameters")),
  status: z.enum(TASK_STATUSES, `expected a latest status: ${TASK_STATUSES.join(", ")}`).optional(),
  before: rowId("a task row id").optional(),
});

export const auditInput = z.object({
  actor: optionalText(200),
  action: optionalText(100),
  targetType: optionalText(100),
  targetId: optionalText(200),
  outcome: z.enum(["ok", "denied", "error", "pending"], "expected an outcome: ok, denied, error or pending").optional(),
  /** only the last hour, day or week */
  within: z.enum(["1h", "24h", "7d"], "expected within=1h, 24h or 7d").optional(),
  before: rowId("an audit entry id").optional(),
});

/** Next's searchParams (string | string[] | undefined per key) as a plain object for zod. */
export function fromSearchParams(params: Record<string, string | string[] | undefined>, arrays: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === "") continue;
    out[k] = Array.isArray(v) && !arrays.includes(k) ? v[0] : v;
  }
  return out;
}
