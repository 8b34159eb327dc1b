import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { createLogger } from "@/lib/log/logger";
import { freePort } from "@/lib/testing/free-port";

/**
 * An embedded PostgreSQL in a fresh temporary folder, for one bench run. If the run dies before
 * stop() (a failed migration, a client that crashed), the server is told to shut down as this
 * process exits, instead of being left running for the next bench to share the machine with.
 */
export async function scratchPostgres(prefix: string): Promise<{ url: string; dataDir: string; postmaster: number; stop(): Promise<void> }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(home, 0o755);
  const db = await startEmbeddedPostgres({ home, port: await freePort(), logger: createLogger("bench-db", "warn"), database: "postgres" });
  const postmaster = Number(fs.readFileSync(path.join(db.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  const orphanGuard = () => {
    try {
      process.kill(postmaster, "SIGINT"); // PostgreSQL's fast shutdown
    } catch {
      // already gone
    }
  };
  process.once("exit", orphanGuard);
  return {
    url: db.url,
    dataDir: db.dataDir,
    postmaster,
    async stop() {
      process.off("exit", orphanGuard);
      await db.stop();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
