import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveRoutes, type RouteServer } from "@/lib/api/testing/route-server";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUserWithPassword } from "@/lib/auth/users";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Everyone's own API tokens over real HTTP (the route handlers on a plain node server, a real
// better-auth sign-in, a real database): a signed-in person makes a token, which then acts as them;
// an API token cannot make another (a leaked one must not mint its successors) but can revoke
// itself; nobody revokes someone else's token here; each change is in the audit log, without the
// token.

let db: TestDatabase;
let server: RouteServer;
let home: string;
let cookie: Record<string, string>;
let othersToken: { id: string; token: string };

beforeAll(async () => {
  db = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-account-"));
  process.env.DATABASE_URL = db.url;
  process.env.SWITCHYARD_HOME = home;
  await createUserWithPassword(db.pool, { email: "vic@example.com", name: "Vic", password: "correct horse battery", role: "viewer" });
  const other = await createUserWithPassword(db.pool, { email: "olga@example.com", name: "Olga", password: "correct horse battery", role: "operator" });
  othersToken = await createApiToken(db.pool, other.id, "olga-laptop");
  server = await serveRoutes([
    { pattern: /^\/api\/v1\/account$/, module: await import("@/app/api/v1/account/route") },
    { pattern: /^\/api\/v1\/account\/tokens$/, module: await import("@/app/api/v1/account/tokens/route") },
    { pattern: /^\/api\/v1\/account\/tokens\/revoke$/, module: await import("@/app/api/v1/account/tokens/revoke/route") },
    { pattern: /^\/api\/auth\//, module: await import("@/app/api/auth/[...all]/route") },
  ]);
  process.env.SWITCHYARD_PUBLIC_URL = server.url; // better-auth trusts this origin for sign-in
  const signIn = await send("POST", "/api/auth/sign-in/email", { email: "vic@example.com", password: "correct horse battery" }, { origin: server.url });
  expect(signIn.status).toBe(200);
  cookie = { cookie: signIn.cookies.join("; "), origin: server.url };
});
afterAll(async () => {
  await server?.close();
  const { getPool } = await import("@/lib/db/client");
  await getPool().end();
  await db?.drop();
  fs.rmSync(home, { recursive: true, force: true });
});

type Answer = { status: number; body: Record<string, any>; cookies: string[] }; // eslint-disable-line @typescript-eslint/no-explicit-any

async function send(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, cookies: response.headers.getSetCookie().map((c) => c.split(";")[0]) };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const auditRows = async () => (await db.pool.query("SELECT actor, action, target_type, outcome, reason, result FROM audit_log WHERE action LIKE 'token.%' OR target_type = 'api' ORDER BY id")).rows;

describe("one's own API tokens", () => {
  let token: string;
  let tokenId: string;

  it("a signed-in person makes a token (90 days unless told), shown once, which then acts as them", async () => {
    expect((await send("GET", "/api/v1/account", undefined, cookie)).body.user).toMatchObject({ email: "vic@example.com", role: "viewer", tokens: [] });
    const made = await send("POST", "/api/v1/account/tokens", { name: "laptop cli", reason: "for the runs CLI" }, cookie);
    expect(made.status).toBe(200);
    expect(made.body.token).toMatch(/^sy_[\w-]{30,}$/);
    expect(made.body.message).toContain('The API token "laptop cli" acts as vic@example.com, with their role (viewer)');
    const days = (Date.parse(made.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);
    token = made.body.token;
    tokenId = made.body.id;

    const asToken = await send("GET", "/api/v1/account", undefined, bearer(token));
    expect(asToken.status).toBe(200);
    expect(asToken.body.user.email).toBe("vic@example.com");
    expect(asToken.body.user.tokens).toEqual([expect.objectContaining({ id: tokenId, name: "laptop cli", state: "active", lastUsedAt: expect.any(String) })]);

    const never = await send("POST", "/api/v1/account/tokens", { name: "forever", expiresInDays: null }, cookie);
    expect(never.body.expiresAt).toBeNull();
    expect(never.body.message).toContain("it never expires");
  });

  it("refuses bad input with what was wrong, and an API token that tries to make another", async () => {
    const zero = await send("POST", "/api/v1/account/tokens", { name: "x", expiresInDays: 0 }, cookie);
    expect([zero.status, zero.body.error.message]).toEqual([400, expect.stringContaining("expiresInDays: at least 1 day")]);
    const text = await send("POST", "/api/v1/account/tokens", { name: "x", expiresInDays: "90" }, cookie);
    expect([text.status, text.body.error.message]).toEqual([400, expect.stringContaining("expected a number of days (1–3650) or null for never")]);
    expect((await send("POST", "/api/v1/account/tokens", { name: "  " }, cookie)).status).toBe(400);
    expect((await send("POST", "/api/v1/account/tokens", { name: "x", role: "admin" }, cookie)).status).toBe(400);
    const forged = await send("POST", "/api/v1/account/tokens", { name: "ok\nuser:ada@example.com token.revoke" }, cookie);
    expect([forged.status, forged.body.error.message]).toEqual([400, expect.stringContaining("no line breaks")]);

    const minted = await send("POST", "/api/v1/account/tokens", { name: "successor" }, bearer(token));
    expect([minted.status, minted.body.error.code]).toEqual([403, "session_required"]);
    expect(minted.body.error.message).toContain("signed in, in a browser");
    expect((await db.pool.query("SELECT name FROM api_tokens WHERE name = 'successor'")).rowCount).toBe(0);
  });

  it("revokes only one's own tokens: another's id is not found, and a token may revoke itself", async () => {
    const others = await send("POST", "/api/v1/account/tokens/revoke", { token: othersToken.id }, cookie);
    expect([others.status, others.body.error.code]).toEqual([404, "not_found"]);
    expect((await db.pool.query("SELECT revoked_at FROM api_tokens WHERE id = $1", [othersToken.id])).rows[0].revoked_at).toBeNull();

    const itself = await send("POST", "/api/v1/account/tokens/revoke", { token: tokenId, reason: "left it in a gist" }, bearer(token));
    expect(itself.status).toBe(200);
    expect(itself.body).toMatchObject({ revoked: 1, tokenIds: [tokenId] });
    const after = await send("GET", "/api/v1/account", undefined, bearer(token));
    expect([after.status, after.body.error.code]).toEqual([401, "token_revoked"]);
    expect(after.body.error.message).toContain("make a new one on your Account page");
  });

  it("audits each change as the person, and never writes a token into the log", async () => {
    const rows = await auditRows();
    expect(rows.map((r) => [r.actor, r.action, r.outcome, r.reason])).toEqual([
      ["user:vic@example.com", "token.create", "ok", "for the runs CLI"],
      ["user:vic@example.com", "token.create", "ok", null],
      ["user:vic@example.com", "POST /api/v1/account/tokens", "denied", null],
      ["user:vic@example.com", "POST /api/v1/account/tokens", "denied", null],
      ["user:vic@example.com", "POST /api/v1/account/tokens", "denied", null],
      ["user:vic@example.com", "POST /api/v1/account/tokens", "denied", null],
      ["user:vic@example.com", "POST /api/v1/account/tokens", "denied", null],
      ["token:laptop cli (vic@example.com)", "POST /api/v1/account/tokens", "denied", null],
      ["user:vic@example.com", "token.revoke", "denied", null],
      ["token:laptop cli (vic@example.com)", "token.revoke", "ok", "left it in a gist"],
    ]);
    expect(rows[0].result).toMatchObject({ name: "laptop cli", email: "vic@example.com" });
    expect(JSON.stringify(rows)).not.toMatch(/sy_/);
  });
});
