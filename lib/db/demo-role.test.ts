import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { ensureDemoRole, urlAs } from "@/lib/db/roles";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { demoDdl } from "@/pipelines/demo/demo-db";

// The demo fleet's role against a real PostgreSQL: its pipelines create and fill their tables in
// `demo`, and it can read nothing of Switchyard's own (runs, users, sessions, the audit).
// Roles are cluster-wide, so this file uses a role of its own name.

const role = `switchyard_demo_test_${randomBytes(4).toString("hex")}`;
const password = randomBytes(12).toString("hex");
let db: TestDatabase;
let demo: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  // An older version let the owner create the schema and a table: they are handed over.
  await db.pool.query("CREATE SCHEMA demo");
  await db.pool.query("CREATE TABLE demo.table_updates (update_id text PRIMARY KEY, target_table text, inserted timestamptz)");
  await ensureDemoRole(db.pool, password, role);
  await ensureDemoRole(db.pool, password, role); // a second start changes nothing
  demo = new pg.Client(urlAs(db.url, role, password));
  await demo.connect();
});

afterAll(async () => {
  await demo?.end();
  await db?.drop();
  const admin = new pg.Client(inject("testAdminUrl") ?? process.env.SWITCHYARD_TEST_ADMIN_URL);
  await admin.connect();
  await admin.query(`DROP OWNED BY ${role}`).catch(() => {});
  await admin.query(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.end());
});

const denied = (sql: string) => expect(demo.query(sql)).rejects.toMatchObject({ code: "42501" });

describe("the demo role", () => {
  it("creates and fills the demo pipelines' tables, including the one an older version made", async () => {
    for (const ddl of demoDdl) await demo.query(ddl);
    await demo.query("INSERT INTO demo.hourly_rollups VALUES ('s', now(), 1, 1, 1, 1, 1, 0)");
    await demo.query("INSERT INTO demo.table_updates VALUES ('x', 'demo.hourly_rollups', now())");
    await demo.query("DROP TABLE demo.hourly_rollups");
  });

  it("reads and changes nothing of Switchyard's own, and creates nothing outside demo", async () => {
    await denied("SELECT count(*) FROM runs");
    await denied("SELECT count(*) FROM sessions");
    await denied("SELECT count(*) FROM audit_log");
    await denied("INSERT INTO audit_log (actor, action, target_type, outcome) VALUES ('demo', 'x', 'run', 'ok')");
    await denied("CREATE TABLE public.sneaky (id int)");
    await denied("COPY (SELECT 1) TO PROGRAM 'id'");
  });
});
