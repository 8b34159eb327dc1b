import { z } from "zod";
import { rowId } from "@/lib/schemas/row-id";

// GET /api/v1/audit: the audit log for scripts (a SIEM export, "who re-ran acme last night"), the
// Audit page's filters plus since and limit; newest first, paged with before (the last id of the
// page before). Validated strictly: a misspelt filter is an error, not the whole log.

const text = (max: number, what: string) => z.string().trim().min(1, `${what} is empty`).max(max, `${what}: at most ${max} characters`).optional();

export const AUDIT_PAGE = 100;

export const listAuditQuery = z.strictObject({
  actor: text(200, "actor").describe("entries whose actor contains this (case-insensitive), e.g. bob@example.com or token:nightly"),
  action: text(100, "action").describe("exactly this action, e.g. run.rerun or service.silence"),
  targetType: text(100, "targetType").describe("exactly this target type, e.g. run, service, runner"),
  targetId: text(200, "targetId").describe("exactly this target id, e.g. a run id or a service name"),
  outcome: z.enum(["ok", "denied", "error", "pending"], "expected ok, denied, error or pending").optional(),
  since: z.iso.datetime({ offset: true, message: "expected an instant like 2026-12-07T00:00:00Z" }).optional().describe("entries at or after this instant"),
  before: rowId("an audit entry id").optional().describe("the next page: entries older than this id"),
  limit: z.coerce.number("expected a number").int("expected a whole number").min(1, "at least 1").max(500, "at most 500").default(AUDIT_PAGE),
});

export type ListAuditQuery = z.output<typeof listAuditQuery>;
