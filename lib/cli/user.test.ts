import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
});
