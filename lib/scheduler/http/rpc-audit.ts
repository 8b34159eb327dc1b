import type pg from "pg";
import { recordAudit, type AuditOutcome } from "@/lib/audit/record-audit";
import { readSigningKey, SIGNATURE_HEADER, verifyCall } from "@/lib/luigi-rpc/call-signature";
import type { OperatorMethod } from "@/lib/luigi-rpc/names";
import type { Logger } from "@/lib/log/logger";
import type { IncomingMessage } from "node:http";

// Operator RPCs (names.ts OPERATOR_METHODS) end in the audit log like every other door (issue 10):
// a "pending" intent row before the call runs — if it cannot be written, the call is refused, so nothing
// happens unrecorded — and an "ok"/"error" row after, naming the intent. Refused attempts are
// written as "denied". Worker traffic is not audited. Calls marked by the dashboard or the runner
// (call-signature.ts) were audited by them already and are skipped. Without a database (in-memory
// mode) the same records go to the log.

export type Caller = { user: string | null; address: string };

export class AuditUnavailable extends Error {}

const KEY_RETRY_MS = 10_000;
const MAX_TEXT = 500;

export function callerLabel(caller: Caller): string {
  return caller.user ? `scheduler user ${caller.user} (${caller.address})` : `scheduler client ${caller.address}`;
}

/** What an operator call acts on, for the audit's target columns. */
function targetOf(method: OperatorMethod, args: Record<string, unknown>): { targetType: string; targetId: string | null } {
  const text = (v: unknown) => (v === undefined || v === null ? null : String(v).slice(0, MAX_TEXT));
  switch (method) {
    case "mark_as_done":
    case "forgive_failures":
    case "re_enable_task":
      return { targetType: "task", targetId: text(args.task_id) };
    case "send_scheduler_message":
      return { targetType: "task", targetId: text(args.task) };
    case "disable_worker":
    case "set_worker_processes":
      return { targetType: "worker", targetId: text(args.worker) };
    case "update_resource":
      return { targetType: "resource", targetId: text(args.resource) };
    case "update_resources":
      return { targetType: "resource", targetId: text(Object.keys(args).join(", ")) };
    default:
      return { targetType: "scheduler", targetId: null };
  }
}

/** Long strings (a scheduler message's content) are cut, so one call cannot bloat the audit log. */
function bounded(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) + "…" : value;
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (depth > 4 || typeof value !== "object" || value === null) return depth > 4 ? "…" : value;
  if (Array.isArray(value)) return value.slice(0, 20).map((v) => bounded(v, depth + 1));
  return Object.fromEntries(Object.entries(value).slice(0, 30).map(([k, v]) => [k, bounded(v, depth + 1)]));
}

export class RpcAudit {
  private key: Buffer | undefined;
  private keyReadAt = 0;

  constructor(
    private readonly pool: pg.Pool | null,
    private readonly logger: Logger,
    private readonly env: Record<string, string | undefined> = process.env,
  ) {}

  /** True when the request carries a valid mark from a part that audits its own calls. */
  auditedByCaller(req: IncomingMessage, method: string, data: string | null): boolean {
    const header = req.headers[SIGNATURE_HEADER];
    if (typeof header !== "string") return false;
    // The web writes auth.secret on its first start, possibly after the scheduler started.
    if (!this.key && Date.now() - this.keyReadAt > KEY_RETRY_MS) {
      this.keyReadAt = Date.now();
      this.key = readSigningKey(this.env);
    }
    return this.key !== undefined && verifyCall(this.key, header, method, data ?? "");
  }

  /** Writes the intent; throws AuditUnavailable when it cannot, and the call must then not run. */
  async intent(caller: Caller, method: OperatorMethod, args: Record<string, unknown>): Promise<number | null> {
    try {
      return await this.write(caller, method, args, "pending", { args: bounded(args) });
    } catch (error) {
      this.logger.error(`audit: could not record ${method} by ${callerLabel(caller)}; the call is refused`, { error: error as Error });
      throw new AuditUnavailable(`the audit log could not be written (${(error as Error).message}); ${method} was not run`);
    }
  }

  /** Writes the outcome; a failure is logged loudly, the intent row already says the call was made. */
  async outcome(caller: Caller, method: OperatorMethod, args: Record<string, unknown>, intentId: number | null, outcome: "ok" | "error", result: unknown): Promise<void> {
    await this.write(caller, method, args, outcome, { intentId, ...(bounded(result) as object) }).catch((error) =>
      this.logger.error(`audit: ${method} by ${callerLabel(caller)} ran (${outcome}) but its outcome could not be recorded; see intent ${intentId}`, { error: error as Error }),
    );
  }

  /** A refused attempt (host, cross-site, authentication). Never throws. */
  async denied(caller: Caller, method: OperatorMethod, code: string, reason: string, args: Record<string, unknown> = {}): Promise<void> {
    await this.write(caller, method, args, "denied", { code, message: reason }, reason).catch((error) =>
      this.logger.error(`audit: could not record a refused ${method} from ${callerLabel(caller)}`, { error: error as Error }),
    );
  }

  private async write(caller: Caller, method: OperatorMethod, args: Record<string, unknown>, outcome: AuditOutcome, result: unknown, reason: string | null = null): Promise<number | null> {
    const { targetType, targetId } = targetOf(method, args);
    const entry = { actor: callerLabel(caller), action: `scheduler.${method}`, targetType, targetId, reason, outcome, result };
    if (!this.pool) {
      this.logger.info(`audit: ${entry.actor} ${entry.action} ${targetType}${targetId ? ` ${targetId}` : ""}: ${outcome}`, { result: JSON.stringify(result).slice(0, 1000) });
      return null;
    }
    return recordAudit(this.pool, entry);
  }
}
