import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { metricValue } from "@/lib/scheduler/testing/metrics";
import { freePort } from "@/lib/testing/free-port";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type Daemon = { url: string; pid: number; /** From spawn to `probe` answering. */ seconds: number; kill(): Promise<void>; stop(): Promise<void> };

/**
 * Our scheduler daemon (lib/scheduler/daemon.ts) on `databaseUrl` and a free port, as a child
 * process; returns once `probe` answers: HEAD / with 204 (the active one), or /healthz/ready at
 * all (a standby's 503). BENCH_PROFILE_DIR: it writes its CPU profile there when it exits (not
 * after a SIGKILL); BENCH_NODE_FLAGS: more node flags (e.g. --trace-gc, --max-semi-space-size=64).
 */
export async function startDaemon(databaseUrl: string, probe: "/" | "/healthz/ready", opts: { advertise?: boolean } = {}): Promise<Daemon> {
  const port = await freePort();
  // advertise: a standby forwards to this process while it is active (lib/scheduler/http/forward.ts)
  const advertise = opts.advertise ? { SWITCHYARD_SCHEDULER_ADVERTISE_URL: `http://127.0.0.1:${port}` } : {};
  const flags = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  flags.push(...(process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean));
  const child = spawn(process.execPath, [...flags, "--import", "tsx", path.join(root, "lib/scheduler/daemon.ts"), "--port", String(port)], { cwd: root, env: { ...process.env, ...advertise, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" }, stdio: "inherit" });
  const exited = new Promise((r) => child.once("exit", r));
  // If the bench fails (a client dies), the daemon must not outlive it holding the terminal.
  process.once("exit", () => child.kill("SIGKILL"));
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // every 20 ms: restore.ts times the start with it; five minutes at most
  for (let i = 0; i < 15_000 && child.exitCode === null; i++) {
    const up = probe === "/" ? fetch(url + "/", { method: "HEAD" }).then((r) => r.status === 204) : fetch(url + probe).then((r) => r.status === 503 || r.ok);
    if (await up.catch(() => false)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    url,
    pid: child.pid!,
    seconds,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** One series of a scheduler's /metrics (NaN if it is not there). */
export async function readMetric(d: { url: string }, series: string): Promise<number> {
  return metricValue(await fetch(d.url + "/metrics").then((r) => r.text()), series);
}

export type OwnScheduler = Daemon & { databaseUrl: string; /** The embedded PostgreSQL's postmaster (null with DATABASE_URL). */ postmaster: number | null };

/**
 * Our scheduler as the benches measure it: on DATABASE_URL (already migrated) or on a fresh
 * embedded PostgreSQL whose WAL is warmed as a long-running database's (warm-wal.ts); stop()
 * stops both.
 */
export async function startOwnScheduler(): Promise<OwnScheduler> {
  let databaseUrl = process.env.DATABASE_URL;
  let postmaster: number | null = null;
  let stopDb = async () => {};
  if (!databaseUrl) {
    const { scratchPostgres } = await import("./scratch-db");
    const db = await scratchPostgres("sched-bench-");
    postmaster = db.postmaster;
    const { warmWal } = await import("./warm-wal");
    const warmed = await warmWal(db.url);
    console.log(`embedded PostgreSQL: WAL warmed as a long-running database's (${warmed.segments} segments, recycled at checkpoints)`);
    const admin = new pg.Client(db.url);
    await admin.connect();
    await admin.query("CREATE DATABASE bench");
    await admin.end();
    const u = new URL(db.url);
    u.pathname = "/bench";
    databaseUrl = u.toString();
    const { applyMigrations } = await import("@/lib/db/migrate");
    await applyMigrations(databaseUrl);
    stopDb = () => db.stop();
  }
  const first = await startDaemon(databaseUrl, "/");
  return { ...first, databaseUrl, postmaster, async stop() { await first.stop(); await stopDb(); } }; // prettier-ignore
}
