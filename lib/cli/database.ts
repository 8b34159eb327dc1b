import pg from "pg";
import { CliError } from "@/lib/cli/errors";
import type { Config } from "@/lib/config/env";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded";
import { describeDatabaseError } from "@/lib/db/errors";
import type { Logger } from "@/lib/log/logger";

// The database every command starts from: the server in DATABASE_URL, checked once with a
// short timeout so a wrong URL fails in seconds with one clear line; or the embedded one.

export type Database = { url: string; embedded: EmbeddedPostgres | undefined; stop(): Promise<void> };

export class DatabaseUnavailable extends CliError {}

/** restart: keep the embedded server running (start it again if it dies) — for `switchyard start`. */
export async function openDatabase(config: Config, logger: Logger, opts: { restart?: boolean } = {}): Promise<Database> {
  if (config.databaseUrl) {
    await checkServer(config.databaseUrl);
    return { url: config.databaseUrl, embedded: undefined, stop: async () => {} };
  }
  try {
    const embedded = await startEmbeddedPostgres({ home: config.home, port: config.embeddedPostgresPort, logger, restart: opts.restart });
    return { url: embedded.url, embedded, stop: () => embedded.stop() };
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
