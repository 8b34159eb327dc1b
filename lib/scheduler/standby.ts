import type { ServerResponse } from "node:http";

// What a scheduler process answers while it is not the active one (waiting for the lock, or
// restoring the state): 503 to everything, so a load balancer or a Kubernetes Service that
// probes READY_PATH sends traffic only to the active process, and a Luigi worker that reaches a
// standby retries (Luigi's RPC client retries a failed call). luigid has no route under /healthz.

export const READY_PATH = "/healthz/ready";
/**
 * 200 on a process that answers the scheduler's RPCs, itself (the active one) or by forwarding
 * them to the active one (a standby that knows its advertise_url, http/forward.ts): the readiness
 * probe for a Kubernetes Service over every scheduler pod. 503 on a standby with nowhere to forward.
 */
export const SERVING_PATH = "/healthz/serving";

/** 200 on the active process while it can make changes durable, 503 otherwise. */
export function sendReadiness(res: ServerResponse, ready: boolean, role: "active" | "standby" = ready ? "active" : "standby"): void {
  const body = JSON.stringify({ ready, role }) + "\n";
  res.writeHead(ready ? 200 : 503, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
  res.end(body);
}

/** A standby's answer: the metrics text if given, else a 503 JSON error. */
export function sendStandby(res: ServerResponse, metrics?: string): void {
  if (metrics !== undefined) {
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Content-Length": Buffer.byteLength(metrics) });
    return void res.end(metrics);
  }
  const body = JSON.stringify({ error: { code: "standby", message: "this scheduler is a standby: another process holds the database's active lock (or this one is still restoring the state)" } }) + "\n";
  res.writeHead(503, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "Retry-After": "1" });
  res.end(body);
}
