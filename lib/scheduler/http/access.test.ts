import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTaskAction } from "@/lib/control/task-action";
import type { Actor } from "@/lib/auth/roles";
import { callSigningKey } from "@/lib/luigi-rpc/call-signature";
import { LuigiClient } from "@/lib/luigi-rpc/client";
import { createLogger } from "@/lib/log/logger";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { rawRequest } from "@/lib/scheduler/testing/http-client";
import { LuigiTestWorker, type TaskSpec } from "@/lib/scheduler/testing/luigi-worker";
import { rpc, RpcStatusError } from "@/lib/scheduler/testing/rpc-client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The scheduler's door (issue 10), over real HTTP against a real PostgreSQL: Host allowlist,
// cross-site writes, Basic auth with a Luigi-style worker, header limit, and the audit of operator
// RPCs — written for operators, not for workers, and not a second time for the dashboard's actions.

const logger = createLogger("access-test", "error");
const SECRET = "a-shared-secret-of-at-least-32-characters!";
const operator: Actor = { kind: "user", id: "u1", name: "ana@example.com", role: "operator" };

type AuditRow = { actor: string; action: string; target_id: string | null; outcome: string; reason: string | null; result: Record<string, unknown> };

function chain(prefix: string, n: number): Map<string, TaskSpec> {
  const specs = new Map<string, TaskSpec>();
  for (let i = 0; i < n; i++) specs.set(`${prefix}_${i}`, { id: `${prefix}_${i}`, family: prefix, params: { i: String(i) }, deps: i > 0 ? [`${prefix}_${i - 1}`] : [] });
  return specs;
}

describe("scheduler access without auth", () => {
  let db: TestDatabase;
  let server: SchedulerServer;
  let port: string;
  const audit = async (action?: string) =>
    (await db.pool.query<AuditRow>(`SELECT actor, action, target_id, outcome, reason, result FROM audit_log ${action ? "WHERE action = $1" : ""} ORDER BY id`, action ? [action] : [])).rows;
  const api = (method: string, opts: { http?: "GET" | "POST"; headers?: Record<string, string> } = {}) =>
    rawRequest(server.url, { method: opts.http ?? "GET", path: `/api/${method}`, headers: opts.headers ?? {} });
  const paused = async () => (await rpc<{ paused: boolean }>(server.url, "is_paused")).paused;

  beforeAll(async () => {
    process.env.BETTER_AUTH_SECRET = SECRET;
    db = await createTestDatabase();
    const config = buildSchedulerConfig({ switchyard: { prune_interval: "0" }, scheduler: { allowed_hosts: "sched.example.com" } });
    server = await startSchedulerServer({ host: "127.0.0.1", port: 0, config, databaseUrl: db.url, logger });
    port = new URL(server.url).port;
  });
  afterAll(async () => {
    delete process.env.BETTER_AUTH_SECRET;
    await server?.close();
    await db?.drop();
  });

  it("refuses a Host that is not one of its names (DNS rebinding), and answers its own names", async () => {
    const refused = await api("is_paused", { headers: { Host: `rebind.evil.example:${port}` } });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body.toString()).error).toMatchObject({ code: "host_not_allowed", message: expect.stringContaining("DNS rebinding") });
    const pause = await api("pause", { headers: { Host: `rebind.evil.example:${port}` } });
    expect(pause.status).toBe(403);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `switchyard-scheduler:${port}`, `sched.example.com:${port}`, "sched.example.com"]) expect((await api("is_paused", { headers: { Host: host } })).status, host).toBe(200);
    expect(await paused()).toBe(false);
    expect(await audit("scheduler.pause")).toEqual([expect.objectContaining({ outcome: "denied", actor: "scheduler client 127.0.0.1", result: expect.objectContaining({ code: "host_not_allowed" }) })]);
  });

  it("refuses a state change a browser marks cross-site, GET or POST, with 403 and a reason", async () => {
    const attempts: Array<{ http: "GET" | "POST"; headers: Record<string, string> }> = [
      { http: "GET", headers: { "Sec-Fetch-Site": "cross-site" } },
      { http: "POST", headers: { "Sec-Fetch-Site": "same-site" } },
      { http: "POST", headers: { Origin: "http://evil.example" } },
      { http: "GET", headers: { Origin: `http://localhost:${Number(port) + 1}` } },
      { http: "POST", headers: { Origin: "null" } },
    ];
    for (const a of attempts) {
      const res = await api("pause", a);
      expect(res.status, JSON.stringify(a)).toBe(403);
      expect(JSON.parse(res.body.toString()).error.code).toMatch(/^cross_(site|origin)_request$/);
    }
    const markDone = await api("mark_as_done", { http: "POST", headers: { "Sec-Fetch-Site": "cross-site" } });
    expect(markDone.status).toBe(403);
    const addTask = await api("add_task", { http: "POST", headers: { Origin: "http://evil.example" } });
    expect(addTask.status).toBe(403);
    expect(await paused()).toBe(false);
    expect((await audit("scheduler.pause")).filter((r) => r.outcome === "denied")).toHaveLength(1 + attempts.length);
    // reads stay readable cross-site (the browser's CORS rules decide who may see them)
    expect((await api("task_list", { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(200);
  });

  it("lets Luigi's visualiser (same-origin GET) and workers (POST, no Origin) change state, and audits the operator's calls", async () => {
    const visualiser = { "X-Requested-With": "XMLHttpRequest", "Sec-Fetch-Site": "same-origin", Accept: "application/json, text/javascript, */*; q=0.01" };
    expect((await api("pause", { headers: visualiser })).status).toBe(200);
    expect(await paused()).toBe(true);
    expect((await api("unpause", { http: "POST", headers: { ...visualiser, Origin: server.url } })).status).toBe(200);
    expect(await paused()).toBe(false);
    const rows = [...(await audit("scheduler.pause")), ...(await audit("scheduler.unpause"))].filter((r) => r.outcome !== "denied");
    expect(rows.map((r) => `${r.action} ${r.outcome}`)).toEqual(["scheduler.pause pending", "scheduler.pause ok", "scheduler.unpause pending", "scheduler.unpause ok"]);
    expect(rows[1].result).toMatchObject({ intentId: expect.any(Number) });
  });

  it("does not audit worker traffic", async () => {
    const before = (await audit()).length;
    const result = await new LuigiTestWorker(server.url, chain("Quiet", 3), { name: "quiet" }).run(["Quiet_2"]);
    expect(result.ran).toHaveLength(3);
    expect((await audit()).length).toBe(before);
  });

  it("audits an operator's RPC once with its arguments, and the dashboard's own task action only once (its own row)", async () => {
    const specs = new Map<string, TaskSpec>([["Broken_1", { id: "Broken_1", family: "Broken", run: async () => "FAILED" }], ["Broken_2", { id: "Broken_2", family: "Broken", run: async () => "FAILED" }]]);
    await new LuigiTestWorker(server.url, specs, { name: "broken" }).run(["Broken_1", "Broken_2"]);
    await rpc(server.url, "mark_as_done", { task_id: "Broken_1" });
    expect((await audit("scheduler.mark_as_done")).filter((r) => r.outcome !== "denied").map((r) => [r.outcome, r.target_id, r.actor])).toEqual([
      ["pending", "Broken_1", "scheduler client 127.0.0.1"],
      ["ok", "Broken_1", "scheduler client 127.0.0.1"],
    ]);
    const result = await runTaskAction(db.pool, server.url, operator, { taskId: "Broken_2", action: "mark-done", reason: "checked by hand" });
    expect(result.status).toBe("DONE");
    expect((await audit("task.mark_done")).map((r) => [r.actor, r.target_id, r.outcome])).toEqual([
      ["user:ana@example.com", "Broken_2", "pending"],
      ["user:ana@example.com", "Broken_2", "ok"],
    ]);
    expect((await audit("scheduler.mark_as_done")).filter((r) => r.target_id === "Broken_2")).toEqual([]);
  });

  it("audits a call whose mark is forged or made with another secret", async () => {
    const stranger = new LuigiClient(server.url, { attempts: 1, signingKey: callSigningKey("not-the-shared-secret-but-just-as-long") });
    await stranger.call("forgive_failures", { task_id: "Nobody_1" });
    stranger.close();
    const forged = await rawRequest(server.url, { method: "POST", path: "/api/re_enable_task", body: "data=" + encodeURIComponent('{"task_id": "Nobody_1"}'), headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Switchyard-Audited": `${Math.floor(Date.now() / 1000)}.${"A".repeat(43)}` } });
    expect(forged.status).toBe(200);
    expect((await audit("scheduler.forgive_failures")).map((r) => r.outcome)).toEqual(["pending", "ok"]);
    expect((await audit("scheduler.re_enable_task")).map((r) => r.outcome)).toEqual(["pending", "ok"]);
  });

  it("refuses an operator call it cannot audit, and leaves the state unchanged", async () => {
    await db.pool.query("ALTER TABLE audit_log RENAME TO audit_log_away");
    try {
      const err = await rpc(server.url, "pause").catch((e) => e);
      expect(err).toBeInstanceOf(RpcStatusError);
      expect((err as RpcStatusError).status).toBe(503);
      expect(JSON.parse((err as RpcStatusError).body).error.code).toBe("audit_unavailable");
    } finally {
      await db.pool.query("ALTER TABLE audit_log_away RENAME TO audit_log");
    }
    expect(await paused()).toBe(false);
  });

  it("answers 431 to headers over 16 KiB and serves 8 KiB ones", async () => {
    expect((await api("is_paused", { headers: { "X-Padding": "x".repeat(8 * 1024) } })).status).toBe(200);
    expect((await api("is_paused", { headers: { "X-Padding": "x".repeat(17 * 1024) } })).status).toBe(431);
  });
});

describe("scheduler access with Basic auth", () => {
  let db: TestDatabase;
  let server: SchedulerServer;
  let withCredentials: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = buildSchedulerConfig({ switchyard: { prune_interval: "0" }, scheduler: { auth_users: "alice:s3cret, bob:pa:ss" } });
    server = await startSchedulerServer({ host: "127.0.0.1", port: 0, config, databaseUrl: db.url, logger });
    withCredentials = server.url.replace("http://", "http://alice:s3cret@");
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("asks for credentials on every RPC, /metrics and the visualiser, but not on HEAD /", async () => {
    for (const path of ["/api/is_paused", "/api/add_task", "/metrics", "/", "/static/visualiser/index.html"]) {
      const res = await rawRequest(server.url, { method: "GET", path });
      expect(res.status, path).toBe(401);
      expect(res.headers["www-authenticate"], path).toMatch(/^Basic realm=/);
    }
    const wrong = await rawRequest(server.url, { method: "GET", path: "/api/is_paused", headers: { Authorization: "Basic " + Buffer.from("alice:nope").toString("base64") } });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body.toString()).error.message).toMatch(/wrong user or secret/);
    expect((await rawRequest(server.url, { method: "HEAD", path: "/" })).status).toBe(204);
    const bob = await rawRequest(server.url, { method: "GET", path: "/metrics", headers: { Authorization: "Basic " + Buffer.from("bob:pa:ss").toString("base64") } });
    expect(bob.status).toBe(200);
  });

  it("serves a Luigi-style worker whose scheduler URL carries user:secret, and audits the operator by name", async () => {
    const result = await new LuigiTestWorker(withCredentials, chain("Authed", 4), { name: "authed" }).run(["Authed_3"]);
    expect(result.ran).toHaveLength(4);
    await expect(rpc(server.url, "ping", { worker: "w" })).rejects.toMatchObject({ status: 401 });
    await rpc(withCredentials, "pause");
    const { rows } = await db.pool.query<AuditRow>("SELECT actor, outcome FROM audit_log WHERE action = 'scheduler.pause' ORDER BY id");
    expect(rows).toEqual([
      { actor: "scheduler user alice (127.0.0.1)", outcome: "pending" },
      { actor: "scheduler user alice (127.0.0.1)", outcome: "ok" },
    ]);
    const denied = (await rpc(server.url, "unpause").catch((e) => e)) as RpcStatusError;
    expect(denied.status).toBe(401);
    const { rows: refused } = await db.pool.query<AuditRow>("SELECT actor, outcome FROM audit_log WHERE action = 'scheduler.unpause'");
    expect(refused).toEqual([{ actor: "scheduler client 127.0.0.1", outcome: "denied" }]);
  });
});

describe("scheduler access settings", () => {
  it("read users and hosts from luigi.cfg or the environment, and name a bad entry without echoing a secret", () => {
    const fromFile = buildSchedulerConfig({ scheduler: { auth_users: "alice:a, bob:b:c", allowed_hosts: "Sched.Example.com *.internal" } });
    expect([...fromFile.access.users]).toEqual([["alice", "a"], ["bob", "b:c"]]);
    expect(fromFile.access.allowedHosts).toEqual(["sched.example.com", "*.internal"]);
    expect([...buildSchedulerConfig({ scheduler: { auth_users: "alice:a" } }, { SCHEDULER_AUTH_USERS: "carol:c" }).access.users.keys()]).toEqual(["carol"]);
    expect(() => buildSchedulerConfig({}, { SCHEDULER_AUTH_USERS: "alice:ok, dave" })).toThrow(/auth_users: expected user:secret pairs.*"dave"/);
    expect(() => buildSchedulerConfig({}, { SCHEDULER_AUTH_USERS: ":topsecret" })).toThrow(/auth_users/);
    expect(() => buildSchedulerConfig({}, { SCHEDULER_AUTH_USERS: ":topsecret" })).not.toThrow(/topsecret/);
    expect(() => buildSchedulerConfig({ switchyard: { max_header_bytes: "10" } })).toThrow(/max_header_bytes/);
  });
});
