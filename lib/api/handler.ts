import { NextResponse, type NextRequest } from "next/server";
import { z, ZodError } from "zod";
import { ApiError, forbidden, unauthorized } from "@/lib/api/errors";
import { readJsonObject } from "@/lib/api/read-body";
import { recordAudit } from "@/lib/audit/record-audit";
import { actorForToken } from "@/lib/auth/api-tokens";
import { hasRole, type Actor, type Role } from "@/lib/auth/roles";
import { sessionActor } from "@/lib/auth/session";
import { getPool } from "@/lib/db/client";
import { createLogger } from "@/lib/log/logger";
import { OutageReporter } from "@/lib/db/outage";

// Every /api/v1 route goes through withApi: it resolves who is calling, checks the role,
// parses the input with zod, and maps errors — ZodError → 400 with the field errors, ApiError →
// its own status, anything else → 500 with a log line that keeps the cause.

const log = createLogger("api");
// One WARN when the database goes away, one INFO when an answer succeeds again — not a stack trace per poll.
const databaseOutage = new OutageReporter(log);

type Context<I> = { input: I; actor: Actor; request: NextRequest; params: Record<string, string> };
type Options<S extends z.ZodType> = { role: Role; input?: S };
type RouteContext = { params: Promise<Record<string, string>> };

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
    try {
      const actor = await resolveActor(request);
      if (!actor) throw unauthorized();
      if (actor.kind === "user") assertSameOrigin(request);
      if (!hasRole(actor, options.role)) {
        if (request.method !== "GET" && request.method !== "HEAD") await recordRefusal(actor, request, options.role);
        throw forbidden(options.role);
      }
      const params = (await route?.params) ?? {};
      const input = options.input ? options.input.parse(await readInput(request, params)) : undefined;
      const result = await handler({ input: input as z.infer<S>, actor, request, params });
      databaseOutage.recovered();
      return NextResponse.json(result ?? { ok: true });
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}

/** An attempt to act without the role is itself worth knowing about: it goes in the audit log as denied. */
async function recordRefusal(actor: Actor, request: NextRequest, role: Role) {
  await recordAudit(getPool(), {
    actor,
    action: `${request.method} ${request.nextUrl.pathname}`,
    targetType: "api",
    targetId: request.nextUrl.pathname,
    outcome: "denied",
    result: { needed: role, had: actor.role },
  }).catch((error: unknown) => log.error("could not record a refused request in the audit log", { error: error as Error }));
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
  // "null" (sandboxed frames, file: pages, some redirects) or anything unparsable is no origin of ours
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

export function errorResponse(error: unknown, request?: NextRequest): NextResponse {
  if (error instanceof ZodError) {
    const details = error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const message = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join("; ");
    return NextResponse.json({ error: { code: "invalid_input", message, details } }, { status: 400 });
  }
  if (error instanceof ApiError) {
    return NextResponse.json({ error: { code: error.code, message: error.message, details: error.details ?? null } }, { status: error.status });
  }
  if (databaseOutage.failed(error)) {
    return NextResponse.json({ error: { code: "database_unavailable", message: "the database is unreachable right now; try again in a moment", details: null } }, { status: 503 });
  }
  log.error("unhandled error in an API route", { path: request?.nextUrl.pathname, error: error as Error });
  return NextResponse.json({ error: { code: "internal", message: "internal error; the server log has the cause", details: null } }, { status: 500 });
}
