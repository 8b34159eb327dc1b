import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withApi } from "@/lib/api/handler";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createAuth, type Auth } from "@/lib/auth/auth";
import { createFirstAdmin, firstAdminTokenValid, issueFirstAdminToken, SetupRefused } from "@/lib/auth/first-admin";
import { createUserWithPassword, UserExists } from "@/lib/auth/users";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Real better-auth over a real database: users made by our CLI path sign in through better-auth's
// own endpoint, sessions carry the role, API tokens act with their user's role, and the first-admin
// link works exactly once.

const origin = "http://127.0.0.1:3999";
let db: TestDatabase;
let auth: Auth;
let home: string;

beforeAll(async () => {
  db = await createTestDatabase();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-auth-"));
  process.env.DATABASE_URL = db.url; // withApi's token lookup uses the shared pool
  process.env.SWITCHYARD_HOME = home;
  auth = createAuth(db.pool, { baseURL: origin, secret: "test-secret-test-secret-test-secret-0123" });
});

afterAll(async () => {
  await db?.drop();
  fs.rmSync(home, { recursive: true, force: true });
});

async function signIn(email: string, password: string): Promise<Response> {
  return auth.handler(
    new Request(`${origin}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ email, password }),
    }),
  );
}

describe("sign-in", () => {
  it("signs in a user created with a password, and the session carries the role", async () => {
    await createUserWithPassword(db.pool, { email: "Ops@Example.com", name: "Ops", password: "correct horse battery", role: "operator" });
    const response = await signIn("ops@example.com", "correct horse battery");
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie")!.split(";")[0];
    const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user.email).toBe("ops@example.com");
    expect((session?.user as { role?: string }).role).toBe("operator");
  });

  it("refuses a wrong password and an unknown user alike", async () => {
    expect((await signIn("ops@example.com", "wrong password!")).status).toBe(401);
    expect((await signIn("nobody@example.com", "correct horse battery")).status).toBe(401);
  });

  it("refuses a second user with the same e-mail and a short password", async () => {
    await expect(createUserWithPassword(db.pool, { email: "ops@example.com", name: "Again", password: "0123456789ab", role: "viewer" })).rejects.toThrow(UserExists);
    await expect(createUserWithPassword(db.pool, { email: "new@example.com", name: "New", password: "short", role: "viewer" })).rejects.toThrow(/password: expected at least 10/);
  });

  it("gives a disabled account no session, and says why only once the password was right", async () => {
    await createUserWithPassword(db.pool, { email: "gone@example.com", name: "Gone", password: "correct horse battery", role: "operator" });
    await db.pool.query("UPDATE users SET disabled_at = now() WHERE email = 'gone@example.com'");
    const refused = await signIn("gone@example.com", "correct horse battery");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("set-cookie") ?? "").not.toContain("session_token=");
    expect((await refused.json()).message).toContain("this account is disabled");
    const wrong = await signIn("gone@example.com", "wrong password!");
    expect(wrong.status).toBe(401); // the same answer as for any wrong password: nothing told about the account
    const { rows } = await db.pool.query("SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'gone@example.com'");
    expect(rows[0].n).toBe(0);
    await db.pool.query("UPDATE users SET disabled_at = NULL WHERE email = 'gone@example.com'");
    expect((await signIn("gone@example.com", "correct horse battery")).status).toBe(200);
  });

  it("has no open sign-up", async () => {
    const response = await auth.handler(
      new Request(`${origin}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body: JSON.stringify({ email: "walk-in@example.com", password: "0123456789ab", name: "Walk-in" }),
      }),
    );
    expect(response.status).toBeGreaterThanOrEqual(400);
    const { rows } = await db.pool.query("SELECT 1 FROM users WHERE email = 'walk-in@example.com'");
    expect(rows).toHaveLength(0);
  });
});

describe("roles on the API", () => {
  const act = withApi({ role: "operator" }, async ({ actor }) => ({ actedAs: actor.name }));
  const call = (token: string | null) =>
    act(new NextRequest(`${origin}/api/v1/x`, { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {}, body: "{}" }), { params: Promise.resolve({}) });

  it("lets an operator's token act, refuses a viewer's with 403 and nobody with 401", async () => {
    const viewer = await createUserWithPassword(db.pool, { email: "viewer@example.com", name: "V", password: "0123456789ab", role: "viewer" });
    const operator = await db.pool.query<{ id: string }>("SELECT id FROM users WHERE email = 'ops@example.com'");
    const viewerToken = (await createApiToken(db.pool, viewer.id, "viewer-script")).token;
    const operatorToken = (await createApiToken(db.pool, operator.rows[0].id, "ops-script")).token;

    const ok = await call(operatorToken);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ actedAs: "ops@example.com" });
    const denied = await call(viewerToken);
    expect(denied.status).toBe(403);
    expect((await denied.json()).error.message).toContain("operator");
    const refusals = await db.pool.query("SELECT actor, action, outcome FROM audit_log WHERE outcome = 'denied' AND target_type = 'api'");
    expect(refusals.rows).toEqual([{ actor: "token:viewer-script (viewer@example.com)", action: "POST /api/v1/x", outcome: "denied" }]);
    expect((await call(null)).status).toBe(401);
    expect((await call("sy_not-a-real-token")).status).toBe(401);
  });
});

describe("first admin", () => {
  it("issues a link only while there are no users, and it works once", async () => {
    const fresh = await createTestDatabase();
    try {
      const token = (await issueFirstAdminToken(fresh.pool))!;
      expect(token).toMatch(/^[\w-]{20,}$/);
      expect(await firstAdminTokenValid(fresh.pool, token)).toBe(true);
      await expect(createFirstAdmin(fresh.pool, "guessed", { email: "a@example.com", name: "A", password: "0123456789ab" })).rejects.toThrow(SetupRefused);
      await createFirstAdmin(fresh.pool, token, { email: "admin@example.com", name: "Admin", password: "0123456789ab" });
      await expect(createFirstAdmin(fresh.pool, token, { email: "b@example.com", name: "B", password: "0123456789ab" })).rejects.toThrow(SetupRefused);
      expect(await issueFirstAdminToken(fresh.pool)).toBeNull();
      const { rows } = await fresh.pool.query("SELECT email, role FROM users");
      expect(rows).toEqual([{ email: "admin@example.com", role: "admin" }]);
      const audit = await fresh.pool.query("SELECT action, outcome FROM audit_log ORDER BY id");
      expect(audit.rows).toEqual([
        { action: "setup.first-admin", outcome: "denied" },
        { action: "setup.first-admin", outcome: "ok" },
      ]);
    } finally {
      await fresh.drop();
    }
  });
});
