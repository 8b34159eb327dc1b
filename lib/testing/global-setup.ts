import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log/logger";
import { freePort } from "@/lib/testing/free-port";

// One PostgreSQL for the whole test run: the embedded one in a temporary folder, or the server
// in DATABASE_URL. Migrations are applied once to a template database; every test file then
// clones it (CREATE DATABASE ... TEMPLATE), which takes milliseconds — see database.ts.

declare module "vitest" {
  export interface ProvidedContext {
    testAdminUrl: string;
    testTemplateDatabase: string;
  }
}

let embedded: EmbeddedPostgres | undefined;
let home: string | undefined;

export default async function setup(project: TestProject) {
  const logger = createLogger("test-db", "warn");
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-test-"));
    fs.chmodSync(home, 0o755);
    embedded = await startEmbeddedPostgres({ home, port: await freePort(), logger, database: "postgres" });
    adminUrl = embedded.url;
  }
  const template = `switchyard_template_${process.pid}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
  } finally {
    await admin.end();
  }
  await applyMigrations(withDatabase(adminUrl, template));
  project.provide("testAdminUrl", adminUrl);
  project.provide("testTemplateDatabase", template);
  process.env.SWITCHYARD_TEST_ADMIN_URL = adminUrl;
  process.env.SWITCHYARD_TEST_TEMPLATE = template;

  return async () => {
    if (embedded) await embedded.stop();
    else {
      const c = new pg.Client(adminUrl);
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {});
      await c.end();
    }
    if (home) fs.rmSync(home, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
