import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "@/lib/paths";
import { afterAll, beforeAll } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { freePort } from "@/lib/testing/free-port";

// The scheduler daemon as a real child process (`node --import tsx lib/scheduler/daemon.ts`),
// stopped only through its own pid.

export type Daemon = { child: ChildProcess; url: string; output(): string; exited: Promise<number | null>; kill(signal: NodeJS.Signals): Promise<number | null> };

/** `standby: true` returns once the process listens (a standby answers 503), not once it serves. */
export async function startDaemon(opts: { databaseUrl?: string; config?: string; port?: number; standby?: boolean; env?: Record<string, string> }): Promise<Daemon> {
  const port = opts.port ?? (await freePort());
  const args = ["--import", "tsx", path.join(repoRoot, "lib/scheduler/daemon.ts"), "--port", String(port)];
  if (opts.config) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sched-cfg-")), "luigi.cfg");
    fs.writeFileSync(file, opts.config);
    args.push("--config", file);
  }
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, DATABASE_URL: opts.databaseUrl ?? "", LOG_LEVEL: "warn", ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`scheduler exited (${child.exitCode}) before answering:\n${output}`);
    const ok = await fetch(url + (opts.standby ? "/healthz/ready" : "/"), { method: opts.standby ? "GET" : "HEAD", signal: AbortSignal.timeout(1000) }).then((r) => (opts.standby ? r.status === 503 || r.ok : r.status === 204)).catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`scheduler did not answer within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    url,
    output: () => output,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * Scheduler processes on one test database, for a describe block: the database is made before its
 * tests and every process SIGKILLed and the database dropped after them. `advertise`: each process
 * advertises its own address, for a standby to forward to (http/forward.ts).
 */
export function schedulerProcesses(opts: { advertise?: boolean } = {}) {
  let db: TestDatabase;
  const daemons: Daemon[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const d of daemons) await d.kill("SIGKILL");
    await db?.drop();
  });
  return {
    get db(): TestDatabase {
      return db;
    },
    /** `config`: more of the config file (luigi.cfg-style). */
    async start(standby: boolean, config = ""): Promise<Daemon> {
      const port = await freePort();
      const advertise = opts.advertise ? `[switchyard]\nadvertise_url = http://127.0.0.1:${port}\n` : "";
      const d = await startDaemon({ databaseUrl: db.url, port, standby, config: advertise + config || undefined });
      daemons.push(d);
      return d;
    },
  };
}
