// Which /api/v1 paths exist and the methods each answers, so that a client that got either wrong
// is told so in the API's own error shape (`{ "error": { code, message, details } }`): Next.js
// alone answers an unknown path with the HTML "page not found" and a method a route does not
// export with an empty 405 and no Allow header. The proxy (proxy.ts) asks apiMisroute() before
// Next.js routes the request. The table is the route files' exports, written out: routes.test.ts
// reads app/api/v1 and fails when a route file and this table disagree.

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** Path templates (`{param}` is one path segment) → the methods their route.ts exports. */
export const API_ROUTES: Readonly<Record<string, readonly HttpMethod[]>> = {
  "/api/v1/account": ["GET"],
  "/api/v1/account/tokens": ["POST"],
  "/api/v1/account/tokens/revoke": ["POST"],
  "/api/v1/alert-channels": ["GET", "POST"],
  "/api/v1/alert-channels/{name}": ["PATCH", "DELETE"],
  "/api/v1/alert-channels/{name}/{action}": ["POST"],
  "/api/v1/audit": ["GET"],
  "/api/v1/backfill": ["POST"],
  "/api/v1/dashboard/daily": ["GET"],
  "/api/v1/dashboard/daily/{date}": ["GET"],
  "/api/v1/dashboard/home": ["GET"],
  "/api/v1/dashboard/hosts": ["GET"],
  "/api/v1/dashboard/hourly": ["GET"],
  "/api/v1/dashboard/pulse": ["GET"],
  "/api/v1/dashboard/runs/{id}": ["GET"],
  "/api/v1/dashboard/runs/{id}/graph": ["GET"],
  "/api/v1/dashboard/runs/{id}/log": ["GET"],
  "/api/v1/dashboard/runs/{id}/log/download": ["GET"],
  "/api/v1/dashboard/runs/{id}/log/search": ["GET"],
  "/api/v1/dashboard/services/{name}": ["GET"],
  "/api/v1/dashboard/trends": ["GET"],
  "/api/v1/dashboard/workers": ["GET"],
  "/api/v1/health": ["GET"],
  "/api/v1/incidents": ["GET"],
  "/api/v1/incidents/{id}/{action}": ["POST"],
  "/api/v1/openapi.json": ["GET"],
  "/api/v1/runner/pause": ["POST"],
  "/api/v1/runner/resume": ["POST"],
  "/api/v1/runners": ["GET"],
  "/api/v1/runners/{id}/forget": ["POST"],
  "/api/v1/runners/{id}/pause": ["POST"],
  "/api/v1/runners/{id}/resume": ["POST"],
  "/api/v1/runs": ["GET", "POST"],
  "/api/v1/runs/rerun-failed": ["POST"],
  "/api/v1/runs/{id}": ["GET"],
  "/api/v1/runs/{id}/cancel": ["POST"],
  "/api/v1/scheduler/{action}": ["POST"],
  "/api/v1/services": ["GET"],
  "/api/v1/services/sync": ["POST"],
  "/api/v1/services/{name}": ["GET", "PATCH"],
  "/api/v1/services/{name}/pause": ["POST"],
  "/api/v1/services/{name}/resume": ["POST"],
  "/api/v1/services/{name}/silence": ["POST"],
  "/api/v1/services/{name}/unsilence": ["POST"],
  "/api/v1/setup": ["POST"],
  "/api/v1/tasks/{taskId}/{action}": ["POST"],
  "/api/v1/join": ["POST"],
  "/api/v1/users": ["GET", "POST"],
  "/api/v1/users/{id}/{action}": ["POST"],
};

type Route = { template: string; segments: string[]; methods: readonly HttpMethod[] };

const routes: Route[] = Object.entries(API_ROUTES).map(([template, methods]) => ({ template, segments: template.split("/").slice(1), methods }));
const isParam = (segment: string) => segment.startsWith("{");

/**
 * The route a path is served by, as Next.js picks it: segment by segment, a literal segment wins
 * over a parameter (`/services/sync` is the sync route, not the service named "sync").
 */
export function apiRouteOf(pathname: string): Route | null {
  const parts = pathname.replace(/\/+$/, "").split("/").slice(1);
  let best: Route | null = null;
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    if (!route.segments.every((s, i) => (isParam(s) ? parts[i] !== "" : s === parts[i]))) continue;
    if (!best || moreLiteral(route, best)) best = route;
  }
  return best;
}

function moreLiteral(a: Route, b: Route): boolean {
  for (let i = 0; i < a.segments.length; i++) {
    const [pa, pb] = [isParam(a.segments[i]), isParam(b.segments[i])];
    if (pa !== pb) return pb;
  }
  return false;
}

/** The methods a route answers, as an Allow header lists them: HEAD wherever GET is, OPTIONS everywhere (Next.js answers both). */
function allowedMethods(route: Route): string[] {
  return [...route.methods, ...(route.methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"];
}

export type Misroute = { status: 404 | 405; headers: Record<string, string>; body: { error: { code: string; message: string; details: unknown } } };

/** null when the route exists and answers the method; else the 404 or 405 to answer, which says what exists. */
export function apiMisroute(method: string, pathname: string): Misroute | null {
  const route = apiRouteOf(pathname);
  if (!route) {
    const message = `there is no API route ${pathname}; the control API's routes are listed in /api/v1/openapi.json`;
    return { status: 404, headers: {}, body: { error: { code: "no_such_route", message, details: null } } };
  }
  const allowed = allowedMethods(route);
  if (allowed.includes(method.toUpperCase())) return null;
  const message = `${method.toUpperCase()} ${pathname}: this route answers ${route.methods.join(", ")} only`;
  return { status: 405, headers: { allow: allowed.join(", ") }, body: { error: { code: "method_not_allowed", message, details: { allow: route.methods } } } };
}
