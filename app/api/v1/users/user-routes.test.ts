import { verifyPassword } from "better-auth/crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { actorForToken, createApiToken, createUser } from "@/lib/auth/api-tokens";
import type { Actor } from "@/lib/auth/roles";
import { setUserRole } from "@/lib/control/users";
import { selectAuditLog } from "@/lib/db/queries/select-audit-log";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { freePort } from "@/lib/testing/free-port";
import { startSmtpSink, unfoldMail } from "@/lib/testing/smtp-sink";

// The People page's API through the real route handlers on a real database: only admins list
// accounts or change one; a role change, a disable (sessions deleted, tokens refused), an enable
// and a token revoke each commit with their audit row; and nobody, not even two admins at once,
// can take away the last enabled admin.

let db: TestDatabase;
type Handler = (request: NextRequest, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
let POST: Handler;
let GET: Handler;
let INVITE: Handler;
let JOIN: Handler;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  POST = ((await import("@/app/api/v1/users/[id]/[action]/route")) as unknown as { POST: Handler }).POST;
  ({ GET, POST: INVITE } = (await import("@/app/api/v1/users/route")) as unknown as { GET: Handler; POST: Handler });
  JOIN = ((await import("@/app/api/v1/join/route")) as unknown as { POST: Handler }).POST;
});
afterAll(async () => {
  const { getPool } = await import("@/lib/db/client");
  await getPool().end();
  await db?.drop();
});
beforeEach(async () => {
  await db.pool.query("TRUNCATE users, sessions, api_tokens, audit_log RESTART IDENTITY CASCADE");
  for (const [who, role] of [["ada", "admin"], ["olga", "operator"], ["vic", "viewer"]] as const) {
    ids[who] = await createUser(db.pool, { email: `${who}@example.com`, name: who, role });
    tokens[who] = (await createApiToken(db.pool, ids[who], "laptop")).token;
  }
  // vic is signed in on two browsers
  for (const n of [1, 2])
    await db.pool.query("INSERT INTO sessions (id, user_id, token, expires_at) VALUES ($1, $2, $1, now() + interval '1 day')", [`s${n}`, ids.vic]);
});

async function call(who: string, user: string, action: string, body: unknown = {}) {
  const request = new NextRequest(`http://127.0.0.1/api/v1/users/${encodeURIComponent(user)}/${action}`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[who]}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const response = await POST(request, { params: Promise.resolve({ id: user, action }) });
  return { status: response.status, body: await response.json() };
}

async function list(who: string) {
  const request = new NextRequest("http://127.0.0.1/api/v1/users", { headers: { authorization: `Bearer ${tokens[who]}` } });
  const response = await GET(request, { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json() };
}

async function invite(who: string, body: unknown) {
  const request = new NextRequest("http://127.0.0.1/api/v1/users", { method: "POST", headers: { authorization: `Bearer ${tokens[who]}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  const response = await INVITE(request, { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json() };
}

/** What the person who got the link does: no sign-in, only the token from the link. */
async function join(link: string, password: string) {
  const token = new URL(link, "http://127.0.0.1").searchParams.get("token");
  const request = new NextRequest("http://127.0.0.1/api/v1/join", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, password }) });
  const response = await JOIN(request, { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json() };
}

const storedPassword = async (userId: string) => (await db.pool.query("SELECT password FROM accounts WHERE user_id = $1 AND provider_id = 'credential'", [userId])).rows.map((r) => r.password as string);

const auditRows = async () =>
  (await db.pool.query("SELECT actor, action, target_type, target_id, reason, outcome, result FROM audit_log WHERE action LIKE 'user.%' OR action = 'token.revoke' ORDER BY id")).rows;

describe("user routes", () => {
  it("are for admins only, reads included", async () => {
    expect((await list("olga")).status).toBe(403);
    expect((await call("olga", "vic@example.com", "role", { role: "admin" })).status).toBe(403);
    const { rows } = await db.pool.query("SELECT role FROM users WHERE id = $1", [ids.vic]);
    expect(rows[0].role).toBe("viewer");
  });

  it("lists every account with its role, sessions and tokens, and never a secret", async () => {
    const { status, body } = await list("ada");
    expect(status).toBe(200);
    expect(body.users.map((u: { email: string }) => u.email)).toEqual(["ada@example.com", "olga@example.com", "vic@example.com"]);
    const vic = body.users.find((u: { email: string }) => u.email === "vic@example.com");
    expect(vic).toMatchObject({ role: "viewer", disabledAt: null, sessions: 2, tokens: [{ name: "laptop", state: "active", lastUsedAt: null }] });
    expect(vic.lastSignInAt).not.toBeNull();
    // a sign-in is known from the audit log once its session is gone; a refused one does not count
    await db.pool.query(
      `INSERT INTO audit_log (at, actor, action, target_type, target_id, outcome, result) VALUES
         ('2026-11-02T08:00:00Z', 'user:olga@example.com', 'auth.sign-in', 'user', $1, 'ok', '{}'),
         ('2026-11-03T08:00:00Z', 'anonymous', 'auth.sign-in', 'user', $1, 'denied', '{}')`,
      [ids.olga],
    );
    const after = (await list("ada")).body.users;
    expect(after.find((u: { email: string }) => u.email === "olga@example.com")).toMatchObject({ lastSignInAt: "2026-11-02T08:00:00.000Z", sessions: 0 });
    expect(after.find((u: { email: string }) => u.email === "ada@example.com").lastSignInAt).toBeNull();
    expect(JSON.stringify(body)).not.toMatch(/token_hash|sy_/);
  });

  it("changes a role by e-mail, at once, with the admin and the reason in the audit log", async () => {
    const answer = await call("ada", "Vic@Example.com", "role", { role: "operator", reason: "on call from Monday" });
    expect(answer).toMatchObject({ status: 200, body: { email: "vic@example.com", role: "operator", from: "viewer", changed: true } });
    expect(await actorForToken(db.pool, tokens.vic)).toMatchObject({ role: "operator" });
    expect((await call("ada", ids.vic, "role", { role: "operator" })).body).toMatchObject({ changed: false, message: "vic@example.com is already operator" });
    expect((await auditRows()).map((r) => [r.actor, r.action, r.target_id, r.reason, r.outcome])).toEqual([
      ["token:laptop (ada@example.com)", "user.role", ids.vic, "on call from Monday", "ok"],
      ["token:laptop (ada@example.com)", "user.role", ids.vic, null, "ok"],
    ]);
    // the Audit page and `switchyard audit list` name the account, not only its UUID
    const entries = await selectAuditLog(db.pool, { targetType: "user", targetId: ids.vic });
    expect(entries.map((e) => [e.targetId, e.targetName])).toEqual([
      [ids.vic, "vic@example.com"],
      [ids.vic, "vic@example.com"],
    ]);
  });

  it("disables a user: signed out everywhere, tokens refused; enable lets them back", async () => {
    const off = await call("ada", "vic@example.com", "disable", { reason: "left the team" });
    expect(off).toMatchObject({ status: 200, body: { disabled: true, changed: true, endedSessions: 2 } });
    expect(off.body.message).toContain("2 sessions ended");
    expect((await db.pool.query("SELECT count(*)::int AS n FROM sessions WHERE user_id = $1", [ids.vic])).rows[0].n).toBe(0);
    await expect(actorForToken(db.pool, tokens.vic)).rejects.toMatchObject({ status: 401, code: "user_disabled" });
    expect((await list("ada")).body.users.at(-1)).toMatchObject({ email: "vic@example.com", sessions: 0 }); // disabled ones last
    expect((await call("ada", "vic@example.com", "disable")).body).toMatchObject({ changed: false });
    expect((await call("ada", "vic@example.com", "enable")).body).toMatchObject({ disabled: false, changed: true });
    expect(await actorForToken(db.pool, tokens.vic)).toMatchObject({ role: "viewer" });
    expect((await auditRows()).map((r) => [r.action, r.outcome, r.result.email])).toEqual([
      ["user.disable", "ok", "vic@example.com"],
      ["user.disable", "ok", "vic@example.com"],
      ["user.enable", "ok", "vic@example.com"],
    ]);
  });

  it("revokes one token by name; an unknown one is a 404 that is audited as denied", async () => {
    await createApiToken(db.pool, ids.olga, "nightly");
    const answer = await call("ada", "olga@example.com", "revoke-token", { token: "laptop", reason: "laptop stolen" });
    expect(answer).toMatchObject({ status: 200, body: { revoked: 1 } });
    await expect(actorForToken(db.pool, tokens.olga)).rejects.toMatchObject({ status: 401, code: "token_revoked" });
    const tokensLeft = (await list("ada")).body.users.find((u: { email: string }) => u.email === "olga@example.com").tokens;
    expect(tokensLeft.map((t: { name: string; state: string }) => [t.name, t.state])).toEqual([
      ["laptop", "revoked"],
      ["nightly", "active"],
    ]);
    const missing = await call("ada", "olga@example.com", "revoke-token", { token: "laptop" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('named or with the id "laptop"');
    expect((await auditRows()).map((r) => [r.action, r.outcome])).toEqual([
      ["token.revoke", "ok"],
      ["token.revoke", "denied"],
    ]);
  });

  it("refuses to leave no enabled admin, by role or by disabling, and says what to do", async () => {
    const demote = await call("ada", "ada@example.com", "role", { role: "operator" });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toBe("ada@example.com is the only enabled admin: making them operator would leave nobody who can manage accounts. Make someone else admin first.");
    expect((await call("ada", "ada@example.com", "disable")).status).toBe(409);
    expect((await db.pool.query("SELECT role, disabled_at FROM users WHERE id = $1", [ids.ada])).rows[0]).toEqual({ role: "admin", disabled_at: null });
    // with a second admin, either may step down
    expect((await call("ada", "olga@example.com", "role", { role: "admin" })).status).toBe(200);
    expect((await call("ada", "ada@example.com", "role", { role: "viewer" })).status).toBe(200);
    expect((await auditRows()).map((r) => r.outcome)).toEqual(["denied", "denied", "ok", "ok"]);
  });

  it("lets two admins demoting each other at once end with one admin, not none", async () => {
    await db.pool.query("UPDATE users SET role = 'admin' WHERE id = $1", [ids.olga]);
    const as = (who: string): Actor => ({ kind: "user", id: ids[who], name: `${who}@example.com`, role: "admin" });
    for (let round = 0; round < 10; round++) {
      await db.pool.query("UPDATE users SET role = 'admin' WHERE id IN ($1, $2)", [ids.ada, ids.olga]);
      const results = await Promise.allSettled([
        setUserRole(db.pool, as("ada"), { user: ids.olga, role: "viewer" }),
        setUserRole(db.pool, as("olga"), { user: ids.ada, role: "viewer" }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const admins = await db.pool.query("SELECT count(*)::int AS n FROM users WHERE role = 'admin'");
      expect(admins.rows[0].n).toBe(1);
    }
  });

  it("answers bad input with what was wrong", async () => {
    const noRole = await call("ada", "vic@example.com", "role", {});
    expect(noRole.status).toBe(400);
    expect(noRole.body.error.message).toContain("role needs the new role: viewer, operator, admin");
    expect((await call("ada", "vic@example.com", "role", { role: "root" })).body.error.message).toContain("expected a role: viewer, operator, admin");
    expect((await call("ada", "vic@example.com", "delete")).body.error.message).toContain("role, disable, enable, revoke-token");
    expect((await call("ada", "vic@example.com", "disable", { token: "x" })).body.error.message).toContain("only revoke-token takes a token");
    expect((await call("ada", "nobody@example.com", "disable")).status).toBe(404);
  });

  it("invites someone: an account without a password and a one-time link that never reaches the audit log", async () => {
    const invited = await invite("ada", { email: "Nia@Example.com", name: "Nia", role: "operator", reason: "joins the data team" });
    expect(invited).toMatchObject({ status: 200, body: { email: "nia@example.com", role: "operator", link: expect.stringMatching(/^\/join\?token=[\w-]{30,}$/) } });
    expect((await invite("ada", { email: "nia@example.com", name: "Nia again", role: "viewer" })).status).toBe(409);
    expect((await invite("olga", { email: "x@example.com", name: "X", role: "admin" })).status).toBe(403);
    expect((await invite("ada", { email: "not an address", name: "X", role: "viewer" })).body.error.message).toContain("expected an e-mail address");
    const nia = (await list("ada")).body.users.find((u: { email: string }) => u.email === "nia@example.com");
    expect(nia).toMatchObject({ role: "operator", hasPassword: false, lastSignInAt: null });
    expect(Date.parse(nia.linkExpiresAt) - Date.now()).toBeGreaterThan(71 * 3600_000);
    const audit = await db.pool.query("SELECT action, target_id, reason, outcome, result::text AS result FROM audit_log WHERE action = 'user.invite' ORDER BY id");
    expect(audit.rows.map((r) => [r.target_id, r.reason, r.outcome])).toEqual([
      [nia.id, "joins the data team", "ok"],
      [expect.any(String), null, "denied"],
    ]);
    const token = new URL(invited.body.link, "http://x").searchParams.get("token")!;
    expect(audit.rows.map((r) => r.result).join()).not.toContain(token);

    // the link sets the password once; a short one is refused without spending it
    expect((await join(invited.body.link, "short")).body.error.message).toContain("at least 10 characters");
    expect(await join(invited.body.link, "nia-password-1")).toEqual({ status: 200, body: { email: "nia@example.com" } });
    const [hash] = await storedPassword(nia.id);
    expect(await verifyPassword({ hash, password: "nia-password-1" })).toBe(true);
    const again = await join(invited.body.link, "nia-password-2");
    expect(again).toMatchObject({ status: 400, body: { error: { code: "link_refused" } } });
    // the refusals (a short password, the spent link) are in the audit log, with why; the link's token is not
    const refused = await db.pool.query("SELECT actor, action, outcome, result FROM audit_log WHERE action = 'POST /api/v1/join' ORDER BY id");
    expect(refused.rows.map((r) => [r.actor, r.action, r.outcome, r.result.code])).toEqual([
      ["anonymous", "POST /api/v1/join", "denied", "link_refused"],
      ["anonymous", "POST /api/v1/join", "denied", "link_refused"],
    ]);
    expect(refused.rows.map((r) => r.result.reason)).toEqual([expect.stringContaining("at least 10 characters"), expect.stringContaining("invalid, expired or already used")]);
    expect(JSON.stringify(refused.rows)).not.toContain(token);
    expect((await list("ada")).body.users.find((u: { email: string }) => u.email === "nia@example.com")).toMatchObject({ hasPassword: true, linkExpiresAt: null });
    const set = await db.pool.query("SELECT actor, result FROM audit_log WHERE action = 'user.password-set'");
    expect(set.rows).toEqual([{ actor: "user:nia@example.com", result: expect.objectContaining({ email: "nia@example.com", first: true }) }]);
  });

  it("makes a password link for a forgotten password: the newest link alone works, and using it signs them out everywhere", async () => {
    await db.pool.query("INSERT INTO accounts (id, user_id, account_id, provider_id, password) VALUES ('acc-vic', $1, $1, 'credential', 'old-hash')", [ids.vic]);
    const first = await call("ada", "vic@example.com", "password-link", { reason: "forgot it" });
    const second = await call("ada", "vic@example.com", "password-link");
    expect(second).toMatchObject({ status: 200, body: { email: "vic@example.com", link: expect.stringMatching(/^\/join\?token=/) } });
    expect((await join(first.body.link, "vic-password-new")).status).toBe(400);
    expect(await storedPassword(ids.vic)).toEqual(["old-hash"]);
    expect((await join(second.body.link, "vic-password-new")).status).toBe(200);
    const [hash] = await storedPassword(ids.vic);
    expect(await verifyPassword({ hash, password: "vic-password-new" })).toBe(true);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM sessions WHERE user_id = $1", [ids.vic])).rows[0].n).toBe(0);
    // a disabled account gets no link, and a link made before the disable stops working
    const third = await call("ada", "vic@example.com", "password-link");
    await call("ada", "vic@example.com", "disable");
    expect((await join(third.body.link, "vic-password-3rd")).status).toBe(400);
    expect((await call("ada", "vic@example.com", "password-link")).status).toBe(409);
    const rows = await db.pool.query("SELECT outcome, result::text AS result FROM audit_log WHERE action = 'user.password-link' ORDER BY id");
    expect(rows.rows.map((r) => r.outcome)).toEqual(["ok", "ok", "ok", "denied"]);
    expect(rows.rows.map((r) => r.result).join()).not.toMatch(/token=/);
  });

  it("e-mails an invitation or a password link through an e-mail channel's mail server when asked; a failed send leaves the link and says why", async () => {
    const smtp = await startSmtpSink();
    const mails = smtp.mails;
    const closed = await freePort();
    process.env.SWITCHYARD_ALERT_CHANNELS = JSON.stringify([
      { name: "mail", type: "email", smtpUrl: smtp.url, from: "switchyard@example.test", to: ["oncall@example.test"] },
      { name: "dead-mail", type: "email", smtpUrl: `smtp://127.0.0.1:${closed}`, from: "switchyard@example.test", to: ["oncall@example.test"] },
      { name: "hook", type: "webhook", url: "http://127.0.0.1:9/x", secret: "a-signing-key-of-16+" },
    ]);
    try {
      const invited = await invite("ada", { email: "nia@example.com", name: "Nia", role: "operator", emailVia: "mail", reason: "new on the team" });
      expect(invited.status, JSON.stringify(invited.body)).toBe(200);
      expect(invited.body.emailed).toEqual({ channel: "mail", to: "nia@example.com", delivered: true, error: null });
      expect(invited.body.message).toContain("It was e-mailed to them too (channel mail)");
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatch(/^To: nia@example\.com/m);
      expect(mails[0]).toMatch(/^Subject: \[switchyard\] You are invited/m);
      expect(unfoldMail(mails[0])).toMatch(new RegExp(`^https?://[^/\\s]+${invited.body.link.replace(/[?]/g, "\\?")}$`, "m"));
      expect(mails[0]).not.toContain("oncall@example.test"); // the channel's alert recipients are not told

      // a channel that cannot send the link refuses the invitation before it is made
      const webhook = await invite("ada", { email: "x@example.com", name: "X", role: "viewer", emailVia: "hook" });
      expect([webhook.status, webhook.body.error.message]).toEqual([400, expect.stringContaining("only an e-mail channel can send the link")]);
      expect((await invite("ada", { email: "x@example.com", name: "X", role: "viewer", emailVia: "nope" })).status).toBe(400);
      expect((await db.pool.query("SELECT 1 FROM users WHERE email = 'x@example.com'")).rowCount).toBe(0);

      // a mail server that is down: the invitation stands, the answer says what happened, the link is still there
      const down = await invite("ada", { email: "ola@example.com", name: "Ola", role: "viewer", emailVia: "dead-mail" });
      expect(down.status).toBe(200);
      expect(down.body.emailed).toMatchObject({ delivered: false, error: expect.stringMatching(/^smtp 127\.0\.0\.1:\d+: .*ECONNREFUSED/) });
      expect(down.body.message).toContain("E-mailing it failed");
      expect(down.body.link).toMatch(/^\/join\?token=/);

      // a forgotten password's link, e-mailed the same way; only password-link takes emailVia
      const link = await call("ada", "vic@example.com", "password-link", { emailVia: "mail" });
      expect(link.body).toMatchObject({ email: "vic@example.com", emailed: { delivered: true, to: "vic@example.com" } });
      expect(mails[1]).toMatch(/^Subject: \[switchyard\] A link to set your password/m);
      expect(unfoldMail(mails[1])).toContain(link.body.link);
      const wrong = await call("ada", "vic@example.com", "disable", { emailVia: "mail" });
      expect([wrong.status, wrong.body.error.message]).toEqual([400, expect.stringContaining("only password-link takes emailVia")]);

      const audit = await db.pool.query("SELECT action, outcome, result FROM audit_log WHERE action IN ('user.invite', 'user.link-email') ORDER BY id");
      expect(audit.rows.map((r) => [r.action, r.outcome])).toEqual([
        ["user.invite", "ok"],
        ["user.link-email", "pending"],
        ["user.link-email", "ok"],
        ["user.invite", "denied"],
        ["user.invite", "denied"],
        ["user.invite", "ok"],
        ["user.link-email", "pending"],
        ["user.link-email", "ok"],
        ["user.link-email", "pending"],
        ["user.link-email", "ok"],
      ]);
      expect(audit.rows[7].result).toMatchObject({ delivered: false, to: "ola@example.com" });
      expect(JSON.stringify(audit.rows)).not.toMatch(/token=/);
    } finally {
      delete process.env.SWITCHYARD_ALERT_CHANNELS;
      await smtp.close();
    }
  });
});
