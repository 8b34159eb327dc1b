import type { IncomingMessage, ServerResponse } from "node:http";
import type { SchedulerConfig } from "@/lib/scheduler/config";
import type { Logger } from "@/lib/log/logger";
import { applyCors } from "@/lib/scheduler/http/cors";
import type { Metrics } from "@/lib/scheduler/http/metrics";
import { JsonInputError } from "@/lib/scheduler/http/python-json";
import { BodyTooLarge, dataArgument, decodeData, readBody } from "@/lib/scheduler/http/request";
import { sendBody, sendEmpty, sendJsonError, sendTornadoError } from "@/lib/scheduler/http/respond";
import { serveStatic } from "@/lib/scheduler/http/static-files";
import { RpcError, type SchedulerService } from "@/lib/scheduler/service";

// Routes of luigid (SPEC §9) on node:http: /api/<method> (GET and POST alike), `/` (302 to the
// visualiser, HEAD 204 for health checks), /metrics, /static/. No input may crash the process:
// every request runs inside one try/catch that answers 500 with a JSON explanation.

export type HandlerDeps = { service: SchedulerService; config: SchedulerConfig; metrics: Metrics; logger: Logger };

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
  if (path.startsWith("/api/")) return handleApi(deps, req, res, path.slice(5), query);
  if (path === "/") {
    if (req.method === "HEAD") return sendEmpty(res, 204);
    if (req.method === "GET") return sendEmpty(res, 302, { Location: "static/visualiser/index.html", "Content-Type": "text/html; charset=UTF-8", "Content-Length": "0" });
    return sendTornadoError(req, res, 405);
  }
  if (path === "/metrics") {
    if (req.method !== "GET" && req.method !== "HEAD") return sendTornadoError(req, res, 405);
    return sendBody(req, res, 200, deps.metrics.render(deps.service), { type: "text/plain; version=0.0.4; charset=utf-8" });
  }
  if (path.startsWith("/static/")) return serveStatic(req, res, deps.config.server.static_dir, path.slice("/static/".length));
  return sendTornadoError(req, res, 404);
}

async function handleApi(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse, method: string, query: string): Promise<void> {
  applyCors(req, res, deps.config.cors);
  if (req.method === "OPTIONS") return sendEmpty(res, 204);
  if (req.method !== "GET" && req.method !== "POST") return sendTornadoError(req, res, 405);
  if (!deps.service.isMethod(method)) return sendTornadoError(req, res, 404);
  const started = performance.now();
  try {
    const body = await readBody(req, deps.config.server.max_body_bytes);
    const data = decodeData(dataArgument(query, req, body));
    const text = await deps.service.execute(method, data);
    deps.metrics.observeRpc(method, (performance.now() - started) / 1000);
    return await sendBody(req, res, 200, text, { etag: req.method === "GET" });
  } catch (error) {
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
