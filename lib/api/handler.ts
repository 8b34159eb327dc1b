import { NextResponse, type NextRequest } from "next/server";
import { z, ZodError } from "zod";
import { ApiError, forbidden, unauthorized } from "@/lib/api/errors";
import { readJsonObject } from "@/lib/api/read-body";
import { createRefusalBudget } from "@/lib/api/refusal-budget";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorForToken } from "@/lib/auth/api-tokens";
import { hasRole, type Actor, type Role } from "@/lib/auth/roles";
import { sessionActor } from "@/lib/auth/session";
import { ControlError, type ControlErrorKind } from "@/lib/control/errors";
import { getPool } from "@/lib/db/client";
import { createLogger } from "@/lib/log/logger";
import { forgetSharedReads } from "@/lib/presenters/shared-read";
import { DatabaseOutage, isConnectionError } from "@/lib/db/outage";

// Every /api/v1 route goes through withApi: it resolves who is calling, checks the role,
// parses the input with zod, and maps errors — ZodError → 400 with the field errors, ApiError →
// its own status, a ControlError (lib/control) → the status of its kind, anything else → 500
// with a log line that keeps the cause. This is the only place a domain error becomes a status.
// A request that would change something and is refused before it reaches its action (401, 403
// role or origin, 400/415 input) is written to the audit log with the reason; once inside, the
// action's own audited() records it — up to a budget per caller per minute (refusal-budget.ts),
// so that an unauthenticated flood cannot fill the audit log.

const log = createLogger("api");
// One WARN when the database goes away, one INFO when an answer succeeds again — not a stack trace per poll.
const databaseOutage = new DatabaseOutage(log);
const refusalBudget = createRefusalBudget();

type Context<I> = { input: I; actor: Actor; request: NextRequest; params: Record<string, string> };
/** sessionOnly: refused to API tokens (403 session_required): a token that leaked must not be able to mint its successors. */
type Options<S extends z.ZodType> = { role: Role; input?: S; sessionOnly?: boolean };
type RouteContext = { params: Promise<Record<string, string>> };

const statusOfKind: Record<ControlErrorKind, number> = { invalid: 400, not_found: 404, conflict: 409, unavailable: 502 };

export async function resolveActor(request: NextRequest): Promise<Actor | null> {
  const header = request.headers.get("authorization");
  if (header?.startsWith("Bearer ")) return actorForToken(getPool(), header.slice(7).trim());
  return sessionActor(request.headers);
}

export function withApi<S extends z.ZodType>(
  options: Options<S>,
  handler: (ctx: Context<z.infer<S>>) => Promise<unknown>,
) {
  return async (request: NextRequest, route: RouteContext): Promise<NextResponse> => {
    let actor: Actor | null = null;
    let ctx: Context<z.infer<S>>;
    try {
      actor = await resolveActor(request);
      if (!actor) throw unauthorized();
      if (actor.kind === "user") assertSameOrigin(request);
      if (!hasRole(actor, options.role)) throw forbidden(options.role);
      if (options.sessionOnly && actor.kind !== "user") throw new ApiError(403, "session_required", "this is done signed in, in a browser (your Account page), not with an API token");
      const params = (await route?.params) ?? {};
      const input = options.input ? options.input.parse(await readInput(request, params)) : undefined;
      ctx = { input: input as z.infer<S>, actor, request, params };
    } catch (error) {
      await recordRefusal(actor, request, error);
      return errorResponse(error, request);
    }
    try {
      const result = await handler(ctx);
      databaseOutage.ok();
      // a change made here shows on the next read, not after a shared read model expires
      if (request.method !== "GET" && request.method !== "HEAD") forgetSharedReads();
      return NextResponse.json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}

/**
 * An attempt to change something that was refused at the door is itself worth knowing about: "denied", with the reason.
 * Also for the routes that need no sign-in (a set-up or password link that was refused).
 */
export async function recordRefusal(actor: Actor | null, request: NextRequest, error: unknown) {
  // Reads change nothing: a refused GET (a signed-out page polling) is answered, not recorded.
  if (request.method === "GET" || request.method === "HEAD") return;
  const { status, body } = errorBody(error);
  if (status >= 500) return;
  const { record, suppressed } = refusalBudget.take(actor ? `${actor.kind}:${actor.id}` : "anonymous");
  if (!record) return;
  const role = actor ? { had: actor.role } : {};
  await recordAudit(getPool(), {
    actor: actor ?? "anonymous",
    action: `${request.method} ${request.nextUrl.pathname}`,
    targetType: "api",
    targetId: request.nextUrl.pathname,
    outcome: "denied",
    result: { status, code: body.error.code, reason: body.error.message, ...(body.error.details ? { details: body.error.details } : {}), ...role, origin: request.headers.get("origin"), ...(suppressed ? { similarRefusalsNotRecorded: suppressed } : {}) },
  }).catch((e: unknown) => log.error("could not record a refused request in the audit log", { error: e as Error }));
}

/**
 * CSRF: a browser request that changes something must come from our own pages. Session cookies are
 * SameSite=Lax already; this also refuses cross-site origins and non-JSON bodies (which a
 * cross-site HTML form could send without a preflight).
 */
function assertSameOrigin(request: NextRequest) {
  if (request.method === "GET" || request.method === "HEAD") return;
  const origin = request.headers.get("origin");
  const host = request.headers.get("host");
  // "null" (a sandboxed frame, a file: page) or anything unparsable is not our origin.
  if (origin && host && originHost(origin) !== host) throw new ApiError(403, "cross_origin", `requests from ${origin} may not act here`);
  const type = request.headers.get("content-type") ?? "";
  if (request.headers.get("content-length") !== "0" && type && !type.startsWith("application/json")) {
    throw new ApiError(415, "unsupported_media_type", "send the request body as application/json");
  }
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

async function readInput(request: NextRequest, params: Record<string, string>): Promise<unknown> {
  const query = Object.fromEntries(request.nextUrl.searchParams);
  if (request.method === "GET" || request.method === "HEAD" || request.method === "DELETE") return { ...query, ...params };
  const body = await readJsonObject(request);
  if (!body) return { ...query, ...params };
  return { ...query, ...body, ...params };
}

type ErrorBody = { error: { code: string; message: string; details: unknown } };

function errorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ZodError) {
    const details = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const message = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join("; ");
    return { status: 400, body: { error: { code: "invalid_input", message, details } } };
  }
  if (error instanceof ApiError) return { status: error.status, body: { error: { code: error.code, message: error.message, details: error.details ?? null } } };
  if (error instanceof ControlError) return { status: statusOfKind[error.kind], body: { error: { code: error.code, message: error.message, details: error.details ?? null } } };
  if (isConnectionError(error)) return { status: 503, body: { error: { code: "database_unavailable", message: "the database is unreachable right now; try again in a moment", details: null } } };
  return { status: 500, body: { error: { code: "internal", message: "internal error; the server log has the cause", details: null } } };
}

export function errorResponse(error: unknown, request?: NextRequest): NextResponse {
  const { status, body } = errorBody(error);
  if (status === 503) databaseOutage.failed(error); // one WARN for the outage, not a stack trace per poll
  if (status === 500) log.error("unhandled error in an API route", { path: request?.nextUrl.pathname, error: error as Error });
  return NextResponse.json(body, { status });
}
