import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT_CLUSTERS, startEmbeddedPostgres } from "@/lib/db/embedded";
import type { Logger } from "@/lib/log/logger";
import { freePort } from "@/lib/testing/free-port";

// The embedded PostgreSQL under `switchyard start`: killed with SIGKILL it comes back by itself, and
// as root in a home the postgres user cannot enter (a clone in /root) it still starts, elsewhere.

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) fs.rmSync(h, { recursive: true, force: true });
});

function recordingLogger(lines: string[]): Logger {
  const log = (level: string) => (msg: string) => void lines.push(`${level} ${msg}`);
  const logger = { debug: log("DEBUG"), info: log("INFO"), warn: log("WARN"), error: log("ERROR"), child: () => logger } as unknown as Logger;
  return logger;
}

async function select1(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

describe("embedded PostgreSQL recovery", () => {
  it("is started again after kill -9 of its postmaster, keeping the data", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-pg-restart-"));
    fs.chmodSync(home, 0o755);
    homes.push(home);
    const lines: string[] = [];
    const db = await startEmbeddedPostgres({ home, port: await freePort(), logger: recordingLogger(lines), restart: true });
    try {
      const client = new pg.Client(db.url);
      await client.connect();
      await client.query("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
      await client.end();
      const pid = Number(fs.readFileSync(path.join(db.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      process.kill(pid, "SIGKILL");
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 300));
      while (!(await select1(db.url)) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 200));
      const back = new pg.Client(db.url);
      await back.connect();
      expect((await back.query("SELECT v FROM kept")).rows).toEqual([{ v: 42 }]);
      await back.end();
      expect(Date.now() - t0).toBeLessThan(30_000);
      expect(lines.some((l) => l.startsWith("ERROR the embedded PostgreSQL exited unexpectedly"))).toBe(true);
      expect(lines.some((l) => l.startsWith("INFO embedded PostgreSQL is running again"))).toBe(true);
    } finally {
      await db.stop();
    }
  }, 60_000);

  it.skipIf(process.getuid?.() !== 0)("as root, keeps the cluster where the postgres user can enter when the home is in a 0700 folder", async () => {
    const privateDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-root-home-"));
    fs.chmodSync(privateDir, 0o700);
    homes.push(privateDir);
    const home = path.join(privateDir, "switchyard", ".switchyard");
    const lines: string[] = [];
    const db = await startEmbeddedPostgres({ home, port: await freePort(), logger: recordingLogger(lines) });
    try {
      homes.push(path.dirname(db.dataDir));
      expect(db.dataDir.startsWith(ROOT_CLUSTERS)).toBe(true);
      expect(await select1(db.url)).toBe(true);
      expect(lines.filter((l) => l.includes("cannot enter"))).toEqual([expect.stringMatching(/^INFO the postgres user cannot enter .*switchyard-root-home-/)]);
    } finally {
      await db.stop();
    }
  }, 60_000);
});
