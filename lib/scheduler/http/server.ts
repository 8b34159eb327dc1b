import type { IncomingMessage, ServerResponse } from "node:http";
import type { SchedulerConfig } from "@/lib/scheduler/config";
import type { Logger } from "@/lib/log/logger";
import { isOperatorMethod } from "@/lib/luigi-rpc/names";
import { AUTH_CHALLENGE, checkAuth, checkHost, checkSameOrigin, clientAddress, type Refusal } from "@/lib/scheduler/http/access";
import { applyCors } from "@/lib/scheduler/http/cors";
import type { Metrics } from "@/lib/scheduler/http/metrics";
import { JsonInputError } from "@/lib/scheduler/http/python-json";
import { BodyTooLarge, dataArgument, decodeData, readBody } from "@/lib/scheduler/http/request";
import { sendBody, sendEmpty, sendJsonError, sendTornadoError } from "@/lib/scheduler/http/respond";
import { AuditUnavailable, type Caller, type RpcAudit } from "@/lib/scheduler/http/rpc-audit";
import { serveStatic } from "@/lib/scheduler/http/static-files";
import { RpcError, type SchedulerService } from "@/lib/scheduler/service";
import { parsePythonJson } from "@/lib/luigi-rpc/python-json";

// Routes of luigid (SPEC §9) on node:http: /api/<method> (GET and POST alike), `/` (302 to the
// visualiser, HEAD 204 for health checks), /metrics, /static/; and /runs/<run id>/api/<method>,
// the same RPCs from the workers of a run the runner launched (core/run-workers.ts). No input may crash the process:
// every request runs inside one try/catch that answers 500 with a JSON explanation. Before any
// route: the Host check and, when configured, Basic auth (access.ts); before a state-changing RPC,
// the cross-site check; around an operator RPC, the audit (rpc-audit.ts).

export type HandlerDeps = {
  service: SchedulerService;
  config: SchedulerConfig;
  metrics: Metrics;
  logger: Logger;
  audit: RpcAudit;
  /** What a standby signs the client's address of a forwarded request with (http/forward.ts); null: none believed. */
  forwardKey?: Buffer | null;
  /** The folder /static/ serves, once known (the daemon looks for the installed Luigi's while it starts); default static_dir. */
  staticDir?: Promise<string>;
};

export function createRequestHandler(deps: HandlerDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.on("finish", () => deps.metrics.observeResponse(res.statusCode));
    route(deps, req, res).catch((error) => {
      deps.logger.error("request failed", { path: req.url, error });
      if (!res.headersSent) void sendJsonError(req, res, 500, "internal_error", `the scheduler failed to handle this request: ${(error as Error).message}`).catch(() => res.destroy());
      else res.destroy();
    });
  };
}

async function route(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? "" : raw.slice(q + 1);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return sendTornadoError(req, res, 404);
  }
  const ofRun = RUN_PATH.exec(path);
  const run = ofRun ? Number(ofRun[1]) : null;
  if (ofRun) path = ofRun[2];
  const method = path.startsWith("/api/") ? path.slice(5) : null;
  const caller: Caller = { user: null, address: clientAddress(req, deps.forwardKey) };
  const host = checkHost(req, deps.config.access);
  if (host) return refuse(deps, req, res, caller, method, host);
  // HEAD / tells a load balancer the process is up and reveals nothing; a CORS preflight carries no credentials.
  const open = (path === "/" && req.method === "HEAD") || (method !== null && req.method === "OPTIONS");
  if (!open) {
    const auth = checkAuth(req, deps.config.access);
    if ("status" in auth) return refuse(deps, req, res, caller, method, auth);
    caller.user = auth.user;
  }
  if (method !== null) return handleApi(deps, req, res, method, query, caller, run);
  if (path === "/") {
    if (req.method === "HEAD") return sendEmpty(res, 204);
    if (req.method === "GET") return sendEmpty(res, 302, { Location: "static/visualiser/index.html", "Content-Type": "text/html; charset=UTF-8", "Content-Length": "0" });
    return sendTornadoError(req, res, 405);
  }
  if (path === "/metrics") {
    if (req.method !== "GET" && req.method !== "HEAD") return sendTornadoError(req, res, 405);
    return sendBody(req, res, 200, deps.metrics.render(deps.service), { type: "text/plain; version=0.0.4; charset=utf-8" });
  }
  if (path.startsWith("/static/")) return serveStatic(req, res, await (deps.staticDir ?? deps.config.server.static_dir), path.slice("/static/".length));
  return sendTornadoError(req, res, 404);
}

/** 401/403 with a JSON error that says why; a refused operator call is written to the audit log. */
async function refuse(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse, caller: Caller, method: string | null, refusal: Refusal): Promise<void> {
  if (method !== null && isOperatorMethod(method)) await deps.audit.denied(caller, method, refusal.code, refusal.message);
  else deps.logger.warn(`refused ${req.method} ${String(req.url).slice(0, 100)} from ${caller.address}: ${refusal.code}`);
  if (refusal.status === 401) res.setHeader("WWW-Authenticate", AUTH_CHALLENGE);
  return sendJsonError(req, res, refusal.status, refusal.code, refusal.message);
}

/** /runs/<run id>/api/<method>: a run id is a positive integer, like the dashboard's. */
const RUN_PATH = /^\/runs\/([1-9][0-9]{0,14})(\/api\/.*)$/;

async function handleApi(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse, method: string, query: string, caller: Caller, run: number | null): Promise<void> {
  applyCors(req, res, deps.config.cors);
  if (req.method === "OPTIONS") return sendEmpty(res, 204);
  if (req.method !== "GET" && req.method !== "POST") return sendTornadoError(req, res, 405);
  if (!deps.service.isMethod(method)) return sendTornadoError(req, res, 404);
  const operator = isOperatorMethod(method);
  if (deps.service.changesState(method) || operator) {
    const crossSite = checkSameOrigin(req);
    if (crossSite) return refuse(deps, req, res, caller, method, crossSite);
  }
  const started = performance.now();
  let intent: { id: number | null; args: Record<string, unknown> } | null = null;
  try {
    const body = await readBody(req, deps.config.server.max_body_bytes);
    const raw = dataArgument(query, req, body);
    const data = decodeData(raw);
    // While the database is down the call is refused before it runs (service.execute), so there is nothing to audit.
    if (operator && deps.service.durability.available() && !deps.audit.auditedByCaller(req, method, raw)) intent = { id: await deps.audit.intent(caller, method, data), args: data };
    const text = await deps.service.execute(method, data, run);
    deps.metrics.observeRpc(method, (performance.now() - started) / 1000);
    if (intent && operator) await deps.audit.outcome(caller, method, intent.args, intent.id, "ok", { response: responseOf(text) });
    return await sendBody(req, res, 200, text, { etag: req.method === "GET" });
  } catch (error) {
    if (intent && operator) await deps.audit.outcome(caller, method, intent.args, intent.id, "error", { message: (error as Error).message });
    if (error instanceof AuditUnavailable) return sendJsonError(req, res, 503, "audit_unavailable", error.message);
    if (error instanceof BodyTooLarge) {
      res.setHeader("Connection", "close");
      return sendJsonError(req, res, 413, "body_too_large", error.message);
    }
    if (error instanceof JsonInputError) return sendJsonError(req, res, 500, error.code, error.message);
    if (error instanceof RpcError) return sendJsonError(req, res, error.status, error.code, error.message);
    deps.logger.error(`${method} failed`, { error });
    return sendJsonError(req, res, 500, "internal_error", `${method} failed inside the scheduler: ${(error as Error).message}`);
  }
}

/** The reply of an operator call, for its audit row (these replies are small: a task, a flag or null). */
function responseOf(body: Buffer[]): unknown {
  const text = Buffer.concat(body).toString("utf8");
  if (text.length > 4096) return `(${text.length} bytes)`;
  return (parsePythonJson(text) as { response?: unknown }).response ?? null;
}
