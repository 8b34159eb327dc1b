import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actorForToken } from "@/lib/auth/api-tokens";
import { passwordLinkAccount } from "@/lib/auth/password-links";
import { parseExpiry } from "@/lib/cli/commands/user";
import { runSwitchyard } from "@/lib/testing/processes";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// `switchyard user` as an operator runs it: against a real database, with clear refusals.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const user = async (args: string[], env: Record<string, string> = {}) => {
  const proc = runSwitchyard(["user", ...args], { DATABASE_URL: db.url, ...env });
  return { code: await proc.exited, output: proc.output() };
};

describe("switchyard user", () => {
  it("adds a user, lists it, and makes a token that is printed alone on stdout", async () => {
    expect(await user(["add", "--email", "Ana@Example.com", "--name", "Ana", "--role", "operator"], { SWITCHYARD_USER_PASSWORD: "0123456789ab" })).toMatchObject({
      code: 0,
      output: expect.stringContaining("added ana@example.com as operator"),
    });
    expect((await user(["list"])).output).toMatch(/ana@example\.com\toperator\tAna/);
    const token = await user(["token", "--email", "ana@example.com", "--name", "nightly-script"]);
    expect(token.code).toBe(0);
    expect(token.output).toMatch(/^sy_[\w-]{20,}\n/);
    const { rows } = await db.pool.query("SELECT action FROM audit_log ORDER BY id");
    expect(rows.map((r) => r.action)).toEqual(["user.add", "token.create"]);
  });

  it("refuses a bad role, a short password, a duplicate and a missing flag with one line each", async () => {
    expect(await user(["add", "--email", "b@example.com", "--name", "B", "--role", "root", "--password", "0123456789ab"])).toMatchObject({
      code: 2,
      output: expect.stringContaining('--role must be one of viewer, operator, admin (got "root")'),
    });
    expect((await user(["add", "--email", "b@example.com", "--name", "B", "--role", "viewer", "--password", "short"])).output).toContain("password: expected at least 10 characters");
    expect(await user(["add", "--email", "ana@example.com", "--name", "A", "--role", "viewer", "--password", "0123456789ab"])).toMatchObject({
      code: 1,
      output: expect.stringContaining("already exists"),
    });
    expect((await user(["token", "--email", "ana@example.com"])).output).toContain("user token needs --name");
  });

  it("gives a token 90 days by default, lists it with its last use, revokes it; expired and revoked tokens get a 401 that says which", async () => {
    await user(["add", "--email", "ops@example.com", "--name", "Ops", "--role", "operator"], { SWITCHYARD_USER_PASSWORD: "0123456789ab" });
    const made = await user(["token", "--email", "ops@example.com", "--name", "deploy"]);
    const token = made.output.split("\n")[0];
    const { rows } = await db.pool.query("SELECT expires_at FROM api_tokens WHERE name = 'deploy'");
    expect(Math.round((rows[0].expires_at.getTime() - Date.now()) / 86_400_000)).toBe(90);
    expect(await actorForToken(db.pool, token)).toMatchObject({ kind: "token", name: "ops@example.com", tokenName: "deploy" });
    expect((await user(["tokens", "--email", "ops@example.com"])).output).toMatch(/^deploy\tactive\tcreated .*\tlast used 20\d\d-.*\texpires 20/m);

    expect((await user(["token", "--email", "ops@example.com", "--revoke", "deploy"])).output).toContain("revoked 1 token (deploy) of ops@example.com");
    await expect(actorForToken(db.pool, token)).rejects.toMatchObject({ status: 401, code: "token_revoked" });
    expect((await user(["token", "--email", "ops@example.com", "--revoke", "deploy"])).code).toBe(1);

    const old = (await user(["token", "--email", "ops@example.com", "--name", "old", "--expires", "1d"])).output.split("\n")[0];
    await db.pool.query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE name = 'old'");
    await expect(actorForToken(db.pool, old)).rejects.toMatchObject({ status: 401, code: "token_expired" });
    expect((await user(["token", "--email", "ops@example.com", "--name", "x", "--expires", "soon"])).code).toBe(2);
    const forged = await user(["token", "--email", "ops@example.com", "--name", "x\ntoken:admin"]);
    expect([forged.code, forged.output]).toEqual([1, expect.stringContaining("without line breaks")]);

    // two tokens of one name: the id that `user tokens` prints revokes just one of them
    const twins = [0, 1].map(async () => (await user(["token", "--email", "ops@example.com", "--name", "twin"])).output.split("\n")[0]);
    const [first, second] = await Promise.all(twins);
    const listed = (await user(["tokens", "--email", "ops@example.com"])).output.split("\n").filter((l) => l.startsWith("twin\t"));
    const id = /\tid (\S+)$/.exec(listed[0])![1];
    expect((await user(["token", "--email", "ops@example.com", "--revoke", id])).output).toContain(`revoked 1 token (${id})`);
    const refused = await Promise.allSettled([actorForToken(db.pool, first), actorForToken(db.pool, second)]);
    expect(refused.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  it("disables and enables a user (its tokens stop at once, its sessions are deleted) and changes a role, each audited", async () => {
    await user(["add", "--email", "eve@example.com", "--name", "Eve", "--role", "viewer"], { SWITCHYARD_USER_PASSWORD: "0123456789ab" });
    const token = (await user(["token", "--email", "eve@example.com", "--name", "t", "--expires", "never"])).output.split("\n")[0];
    expect((await user(["disable", "--email", "eve@example.com"])).output).toContain("eve@example.com is disabled");
    await expect(actorForToken(db.pool, token)).rejects.toMatchObject({ status: 401, code: "user_disabled" });
    expect((await user(["enable", "--email", "eve@example.com"])).output).toContain("enabled again");
    expect((await user(["role", "--email", "eve@example.com", "--role", "admin"])).output).toContain("eve@example.com is now admin");
    expect(await actorForToken(db.pool, token)).toMatchObject({ role: "admin" });
    const audit = await db.pool.query("SELECT action, result FROM audit_log WHERE action LIKE 'user.%' AND result->>'email' = 'eve@example.com' ORDER BY id");
    expect(audit.rows.map((r) => r.action)).toEqual(["user.add", "user.disable", "user.enable", "user.role"]);
  });

  it("makes a one-time password link for someone who forgot theirs: the link alone on stdout, at the public address", async () => {
    await user(["add", "--email", "lou@example.com", "--name", "Lou", "--role", "admin"], { SWITCHYARD_USER_PASSWORD: "0123456789ab" });
    const made = runSwitchyard(["user", "link", "--email", "lou@example.com"], { DATABASE_URL: db.url, SWITCHYARD_PUBLIC_URL: "https://yard.example.com/" });
    expect(await made.exited).toBe(0);
    expect(made.stdout()).toMatch(/^https:\/\/yard\.example\.com\/join\?token=[\w-]{30,}\n$/);
    expect(made.output()).toContain("Send it to lou@example.com: it sets a new password once, until");
    const token = new URL(made.stdout().trim()).searchParams.get("token")!;
    expect(await passwordLinkAccount(db.pool, token)).toMatchObject({ email: "lou@example.com" });
    const audit = await db.pool.query("SELECT actor, outcome, result::text AS result FROM audit_log WHERE action = 'user.password-link'");
    expect(audit.rows.map((r) => [r.actor, r.outcome])).toEqual([["system:cli", "ok"]]);
    expect(audit.rows[0].result).not.toContain(token);
    expect((await user(["link", "--email", "nobody@example.com"])).code).toBe(1);
    // `user list` says each account's state, as the People page does
    await db.pool.query("INSERT INTO users (id, name, email, role) VALUES ('u-invited', 'Ivy', 'ivy@example.com', 'viewer')");
    const listed = (await user(["list"])).output;
    expect(listed).toMatch(/^lou@example\.com\tadmin\tLou\t\S+\tnever signed in$/m);
    expect(listed).toMatch(/^ivy@example\.com\tviewer\tIvy\t\S+\tinvited \(no password yet\)$/m);
  });

  it("says to migrate first on a database without Switchyard's tables, instead of a stack trace", async () => {
    const name = `no_tables_${process.pid}`;
    await db.pool.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(db.url);
      url.pathname = `/${name}`;
      const proc = runSwitchyard(["user", "list"], { DATABASE_URL: url.toString() });
      expect(await proc.exited).toBe(2);
      expect(proc.output()).toContain('the database has no Switchyard tables yet (relation "users" does not exist): run `switchyard migrate`');
      expect(proc.output()).not.toContain("    at ");
    } finally {
      await db.pool.query(`DROP DATABASE ${name}`);
    }
  });

  it("reads --expires as days, a date or never", () => {
    const now = Date.parse("2026-12-04T00:00:00Z");
    expect(parseExpiry("30d", now)?.toISOString()).toBe("2027-01-03T00:00:00.000Z");
    expect(parseExpiry("2027-06-30", now)?.toISOString()).toBe("2027-06-30T23:59:59.000Z");
    expect(parseExpiry("never", now)).toBeNull();
    expect(() => parseExpiry("2020-01-01", now)).toThrow(/future date/);
    expect(() => parseExpiry("2027-02-31", now)).toThrow(/future date/); // not March 3rd
  });
});
