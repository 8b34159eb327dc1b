import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { createLogger } from "@/lib/log/logger";
import { repoRoot } from "@/lib/paths";
import { freePort } from "@/lib/testing/free-port";

// A second command (`switchyard migrate`, `switchyard user add`) run while `switchyard start` holds
// the embedded database must attach to it, not stop it; once the holder is killed with SIGKILL,
// the next start must stop the orphaned server and start its own.

const home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-embedded-"));
fs.chmodSync(home, 0o755);
const logger = createLogger("test", "warn");
let holder: ChildProcess | undefined;

afterAll(async () => {
  holder?.kill("SIGKILL");
  fs.rmSync(home, { recursive: true, force: true });
});

/**
 * Another process that starts the embedded database, prints its URL and holds it until killed.
 * On SIGUSR2 it shuts down as `switchyard start` does: says it is stopping, takes a while to stop
 * its parts (1.5 s here), then stops the database and exits.
 */
function startHolder(port: number): Promise<{ child: ChildProcess; url: string }> {
  const script = `
    const { startEmbeddedPostgres } = await import(${JSON.stringify(path.join(repoRoot, "lib/db/embedded.ts"))});
    const logger = { debug() {}, info() {}, warn() {}, error() {}, child() { return logger; } };
    const db = await startEmbeddedPostgres({ home: ${JSON.stringify(home)}, port: ${port}, logger });
    process.once("SIGUSR2", async () => {
      db.letGo();
      console.log("stopping");
      await new Promise((r) => setTimeout(r, 1500));
      await db.stop();
      process.exit(0);
    });
    console.log(db.url);
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", (d: Buffer) => resolve({ child, url: d.toString().trim() }));
    child.once("exit", (code) => reject(new Error(`holder exited with ${code}`)));
  });
}

async function queryOne(url: string): Promise<number> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0].pid;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL shared between processes", () => {
  it("attaches to a server another live process holds, and recovers it once that process is killed", async () => {
    const port = await freePort();
    const started = await startHolder(port);
    holder = started.child;

    const attached = await startEmbeddedPostgres({ home, port: await freePort(), logger });
    expect(attached.port).toBe(port);
    await attached.stop(); // must leave the holder's server running
    expect(await queryOne(started.url)).toBeGreaterThan(0);

    holder.kill("SIGKILL");
    await new Promise((r) => holder!.once("exit", r));
    holder = undefined;
    const ownPort = await freePort();
    const own = await startEmbeddedPostgres({ home, port: ownPort, logger });
    try {
      expect(own.port).toBe(ownPort);
      expect(await queryOne(own.url)).toBeGreaterThan(0);
      await expect(queryOne(started.url)).rejects.toThrow(); // the orphan was stopped
    } finally {
      await own.stop();
    }
  }, 120_000);

  it("a command started while the holder is stopping waits for it, then starts the server itself (Ctrl-C, then start again at once)", async () => {
    const port = await freePort();
    const started = await startHolder(port);
    holder = started.child;
    const exited = new Promise((r) => holder!.once("exit", r));
    const stopping = new Promise((r) => holder!.stdout!.on("data", (d: Buffer) => d.toString().includes("stopping") && r(null)));
    holder.kill("SIGUSR2");
    await stopping;
    expect(await queryOne(started.url)).toBeGreaterThan(0); // still up: the holder is stopping its parts

    const ownPort = await freePort();
    const own = await startEmbeddedPostgres({ home, port: ownPort, logger });
    try {
      await exited;
      holder = undefined;
      expect(own.port).toBe(ownPort);
      expect(await queryOne(own.url)).toBeGreaterThan(0); // its own server, alive after the holder is gone
    } finally {
      await own.stop();
    }
  }, 120_000);
});
