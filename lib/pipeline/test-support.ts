import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { createLogger } from "../log/logger";
import { defaultSchedulerConfig, startSchedulerServer, type SchedulerConfig } from "../scheduler/index";
import { runSwitchyard, type Proc } from "../testing/processes";
import { HttpTransport } from "./rpc-client";

export { waitFor } from "../testing/wait-for";

// Test support for the pipeline SDK and the demo: the real scheduler server on an ephemeral port,
// the real `switchyard run` as a child process, and a transparent recording proxy (like the
// capture harness's rpc_proxy.py) for comparing our wire traffic with recorded Luigi traffic.

export type TestScheduler = { url: string; rpc(method: string, args?: Record<string, unknown>): Promise<any>; close(): Promise<void> }; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function startTestScheduler(options: { scheduler?: Partial<SchedulerConfig["scheduler"]>; databaseUrl?: string } = {}): Promise<TestScheduler> {
  const config = defaultSchedulerConfig();
  config.scheduler = { ...config.scheduler, ...options.scheduler };
  const server = await startSchedulerServer({ host: "127.0.0.1", port: 0, config, databaseUrl: options.databaseUrl, logger: createLogger("test-scheduler", "warn") });
  const transport = new HttpTransport(server.url, { attempts: 1 });
  return { url: server.url, rpc: (method, args = {}) => transport.call(method, args) as Promise<any>, close: () => server.close() }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type RunResult = { code: number | null; output: string; proc: Proc };

/** `switchyard run <args>`; resolves when it exits. */
export async function switchyardRun(args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  const proc = runSwitchyard(["run", ...args], { LOG_LEVEL: "info", ...env });
  const code = await proc.exited;
  return { code, output: proc.output(), proc };
}

/** Ids of the tasks a run's log says were started ("running <Task> in pid N" lines). */
export function ranTaskIds(output: string): string[] {
  return [...output.matchAll(/\[([A-Za-z0-9_]+)\] running .* in pid \d+/g)].map((m) => m[1]);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export type Exchange = { method: string; request: Record<string, unknown> };

/** Forwards every request to `target` unchanged and records the decoded `data` of each RPC. */
/** `beforeReply`: awaited after the scheduler answered and before the worker gets the answer (a reply held up on the way). */
export async function startRecordingProxy(target: string, options: { beforeReply?: (method: string) => Promise<void> } = {}): Promise<{ url: string; exchanges: Exchange[]; close(): Promise<void> }> {
  const exchanges: Exchange[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const method = (req.url ?? "").replace(/^\/api\//, "").replace(/\?.*$/, "");
      const data = new URLSearchParams(body).get("data");
      if (data) exchanges.push({ method, request: JSON.parse(data) });
      const upstream = await fetch(new URL(req.url ?? "/", target), { method: req.method, headers: { "content-type": req.headers["content-type"] ?? "" }, body: req.method === "POST" ? body : undefined });
      const answer = Buffer.from(await upstream.arrayBuffer());
      await options.beforeReply?.(method);
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/plain" });
      res.end(answer);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

