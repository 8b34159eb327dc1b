import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { parseArgs } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { grantAppRoleAfterMigrations, openDatabase } from "@/lib/cli/database";
import { CliError } from "@/lib/cli/errors";
import { loadConfig, type Config } from "@/lib/config/env";
import { applyMigrations } from "@/lib/db/migrate";
import { APP_ROLE, ensureAppRole, grantAppRole, urlAs } from "@/lib/db/roles";
import { createLogger, type Logger } from "@/lib/log/logger";

// Migrations run as the owner (DATABASE_URL). With --create-roles on an external server, the
// least-privilege app role is created (or its password reset) and granted its privileges; its
// password is kept in SWITCHYARD_HOME/postgres.app-password (0600) for APP_DATABASE_URL.
// The embedded database sets its roles up on its own.

export const migrate: Command = {
  name: "migrate",
  summary: "Apply the database migrations in prisma/migrations (to DATABASE_URL, or the embedded database); --create-roles also creates the app role.",
  usage: "switchyard migrate [--create-roles]",
  flags: {
    "create-roles": { type: "boolean", help: `create the ${APP_ROLE} role the web, runner and scheduler use (DATABASE_URL must be able to create roles)` },
  },
  async run(argv) {
    const { flags } = parseArgs(argv, this.flags);
    const config = loadConfig();
    const logger = createLogger("migrate", config.logLevel);
    const db = await openDatabase(config, logger);
    try {
      const { output } = await applyMigrations(db.url);
      if (flags["create-roles"] && !db.embedded) await createRoles(db.url, config, logger);
      else await grantAppRoleAfterMigrations(db);
      const applied = output.includes("No pending migrations") ? "the database is up to date" : "migrations applied";
      logger.info(applied);
      return 0;
    } finally {
      await db.stop();
    }
  },
};

async function createRoles(ownerUrl: string, config: Config, logger: Logger) {
  const file = path.join(config.home, "postgres.app-password");
  fs.mkdirSync(config.home, { recursive: true });
  const password = process.env.SWITCHYARD_APP_PASSWORD?.trim() || (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : randomBytes(18).toString("base64url"));
  const client = new pg.Client({ connectionString: ownerUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    await ensureAppRole(client, password);
    await grantAppRole(client);
  } catch (error) {
    throw new CliError(`could not create the ${APP_ROLE} role: ${(error as Error).message} (the DATABASE_URL role needs CREATEROLE)`);
  } finally {
    await client.end().catch(() => {});
  }
  fs.writeFileSync(file, password + "\n", { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  const hidden = urlAs(ownerUrl, APP_ROLE, "PASSWORD");
  logger.info(`role ${APP_ROLE} is ready; its password is in ${file}. Give the web, runner and scheduler DATABASE_URL=${hidden} with that password (for switchyard start: APP_DATABASE_URL)`);
}
