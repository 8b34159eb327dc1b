import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit/record-audit";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUserWithPassword } from "@/lib/auth/users";
import { seedRun } from "@/lib/presenters/testing/seed";
import { addService } from "@/lib/runner/testing/runner-harness";
import { ensureDashboardBuild } from "@/lib/testing/build";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { freePort } from "@/lib/testing/free-port";
import { runSwitchyard, waitForUrl, type Proc } from "@/lib/testing/processes";

// The smaller holes of issue 10, closed as a user meets them: the production dashboard
// (`switchyard web`) over HTTP, on a real database, with real users of each role signed in through
// better-auth or calling with API tokens, and the real `switchyard user` command.

const SECRET = "s3cret-warehouse-key";
const OLD_SECRET = "old-s3cret-key";
const PASSWORD = "correct horse battery";
const roles = ["viewer", "operator", "admin"] as const;

let db: TestDatabase;
let web: Proc;
let base: string;
let home: string;
let serviceId: number;
const tokens: Record<string, string> = {};
const cookies: Record<string, string> = {};
let ip = 0;

beforeAll(async () => {
  await ensureDashboardBuild();
  db = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-security-"));
  fs.mkdirSync(path.join(home, "runs"));
  serviceId = await addService(db.pool, { name: "acme", dailyCommand: "true", environment: { WAREHOUSE_KEY: SECRET } });
  // an audit row as service edits wrote them before diffs kept environment names only
  await recordAudit(db.pool, {
    actor: "user:admin@example.com",
    action: "service.update",
    targetType: "service",
    targetId: "acme",
    outcome: "ok",
    result: { changed: { environment: { from: { WAREHOUSE_KEY: OLD_SECRET }, to: { WAREHOUSE_KEY: SECRET } } } },
  });
  for (const role of [...roles, "leaver"] as const) {
    const user = await createUserWithPassword(db.pool, { email: `${role}@example.com`, name: role, password: PASSWORD, role: role === "leaver" ? "operator" : role });
    tokens[role] = (await createApiToken(db.pool, user.id, `${role}-script`)).token;
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // this test's sign-ins come through "a proxy" on loopback, each for a client of its own (signInResponse)
  web = runSwitchyard(["web", "--port", String(port)], {
    DATABASE_URL: db.url,
    SWITCHYARD_HOME: home,
    SWITCHYARD_LOG_DIR: path.join(home, "runs"),
    SCHEDULER_URL: "http://127.0.0.1:9",
    SWITCHYARD_TRUSTED_PROXIES: "127.0.0.1",
  });
  await waitForUrl(`${base}/api/v1/health`, web);
  for (const role of roles) cookies[role] = await signIn(role);
}, 240_000);

afterAll(async () => {
  if (process.env.SHOW_WEB_OUTPUT) console.log(web?.output());
  await web?.stop();
  await db?.drop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

/** better-auth limits sign-ins per client address; each sign-in here comes "from" its own, forwarded by a trusted proxy. */
async function signInResponse(who: string, password = PASSWORD): Promise<Response> {
  return fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, "x-forwarded-for": `10.9.0.${++ip}` },
    body: JSON.stringify({ email: `${who}@example.com`, password }),
  });
}

async function signIn(who: string): Promise<string> {
  const res = await signInResponse(who);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

const api = (url: string, token: string, init: RequestInit = {}) => fetch(`${base}${url}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
const page = (url: string, cookie?: string) => fetch(`${base}${url}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });

describe("a service's environment values", () => {
  it("are shown to admins only in the control API; viewers and operators see the names", async () => {
    for (const role of roles) {
      const list = await (await api("/api/v1/services", tokens[role])).json();
      const one = await (await api("/api/v1/services/acme", tokens[role])).json();
      const expected = role === "admin" ? SECRET : "(hidden)";
      expect(list.services.find((s: { name: string }) => s.name === "acme").environment, role).toEqual({ WAREHOUSE_KEY: expected });
      expect(one.service.environment, role).toEqual({ WAREHOUSE_KEY: expected });
      const dashboard = await (await api("/api/v1/dashboard/services/acme", tokens[role])).text();
      expect(dashboard, role).toContain("WAREHOUSE_KEY");
      expect(dashboard, role).not.toContain(SECRET);
    }
  });

  it("are in no page but an admin's audit log", async () => {
    for (const role of roles) {
      const servicePage = await page("/services/acme", cookies[role]);
      expect(servicePage.status, role).toBe(200);
      const html = await servicePage.text();
      expect(html, role).toContain("WAREHOUSE_KEY");
      expect(html, role).not.toContain(SECRET);
      const audit = await (await page("/audit?action=service.update", cookies[role])).text();
      expect(audit, role).toContain("WAREHOUSE_KEY");
      if (role === "admin") expect(audit).toContain(OLD_SECRET);
      else expect(audit, role).not.toMatch(new RegExp(`${OLD_SECRET}|${SECRET}`));
      // the page's export link asks the API for the same entries, with the page's session
      const exportHref = /href="(\/api\/v1\/audit\?[^"]+)"/.exec(audit)![1].replace(/&amp;/g, "&");
      expect(new URLSearchParams(exportHref.split("?")[1]).get("action")).toBe("service.update");
      const exported = await (await page(exportHref, cookies[role])).json();
      expect(exported.entries.map((e: { action: string }) => e.action)).toEqual(["service.update"]);
      expect(JSON.stringify(exported).includes(OLD_SECRET), role).toBe(role === "admin");
      // and the same through the audit API, for a script with the role's token
      const fromApi = await (await api("/api/v1/audit?action=service.update", tokens[role])).text();
      expect(fromApi, role).toContain("WAREHOUSE_KEY");
      if (role === "admin") expect(fromApi).toContain(OLD_SECRET);
      else expect(fromApi, role).not.toMatch(new RegExp(`${OLD_SECRET}|${SECRET}`));
    }
  });
});

describe("API tokens", () => {
  it("expired, revoked, or of a disabled user: a 401 that says which", async () => {
    const opId = (await db.pool.query("SELECT id FROM users WHERE email = 'operator@example.com'")).rows[0].id;
    const expired = (await createApiToken(db.pool, opId, "old-cron", new Date(Date.now() - 1000))).token;
    const revoked = (await createApiToken(db.pool, opId, "leaked", null)).token;
    await db.pool.query("UPDATE api_tokens SET revoked_at = now() WHERE name = 'leaked'");
    const refusal = async (token: string) => {
      const res = await api("/api/v1/services", token);
      return { status: res.status, ...(await res.json()).error };
    };
    expect(await refusal(expired)).toMatchObject({ status: 401, code: "token_expired", message: expect.stringContaining('"old-cron" has expired') });
    expect(await refusal(revoked)).toMatchObject({ status: 401, code: "token_revoked", message: expect.stringContaining('"leaked" was revoked') });
    expect(await refusal("sy_never-issued")).toMatchObject({ status: 401, code: "unauthorized" });
  });

  it("keep their last use to the minute: one write a minute, not one per request", async () => {
    const lastUsed = async () => (await db.pool.query("SELECT last_used_at FROM api_tokens WHERE name = 'viewer-script'")).rows[0].last_used_at as Date;
    expect((await api("/api/v1/services", tokens.viewer)).status).toBe(200);
    await db.pool.query("UPDATE api_tokens SET last_used_at = now() - interval '30 seconds' WHERE name = 'viewer-script'");
    const recent = await lastUsed();
    await Promise.all([1, 2, 3].map(() => api("/api/v1/services", tokens.viewer)));
    expect(await lastUsed()).toEqual(recent);
    await db.pool.query("UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE name = 'viewer-script'");
    const stale = await lastUsed();
    await api("/api/v1/services", tokens.viewer);
    expect((await lastUsed()).getTime()).toBeGreaterThan(stale.getTime() + 100_000);
  });
});

describe("switchyard user disable", () => {
  it("stops the user's session and tokens at once, and a new sign-in says the account is disabled", async () => {
    const cookie = await signIn("leaver");
    expect((await api("/api/v1/services", tokens.leaver)).status).toBe(200);
    expect((await page("/services", cookie)).status).toBe(200);

    const cli = runSwitchyard(["user", "disable", "--email", "leaver@example.com"], { DATABASE_URL: db.url, SWITCHYARD_HOME: home });
    expect(await cli.exited, cli.output()).toBe(0);

    const byToken = await api("/api/v1/services", tokens.leaver);
    expect(byToken.status).toBe(401);
    expect((await byToken.json()).error).toMatchObject({ code: "user_disabled", message: expect.stringContaining("leaver@example.com is disabled") });
    expect((await fetch(`${base}/api/v1/services`, { headers: { cookie } })).status).toBe(401);
    const signedOut = await page("/services", cookie);
    expect(signedOut.status).toBe(307);
    expect(signedOut.headers.get("location")).toMatch(/\/sign-in/);
    const again = await signInResponse("leaver");
    expect(again.status).toBe(403);
    expect((await again.json()).message).toContain("this account is disabled");
  });
});

describe("the sign-in rate limit", () => {
  it("holds against a made-up X-Forwarded-For from a client that is not a trusted proxy; the audit names the real address", async () => {
    const port = await freePort();
    const direct = `http://127.0.0.1:${port}`;
    // better-auth limits only in production (vitest runs its children with NODE_ENV=test); `switchyard start` is production
    const open = runSwitchyard(["web", "--port", String(port)], { DATABASE_URL: db.url, SWITCHYARD_HOME: home, SCHEDULER_URL: "http://127.0.0.1:9", NODE_ENV: "production" });
    try {
      await waitForUrl(`${direct}/api/v1/health`, open);
      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) {
        const res = await fetch(`${direct}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: direct, "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}` },
          body: JSON.stringify({ email: "viewer@example.com", password: `guess number ${i}` }),
        });
        statuses.push(res.status);
      }
      // better-auth's rule: 3 tries in 10 s per address, whatever address the client claims
      expect(statuses.slice(0, 3).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(3)).toEqual([429, 429]);
      const audit = await db.pool.query("SELECT result->>'client' AS client FROM audit_log WHERE action = 'auth.sign-in' AND result->>'reason' IS NOT NULL AND result->>'email' = 'viewer@example.com' ORDER BY id DESC LIMIT 3");
      expect(audit.rows.map((r) => r.client)).toEqual(["127.0.0.1", "127.0.0.1", "127.0.0.1"]);
    } finally {
      await open.stop();
    }
  });

  it("is one limit across the web's replicas: tries spread over two processes are counted together", async () => {
    const ports = [await freePort(), await freePort()];
    const replicas = ports.map((port) =>
      runSwitchyard(["web", "--port", String(port)], { DATABASE_URL: db.url, SWITCHYARD_HOME: home, SCHEDULER_URL: "http://127.0.0.1:9", NODE_ENV: "production", SWITCHYARD_TRUSTED_PROXIES: "127.0.0.1" }),
    );
    try {
      await Promise.all(ports.map((port, i) => waitForUrl(`http://127.0.0.1:${port}/api/v1/health`, replicas[i])));
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        // a load balancer in front of both, forwarding for one client
        const origin = `http://127.0.0.1:${ports[i % 2]}`;
        const res = await fetch(`${origin}/api/auth/sign-in/email`, {
          method: "POST",
          headers: { "content-type": "application/json", origin, "x-forwarded-for": "192.0.2.77" },
          body: JSON.stringify({ email: "operator@example.com", password: `guess number ${i}` }),
        });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  });

  it("a bad SWITCHYARD_TRUSTED_PROXIES stops the start with what is wrong", async () => {
    const bad = runSwitchyard(["web", "--port", String(await freePort())], { DATABASE_URL: db.url, SWITCHYARD_HOME: home, SWITCHYARD_TRUSTED_PROXIES: "10.0.0.0/8, ingress" });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('SWITCHYARD_TRUSTED_PROXIES: "ingress" is not an IP address or a CIDR range');
  });
});

describe("sign-in's next", () => {
  it("is followed only to a page of this site, from the proxy and from the sign-in page", async () => {
    const after = async (next: string) => (await page(`/sign-in?next=${encodeURIComponent(next)}`, cookies.viewer)).headers.get("location");
    expect(await after("/daily?filter=problems")).toBe("/daily?filter=problems");
    for (const evil of ["//evil.example", "/\\evil.example", "/.//evil.example", "https://evil.example/"]) expect(await after(evil), evil).toBe("/");
    // not signed in: the proxy remembers the path, unless it would lead off-site once resolved
    const remembered = new URL((await page("/daily?x=1")).headers.get("location")!, base);
    expect(remembered.searchParams.get("next")).toBe("/daily?x=1");
    const offsite = new URL((await page("//evil.example/x")).headers.get("location")!, base);
    expect(offsite.origin).toBe(base);
    expect(new URL(offsite.searchParams.get("next")!, base).origin).toBe(base);
  });
});

describe("run logs", () => {
  it("are read only from the runners' log folder: a row naming another file, or a symlink out of it, is refused", async () => {
    const folder = path.join(home, "runs");
    fs.writeFileSync(path.join(folder, "ok.log"), "hello from the run\n");
    const outside = path.join(home, "not-a-log.txt");
    fs.writeFileSync(outside, "private\n");
    fs.symlinkSync(outside, path.join(folder, "planted.log"));
    const run = (logPath: string, date: string) => seedRun(db.pool, { serviceId, date, status: "done", startedAt: `${date}T01:00:00Z`, finishedAt: `${date}T01:05:00Z`, logPath });
    const ok = await run(path.join(folder, "ok.log"), "2026-11-01");
    const listed = await run(outside, "2026-11-02");
    const planted = await run(path.join(folder, "planted.log"), "2026-11-03");
    const escaped = await run(`${folder}/../not-a-log.txt`, "2026-11-04");
    const download = (id: number) => api(`/api/v1/dashboard/runs/${id}/log/download`, tokens.viewer);
    expect(await (await download(ok)).text()).toBe("hello from the run\n");
    for (const id of [listed, planted, escaped]) {
      const res = await download(id);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("log_outside_folder");
      const tail = await (await api(`/api/v1/dashboard/runs/${id}/log`, tokens.viewer)).json();
      expect(tail).toMatchObject({ text: "", refused: expect.stringContaining("outside the runners' log folder") });
    }
  });
});

describe("request bodies", () => {
  const big = (bytes: number) => JSON.stringify({ email: "a@example.com", password: "x".repeat(bytes) });

  it("over the limit get 413 with the limit named: set-up, a password link and sign-in (16 KiB), the control API (1 MiB)", async () => {
    const post = (url: string, body: BodyInit, headers: Record<string, string> = {}) =>
      fetch(`${base}${url}`, { method: "POST", headers: { "content-type": "application/json", origin: base, ...headers }, body, duplex: "half" } as RequestInit);
    for (const url of ["/api/v1/setup", "/api/v1/join", "/api/auth/sign-in/email"]) {
      const res = await post(url, big(20_000));
      expect(res.status, url).toBe(413);
      expect(await res.text(), url).toContain("larger than 16384 bytes");
    }
    const control = await post("/api/v1/runs", big(2 * 1024 * 1024), { authorization: `Bearer ${tokens.operator}` });
    expect(control.status).toBe(413);
    expect((await control.json()).error).toMatchObject({ code: "body_too_large", message: expect.stringContaining("larger than 1048576 bytes") });
    // under the limit the route answers as usual
    const small = await post("/api/v1/setup", JSON.stringify({ token: "guess", email: "a@example.com", name: "A", password: "0123456789ab" }));
    expect(small.status).toBe(400);
    expect((await small.json()).error.code).toBe("setup_refused");
    // no Content-Length: the body is streamed and cut off once it passes the limit (last: the server
    // then closes the connection, which a pooled keep-alive socket would meet as a reset)
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await post("/api/v1/setup", stream);
    expect(streamed.status).toBe(413);
  });
});

describe("an API path or method no route answers", () => {
  it("gets the API's JSON error saying what exists, not an HTML page or an empty 405", async () => {
    const headers = { authorization: `Bearer ${tokens.operator}` };
    const wrongMethod = await fetch(`${base}/api/v1/runs/1`, { method: "DELETE", headers });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect((await wrongMethod.json()).error).toMatchObject({ code: "method_not_allowed", message: "DELETE /api/v1/runs/1: this route answers GET only" });
    const unknown = await fetch(`${base}/api/v1/run/1`, { headers });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/json");
    expect((await unknown.json()).error).toMatchObject({ code: "no_such_route", message: expect.stringContaining("/api/v1/openapi.json") });
    // what exists still answers as before, and the sign-in API (not /api/v1) is untouched
    expect((await fetch(`${base}/api/v1/runs/1`, { headers })).status).not.toBe(405);
    expect((await fetch(`${base}/api/v1/services/sync`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: "{}" })).status).not.toBe(405);
    expect((await fetch(`${base}/api/auth/get-session`)).status).toBe(200);
  });
});
