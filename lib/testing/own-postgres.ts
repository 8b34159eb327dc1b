import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded";
import { applyMigrations } from "@/lib/db/migrate";
import { createLogger } from "@/lib/log/logger";
import { freePort } from "@/lib/testing/free-port";

// An embedded PostgreSQL of one test file's own, migrated, for the tests that stop and start the
// database under the parts (the shared test cluster must stay up for every other file).

export type OwnPostgres = {
  /** the running server (a new object after each start()) */
  readonly server: EmbeddedPostgres;
  readonly port: number;
  /** stops the server; the data stays for start() */
  stop(): Promise<void>;
  /** starts it again on the same data and port */
  start(): Promise<void>;
  /** stops it and deletes its folder */
  remove(): Promise<void>;
};

export async function ownPostgres(prefix: string): Promise<OwnPostgres> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), `switchyard-${prefix}-`));
  fs.chmodSync(home, 0o755); // the postgres user runs the server when the tests run as root
  const port = await freePort();
  const start = () => startEmbeddedPostgres({ home, port, logger: createLogger("test", "warn") });
  let server = await start();
  await applyMigrations(server.url);
  return {
    get server() {
      return server;
    },
    port,
    stop: () => server.stop(),
    async start() {
      server = await start();
    },
    async remove() {
      await server.stop().catch(() => {}); // already stopped by a test that failed halfway
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
