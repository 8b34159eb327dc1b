import http from "node:http";
import type pg from "pg";
import { serveRunLog } from "@/lib/runner/log-server";

// `switchyard runner --health-port N`: GET /healthz answers 200 while this runner's heartbeat in
// PostgreSQL is fresh (its loop runs and the database answers), 503 otherwise — for Kubernetes
// probes (deploy/kubernetes). Binds to all addresses, as a probe comes from the kubelet. With
// `logs`, it also serves the runner's run logs to the dashboard (log-server.ts).

export type HealthServerOptions = {
  pool: pg.Pool;
  runnerId: () => string;
  port: number;
  host?: string;
  staleSeconds?: number;
  logs?: { logDir: string; key: () => Buffer | undefined };
};

export function startHealthServer(options: HealthServerOptions): http.Server {
  const server = http.createServer((req, res) => {
    if (options.logs && serveRunLog(req, res, options.logs)) return;
    if (req.url !== "/healthz" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404).end();
      return;
    }
    options.pool
      .query("SELECT heartbeat_at >= now() - make_interval(secs => $2) AS fresh FROM runners WHERE id = $1", [options.runnerId(), options.staleSeconds ?? 15])
      .then((r) => (r.rows[0]?.fresh ? 200 : 503))
      .catch(() => 503)
      .then((status) => res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok\n" : "runner heartbeat is stale or the database is unreachable\n"));
  });
  server.listen(options.port, options.host ?? "0.0.0.0");
  return server;
}
