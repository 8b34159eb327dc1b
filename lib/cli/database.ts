import pg from "pg";
import { CliError } from "@/lib/cli/errors";
import type { Config } from "@/lib/config/env";
import { readOrCreatePassword, startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded";
import { describeDatabaseError } from "@/lib/db/errors";
import { APP_ROLE, DEMO_ROLE, ensureDemoRole, grantAppRole, urlAs } from "@/lib/db/roles";
import type { Logger } from "@/lib/log/logger";

// The database every command starts from: the server in DATABASE_URL, checked once with a
// short timeout so a wrong URL fails in seconds with one clear line; or the embedded one.
// `url` is the owner's (migrations); `appUrl` the least-privilege role the parts connect as —
// APP_DATABASE_URL with an external server (the owner's URL when unset: doctor warns about it).

export type Database = { url: string; appUrl: string; embedded: EmbeddedPostgres | undefined; stop(): Promise<void> };

export class DatabaseUnavailable extends CliError {}

export async function openDatabase(config: Config, logger: Logger, opts: { restart?: boolean } = {}): Promise<Database> {
  if (config.databaseUrl) {
    await checkServer(config.databaseUrl);
    return { url: config.databaseUrl, appUrl: config.appDatabaseUrl ?? config.databaseUrl, embedded: undefined, stop: async () => {} };
  }
  try {
    const embedded = await startEmbeddedPostgres({ home: config.home, port: config.embeddedPostgresPort, logger, restart: opts.restart ?? true });
    return { url: embedded.url, appUrl: embedded.appUrl, embedded, stop: () => embedded.stop() };
  } catch (error) {
    throw new DatabaseUnavailable(`the embedded PostgreSQL did not start: ${(error as Error).message}`);
  }
}

async function checkServer(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const r = await client.query<{ v: string }>("SHOW server_version_num");
    const version = Number(r.rows[0].v);
    if (version < 150000) {
      throw new DatabaseUnavailable(`PostgreSQL ${Math.floor(version / 10000)} is too old: Switchyard needs PostgreSQL 15 or newer (DATABASE_URL)`);
    }
  } catch (error) {
    if (error instanceof DatabaseUnavailable) throw error;
    throw new DatabaseUnavailable(describeDatabaseError(error, url));
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * After migrations, give the app role its privileges — idempotent, and needed when the role was
 * created after the migration that grants them had already run.
 */
export async function grantAppRoleAfterMigrations(db: Database, role = APP_ROLE): Promise<void> {
  if (db.appUrl === db.url) return;
  const client = new pg.Client({ connectionString: db.url });
  client.on("error", () => {});
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
    if (exists.rowCount) await grantAppRole(client, role);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * The URL the demo fleet's runs connect with: the demo role (roles.ts), which owns the `demo`
 * schema and can read nothing else. Where roles cannot be created (an external server whose owner
 * lacks CREATEROLE) the runs keep the owner's URL, and the log says so.
 */
export async function demoRunDatabaseUrl(db: Database, home: string, logger: Logger): Promise<string> {
  const password = readOrCreatePassword(home, "postgres.demo-password");
  const client = new pg.Client({ connectionString: db.url });
  client.on("error", () => {});
  try {
    await client.connect();
    await ensureDemoRole(client, password);
    return urlAs(db.url, DEMO_ROLE, password);
  } catch (error) {
    logger.warn(`could not set up the ${DEMO_ROLE} role (${(error as Error).message}): the demo fleet's runs connect as the database owner`);
    return db.url;
  } finally {
    await client.end().catch(() => {});
  }
}
