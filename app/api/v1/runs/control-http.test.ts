import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRoutes, type RouteServer } from "@/lib/api/testing/route-server";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUserWithPassword } from "@/lib/auth/users";
import { addService } from "@/lib/runner/testing/runner-harness";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The control API over real HTTP (the route handlers served by a plain node server, each request
// on its own connection) against a real database: one active run per period under concurrent
// clicks, refusals and sign-ins in the audit log, and how a token is named there.

let db: TestDatabase;
let server: RouteServer;
let home: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-control-http-"));
  process.env.DATABASE_URL = db.url; // getPool() reads it on first use
  process.env.SWITCHYARD_HOME = home;
  await addService(db.pool, { name: "acme", dailyCommand: "true" });
  for (const role of ["viewer", "operator"] as const) {
    const user = await createUserWithPassword(db.pool, { email: `${role}@example.com`, name: role, password: "correct horse battery", role });
    tokens[role] = (await createApiToken(db.pool, user.id, `${role}-script`)).token;
  }
  server = await serveRoutes([
    { pattern: /^\/api\/v1\/runs$/, module: await import("@/app/api/v1/runs/route") },
    { pattern: /^\/api\/v1\/backfill$/, module: await import("@/app/api/v1/backfill/route") },
    { pattern: /^\/api\/v1\/runner\/pause$/, module: await import("@/app/api/v1/runner/pause/route") },
    { pattern: /^\/api\/v1\/runners\/(?<id>[^/]+)\/forget$/, module: await import("@/app/api/v1/runners/[id]/forget/route") },
    { pattern: /^\/api\/v1\/dashboard\/home$/, module: await import("@/app/api/v1/dashboard/home/route") },
    { pattern: /^\/api\/auth\//, module: await import("@/app/api/auth/[...all]/route") },
  ]);
  // better-auth trusts the dashboard's own origin for sign-in: here, this server.
  process.env.SWITCHYARD_PUBLIC_URL = server.url;
});
afterAll(async () => {
  await server?.close();
  const { getPool } = await import("@/lib/db/client");
  await getPool().end();
  await db?.drop();
  fs.rmSync(home, { recursive: true, force: true });
});

type Answer = { status: number; body: Record<string, unknown> & { error?: { code: string; message: string } }; cookies: string[] };

/** One request on its own TCP connection (agent: false), as separate browsers would send. */
function send(method: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${server.url}${url}`, { method, agent: false, headers: { ...(data ? { "content-type": "application/json" } : {}), ...headers } }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : {}, cookies: (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]) }));
    });
    req.on("error", reject);
    req.end(data);
  });
}
const bearer = (role: string) => ({ authorization: `Bearer ${tokens[role]}` });
const auditRows = async (where: string, args: unknown[] = []) => (await db.pool.query(`SELECT actor, action, outcome, reason, result FROM audit_log WHERE ${where} ORDER BY id`, args)).rows;

describe("one active run per period, over HTTP", () => {
  it("20 simultaneous re-runs of one period with no request keys queue exactly one run", async () => {
    const body = { service: "acme", kind: "daily", period: "2026-02-01" };
    const answers = await Promise.all(Array.from({ length: 20 }, () => send("POST", "/api/v1/runs", body, bearer("operator"))));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const ids = new Set(answers.map((a) => (a.body.run as { id: number }).id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.body.created === true)).toHaveLength(1);
    const runs = await db.pool.query("SELECT count(*)::int AS n FROM runs WHERE period_date = '2026-02-01'");
    expect(runs.rows[0].n).toBe(1);
    expect(await auditRows("action = 'run.rerun' AND outcome = 'ok'")).toHaveLength(20);
  });

  it("20 simultaneous forced re-runs: one is queued, the others answer 409 naming it", async () => {
    const body = { service: "acme", kind: "daily", period: "2026-02-02", force: true };
    const answers = await Promise.all(Array.from({ length: 20 }, () => send("POST", "/api/v1/runs", body, bearer("operator"))));
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    const id = (won[0].body.run as { id: number }).id;
    const lost = answers.filter((a) => a.status === 409);
    expect(lost).toHaveLength(19);
    expect(lost.every((a) => a.body.error!.message.startsWith(`run ${id} of this period is already queued`))).toBe(true);
    expect(await auditRows("action = 'run.force' AND outcome = 'denied'")).toHaveLength(19);
  });

  it("a backfill reports the periods that already had an active run, and queues the rest", async () => {
    const answer = await send("POST", "/api/v1/backfill", { service: "acme", kind: "daily", from: "2026-01-31", to: "2026-02-03" }, bearer("operator"));
    expect(answer.status).toBe(200);
    expect((answer.body.runs as Array<{ periodDate: string }>).map((r) => r.periodDate)).toEqual(["2026-01-31", "2026-02-03"]);
    expect((answer.body.alreadyActive as Array<{ period: string }>).map((a) => a.period)).toEqual(["2026-02-01", "2026-02-02"]);
  });
});

describe("refusals, sign-ins and actors in the audit log", () => {
  it("records a refused change with its reason: no credentials, a role too low, bad input; a refused read is not recorded", async () => {
    expect((await send("POST", "/api/v1/runner/pause", { reason: "x" })).status).toBe(401);
    expect((await send("GET", "/api/v1/runs", undefined)).status).toBe(401);
    expect((await send("POST", "/api/v1/runner/pause", { reason: "x" }, bearer("viewer"))).status).toBe(403);
    const bad = await send("POST", "/api/v1/runs", { service: "acme", kind: "weekly", period: "2026-01-01" }, bearer("operator"));
    expect(bad.status).toBe(400);
    const refused = await auditRows("target_type = 'api'");
    expect(refused.map((r) => [r.actor, r.action, r.outcome, r.result.status, r.result.code])).toEqual([
      ["anonymous", "POST /api/v1/runner/pause", "denied", 401, "unauthorized"],
      ["token:viewer-script (viewer@example.com)", "POST /api/v1/runner/pause", "denied", 403, "forbidden"],
      ["token:operator-script (operator@example.com)", "POST /api/v1/runs", "denied", 400, "invalid_input"],
    ]);
    expect(refused[2].result.reason).toMatch(/^kind: /);
  });

  it("caps an unauthenticated flood: every request is refused, at most 20 a minute are written", async () => {
    const before = (await auditRows("actor = 'anonymous' AND target_type = 'api'")).length;
    const answers = await Promise.all(Array.from({ length: 60 }, () => send("POST", "/api/v1/runner/pause", { reason: "x" })));
    expect(answers.every((a) => a.status === 401)).toBe(true);
    const after = (await auditRows("actor = 'anonymous' AND target_type = 'api'")).length;
    expect(after).toBe(20); // the budget is per minute for the whole process, the earlier test used one
    expect(after - before).toBe(19);
  });

  it("records sign-ins won and refused, and a signed-in browser's cross-origin attempt", async () => {
    const origin = { origin: server.url };
    const wrong = await send("POST", "/api/auth/sign-in/email", { email: "operator@example.com", password: "not the password" }, origin);
    expect(wrong.status).toBe(401);
    const right = await send("POST", "/api/auth/sign-in/email", { email: "Operator@Example.com", password: "correct horse battery" }, origin);
    expect(right.status).toBe(200);
    const signIns = await auditRows("action = 'auth.sign-in'");
    expect(signIns.map((r) => [r.actor, r.outcome, r.result.email])).toEqual([
      ["anonymous", "denied", "operator@example.com"],
      ["user:operator@example.com", "ok", "operator@example.com"],
    ]);
    const cookie = { cookie: right.cookies.join("; ") };
    const crossSite = await send("POST", "/api/v1/runner/pause", { reason: "x" }, { ...cookie, origin: "http://evil.example" });
    expect(crossSite.status).toBe(403);
    expect((await send("POST", "/api/v1/runner/pause", { reason: "x" }, { ...cookie, origin: "null" })).status).toBe(403);
    const sameSite = await send("POST", "/api/v1/runner/pause", { reason: "nightly upgrade" }, { ...cookie, origin: server.url });
    expect(sameSite.body).toEqual({ paused: true, changed: true });
    const rows = await auditRows("actor = 'user:operator@example.com' AND action <> 'auth.sign-in'");
    expect(rows.map((r) => [r.action, r.outcome, r.result.code ?? null])).toEqual([
      ["POST /api/v1/runner/pause", "denied", "cross_origin"],
      ["POST /api/v1/runner/pause", "denied", "cross_origin"],
      ["runner.pause", "ok", null],
    ]);
  });

  it("shows an operator's change on the very next home read, though reads within 2 s share one computation", async () => {
    const home = async () => (await send("GET", "/api/v1/dashboard/home", undefined, bearer("viewer"))).body as { generatedAt: string; queue: { depth: number } };
    const first = await home();
    const second = await home();
    expect(second.generatedAt).toBe(first.generatedAt); // the same computation (shared-read.ts)
    const queued = await send("POST", "/api/v1/runs", { service: "acme", kind: "daily", period: "2026-03-01" }, bearer("operator"));
    expect(queued.body.created).toBe(true);
    const after = await home();
    expect(after.generatedAt).not.toBe(first.generatedAt);
    expect(after.queue.depth).toBe(first.queue.depth + 1);
  });

  it("names an API token and its user as the actor of what it did", async () => {
    const answer = await send("POST", "/api/v1/runs", { service: "acme", kind: "daily", period: "2026-01-15", reason: "check" }, bearer("operator"));
    expect(answer.body.run).toMatchObject({ requestedBy: "token:operator-script (operator@example.com)" });
    const [row] = await auditRows("action = 'run.rerun' AND reason = 'check'");
    expect(row.actor).toBe("token:operator-script (operator@example.com)");
  });

  it("forgets a dead runner for an operator only; a bad id is a 400 naming the field, an unknown one a 404", async () => {
    const host = await db.pool.query("INSERT INTO hosts (name) VALUES ('lost-node') RETURNING id");
    await db.pool.query("INSERT INTO runners (id, host_id, pid, heartbeat_at) VALUES ('lost-node-7-abc', $1, 7, now() - interval '5 minutes')", [host.rows[0].id]);
    expect((await send("POST", "/api/v1/runners/lost-node-7-abc/forget", {}, bearer("viewer"))).status).toBe(403);
    const bad = await send("POST", "/api/v1/runners/two%20words/forget", {}, bearer("operator"));
    expect([bad.status, bad.body.error?.message]).toEqual([400, expect.stringMatching(/id: expected a runner id/)]);
    expect((await send("POST", "/api/v1/runners/nobody/forget", {}, bearer("operator"))).status).toBe(404);
    const ok = await send("POST", "/api/v1/runners/lost-node-7-abc/forget", { reason: "node gone" }, bearer("operator"));
    expect([ok.status, ok.body.message]).toEqual([200, "Runner lost-node-7-abc on lost-node is forgotten"]);
    expect((await send("POST", "/api/v1/runners/lost-node-7-abc/forget", {}, bearer("operator"))).status).toBe(409);
  });
});
