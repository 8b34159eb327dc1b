import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobManifest, jobName } from "@/lib/runner/launchers/kubernetes/job-manifest";
import { createKubernetesLauncher } from "@/lib/runner/launchers/kubernetes/kubernetes-launcher";
import type { LaunchSpec } from "@/lib/runner/launchers/types";
import { removeTempDirs, tempDir } from "@/lib/runner/testing/runner-harness";

// No cluster is reachable here, so the launcher talks to a real local HTTP server that answers
// like the Kubernetes API (the exchanges below follow what a kube-apiserver answers), and the
// test checks each request — method, path, query and the Job body — as the cluster would see it.

type Exchange = { method: string; path: string; query: URLSearchParams; body: unknown };
const exchanges: Exchange[] = [];
const jobs = new Map<string, { polls: number; outcome: "complete" | "failed" | "hang"; exitCode: number }>();
let server: http.Server;
let kc: KubeConfig;
const dir = tempDir("kube-");

function reply(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

function apiServer(req: http.IncomingMessage, res: http.ServerResponse, text: string) {
  const url = new URL(req.url!, "http://x");
  exchanges.push({ method: req.method!, path: url.pathname, query: url.searchParams, body: text ? JSON.parse(text) : null });
  let m: RegExpMatchArray | null;
  if (req.method === "POST" && (m = url.pathname.match(/^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/))) {
    const job = JSON.parse(text);
    const name = job.metadata.name as string;
    const outcome = job.spec.template.spec.containers[0].command.includes("fail") ? "failed" : job.spec.template.spec.containers[0].command.includes("hang") ? "hang" : "complete";
    jobs.set(name, { polls: 0, outcome, exitCode: outcome === "failed" ? 30 : 0 });
    return reply(res, 201, { ...job, metadata: { ...job.metadata, uid: "uid-1", namespace: m[1] }, status: {} });
  }
  if (req.method === "GET" && (m = url.pathname.match(/^\/apis\/batch\/v1\/namespaces\/[^/]+\/jobs\/([^/]+)\/status$/))) {
    const job = jobs.get(m[1]);
    if (!job) return reply(res, 404, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 });
    job.polls++;
    const done = job.outcome !== "hang" && job.polls >= 2;
    const conditions = done ? [{ type: job.outcome === "complete" ? "Complete" : "Failed", status: "True" }] : [];
    return reply(res, 200, { apiVersion: "batch/v1", kind: "Job", metadata: { name: m[1] }, status: { active: done ? 0 : 1, succeeded: done && job.outcome === "complete" ? 1 : 0, failed: done && job.outcome === "failed" ? 1 : 0, conditions } });
  }
  if (req.method === "DELETE" && (m = url.pathname.match(/^\/apis\/batch\/v1\/namespaces\/[^/]+\/jobs\/([^/]+)$/))) {
    jobs.delete(m[1]);
    return reply(res, 200, { kind: "Status", apiVersion: "v1", status: "Success" });
  }
  if (req.method === "GET" && url.pathname.match(/^\/api\/v1\/namespaces\/[^/]+\/pods$/)) {
    const name = url.searchParams.get("labelSelector")!.replace("job-name=", "");
    const job = jobs.get(name);
    const terminated = job && job.outcome !== "hang" && job.polls >= 2 ? { exitCode: job.exitCode, reason: job.exitCode ? "Error" : "Completed" } : undefined;
    const items = job ? [{ metadata: { name: `${name}-abcde`, labels: { "job-name": name } }, status: { phase: "Running", containerStatuses: [{ name: "run", ready: false, restartCount: 0, image: "x", imageID: "", state: terminated ? { terminated } : { running: {} } }] } }] : [];
    return reply(res, 200, { apiVersion: "v1", kind: "PodList", metadata: {}, items });
  }
  if (req.method === "GET" && (m = url.pathname.match(/^\/api\/v1\/namespaces\/[^/]+\/pods\/([^/]+)\/log$/))) {
    return reply(res, 200, url.searchParams.has("sinceTime") ? "" : `hello from ${m[1]}\n`);
  }
  reply(res, 404, { kind: "Status", code: 404 });
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (d) => (text += d));
    req.on("end", () => apiServer(req, res, text));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "test", server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: "runner", token: "test-token" }],
    contexts: [{ name: "test", cluster: "test", user: "runner", namespace: "batch" }],
    currentContext: "test",
  });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  removeTempDirs();
});

const spec = (over: Partial<LaunchSpec> = {}): LaunchSpec => ({
  runId: 7, attempt: 1, service: "Northwind_Traders", kind: "daily", period: "2026-11-22",
  argv: ["node", "bin/switchyard.mjs", "run", "--module", "pipelines/demo/daily.ts", "AllDailyTask"],
  env: { SWITCHYARD_RUN_ID: "7", API_URL: "https://x" }, labels: { tier: "enterprise", "bad key!": "v" },
  logPath: path.join(dir, `run-${over.runId ?? 7}.log`), timeoutSeconds: 600, ...over,
});

describe("Kubernetes Job manifest", () => {
  it("one Job per run: image, command, env, labels, backoffLimit 0, TTL, the timeout as deadline", () => {
    const job = jobManifest(spec(), { namespace: "batch", image: "registry.example/switchyard:1" });
    expect(job.metadata).toMatchObject({ name: "sy-northwind-traders-r7-a1", namespace: "batch" });
    expect(job.metadata!.labels).toEqual({ tier: "enterprise", "app.kubernetes.io/managed-by": "switchyard", "app.kubernetes.io/part-of": "switchyard", "switchyard.dev/service": "Northwind_Traders", "switchyard.dev/run-id": "7", "switchyard.dev/kind": "daily", "switchyard.dev/period": "2026-11-22" });
    expect(job.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 3600, activeDeadlineSeconds: 600 });
    const pod = job.spec!.template.spec!;
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.containers[0]).toEqual({ name: "run", image: "registry.example/switchyard:1", command: spec().argv, env: [{ name: "SWITCHYARD_RUN_ID", value: "7" }, { name: "API_URL", value: "https://x" }] });
  });

  it("Job names are valid DNS labels however long the service name", () => {
    const name = jobName({ service: "x".repeat(100) + "--Ü", runId: 123456789, attempt: 3 });
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
  });
});

describe("Kubernetes launcher against a recorded API", () => {
  it("creates the Job, follows its status, copies the pod log, and reports the exit code", async () => {
    exchanges.length = 0;
    const launcher = createKubernetesLauncher({ namespace: "batch", image: "img:1", kubeConfig: kc, pollMs: 20 });
    const proc = await launcher.launch(spec());
    expect(proc.externalId).toBe("sy-northwind-traders-r7-a1");
    expect(await proc.finished).toEqual({ exitCode: 0, signal: null });
    const create = exchanges[0];
    expect(create).toMatchObject({ method: "POST", path: "/apis/batch/v1/namespaces/batch/jobs" });
    expect(create.body).toEqual(jobManifest(spec(), { namespace: "batch", image: "img:1" }));
    expect(exchanges.some((e) => e.path.endsWith("/jobs/sy-northwind-traders-r7-a1/status"))).toBe(true);
    expect(exchanges.find((e) => e.path === "/api/v1/namespaces/batch/pods")!.query.get("labelSelector")).toBe("job-name=sy-northwind-traders-r7-a1");
    const log = fs.readFileSync(spec().logPath, "utf8");
    expect(log).toContain("hello from sy-northwind-traders-r7-a1-abcde");
    expect(log).toContain("ended: Job complete, exit code 0");
  });

  it("a failed Job reports the container's exit code", async () => {
    const launcher = createKubernetesLauncher({ namespace: "batch", image: "img:1", kubeConfig: kc, pollMs: 20 });
    const proc = await launcher.launch(spec({ runId: 8, argv: ["fail"] }));
    expect(await proc.finished).toEqual({ exitCode: 30, signal: null });
  });

  it("cancel deletes the Job with foreground propagation and a grace period", async () => {
    exchanges.length = 0;
    const launcher = createKubernetesLauncher({ namespace: "batch", image: "img:1", kubeConfig: kc, pollMs: 20 });
    const proc = await launcher.launch(spec({ runId: 9, argv: ["hang"] }));
    await new Promise((r) => setTimeout(r, 100));
    await proc.stop(5000);
    const del = exchanges.find((e) => e.method === "DELETE")!;
    expect(del.path).toBe("/apis/batch/v1/namespaces/batch/jobs/sy-northwind-traders-r9-a1");
    expect(del.query.get("propagationPolicy")).toBe("Foreground");
    expect(del.query.get("gracePeriodSeconds")).toBe("5");
    expect(await proc.finished).toMatchObject({ signal: "SIGTERM" });
  });
});
