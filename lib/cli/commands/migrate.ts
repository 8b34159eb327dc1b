import { parseArgs } from "@/lib/cli/args";
import type { Command } from "@/lib/cli/command";
import { openDatabase } from "@/lib/cli/database";
import { loadConfig } from "@/lib/config/env";
import { applyMigrations } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log/logger";

export const migrate: Command = {
  name: "migrate",
  summary: "Apply the database migrations in prisma/migrations (to DATABASE_URL, or the embedded database).",
  usage: "switchyard migrate",
  flags: {},
  async run(argv) {
    parseArgs(argv, this.flags);
    const config = loadConfig();
    const logger = createLogger("migrate", config.logLevel);
    const db = await openDatabase(config, logger);
    try {
      const { output } = await applyMigrations(db.url);
      const applied = output.includes("No pending migrations") ? "the database is up to date" : "migrations applied";
      logger.info(applied);
      return 0;
    } finally {
      await db.stop();
    }
  },
};
