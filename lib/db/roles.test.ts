import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { appRoleProblems, ensureAppRole, grantAppRole, urlAs } from "@/lib/db/roles";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The app role against a real PostgreSQL: it reads and writes rows, including tables a later
// migration creates, but cannot change the schema, rewrite the audit, or run programs on the server.
// Roles are cluster-wide, so this file uses a role of its own name.

const role = `switchyard_app_test_${randomBytes(4).toString("hex")}`;
const password = randomBytes(12).toString("hex");
let db: TestDatabase;
let app: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  await ensureAppRole(db.pool, password, role);
  await grantAppRole(db.pool, role);
  // A later migration, run by the owner, creates a table: the app may use it with no extra step.
  await db.pool.query("CREATE TABLE later_table (id serial PRIMARY KEY, note text)");
  app = new pg.Client(urlAs(db.url, role, password));
  await app.connect();
});

afterAll(async () => {
  await app?.end();
  await db?.drop();
  const admin = new pg.Client(inject("testAdminUrl") ?? process.env.SWITCHYARD_TEST_ADMIN_URL);
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.end());
});

const denied = (sql: string) => expect(app.query(sql)).rejects.toMatchObject({ code: "42501" });

describe("the app role", () => {
  it("may add to and read audit_log, but not change, delete or truncate it", async () => {
    await app.query("INSERT INTO audit_log (actor, action, target_type, outcome) VALUES ('a', 'test', 'run', 'ok')");
    expect((await app.query("SELECT count(*)::int AS n FROM audit_log")).rows[0].n).toBe(1);
    await denied("UPDATE audit_log SET actor = 'someone else'");
    await denied("DELETE FROM audit_log");
    await denied("TRUNCATE audit_log");
  });

  it("reads and writes the other tables, and tables created by later migrations", async () => {
    await app.query("INSERT INTO later_table (note) VALUES ('x')");
    await app.query("UPDATE later_table SET note = 'y'");
    expect((await app.query("DELETE FROM later_table")).rowCount).toBe(1);
    await app.query("SELECT count(*) FROM runs");
  });

  it("cannot change the schema or run a program on the server", async () => {
    await denied("CREATE TABLE sneaky (id int)");
    await denied("ALTER TABLE runs ADD COLUMN sneaky int");
    await denied("DROP TABLE later_table");
    await denied("COPY (SELECT 1) TO PROGRAM 'id'");
    await denied("INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ('x', 'x', 'x', now())");
  });

  it("passes doctor's check, and the superuser does not", async () => {
    expect(await appRoleProblems(app)).toEqual([]);
    expect(await appRoleProblems(db.pool)).toEqual(expect.arrayContaining([expect.stringContaining("superuser")]));
  });
});
