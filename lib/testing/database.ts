import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createPool } from "@/lib/db/pool";

// A fresh, migrated database for one test file: cloned from the template that the global
// setup migrated. Never a mocked database.

export type TestDatabase = { url: string; name: string; pool: pg.Pool; drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("testAdminUrl") ?? process.env.SWITCHYARD_TEST_ADMIN_URL;
  const template = inject("testTemplateDatabase") ?? process.env.SWITCHYARD_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error("the test database is not set up: run tests through vitest (its globalSetup starts PostgreSQL)");
  const name = `switchyard_test_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = createPool(url, { max: 5 });
  return {
    url,
    name,
    pool,
    async drop() {
      await pool.end();
      const c = new pg.Client(adminUrl);
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
