import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded";
import { createLogger } from "@/lib/log/logger";
import { freePort } from "@/lib/testing/free-port";
import { waitFor } from "@/lib/testing/wait-for";

// Start anywhere, and come back: as root with SWITCHYARD_HOME under a folder the postgres user
// cannot enter (root's home, mode 0700), the cluster is kept outside it and said so in one line;
// a kill -9 of the server is followed by a restart, and the app role works again (issue 10).

const isRoot = process.getuid?.() === 0;
const parent = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-root-home-"));
fs.chmodSync(parent, 0o700); // like /root
const home = path.join(parent, "switchyard", ".switchyard");
const outside = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-var-lib-"));
fs.chmodSync(outside, 0o755);
process.env.SWITCHYARD_PG_OUTSIDE_ROOT = outside;
const lines: string[] = [];
const logger = createLogger("test", "info", (_level, line) => lines.push(line));
let db: EmbeddedPostgres | undefined;

afterAll(async () => {
  await db?.stop();
  fs.rmSync(parent, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

async function count(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.query<{ n: number }>("SELECT 1 AS n")).rows[0].n;
  } finally {
    await client.end().catch(() => {});
  }
}

describe.skipIf(!isRoot)("embedded PostgreSQL as root in a closed home", () => {
  it("keeps the cluster where the postgres user can enter it, and says so once", async () => {
    db = await startEmbeddedPostgres({ home, port: await freePort(), logger });
    expect(db.dataDir.startsWith(outside)).toBe(true);
    expect(lines.filter((l) => l.includes("cannot enter"))).toHaveLength(1);
    expect(fs.statSync(path.join(home, "postgres.app-password")).mode & 0o777).toBe(0o600);
    expect(await count(db.appUrl)).toBe(1);
  });

  it("restarts the server after kill -9, and the app role connects again", async () => {
    const pid = Number(fs.readFileSync(path.join(db!.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    lines.length = 0;
    const killedAt = Date.now();
    process.kill(pid, "SIGKILL");
    await waitFor("the restarted server", async () => lines.some((l) => l.includes("running again")) && (await count(db!.appUrl).catch(() => 0)) === 1, 30_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(lines.filter((l) => l.includes("exited unexpectedly"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("running again"))).toHaveLength(1);
  }, 40_000);
});
