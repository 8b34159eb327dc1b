import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDashboardBuild } from "@/lib/testing/build";
import { freePort } from "@/lib/testing/free-port";
import { runSwitchyard, type Proc } from "@/lib/testing/processes";
import { waitFor } from "@/lib/testing/wait-for";

// Recovery from any crash under `switchyard start` (issue 10, point 6): with runs in flight,
// kill -9 the embedded PostgreSQL, the scheduler, the runner and the web in turn. Each time,
// health must be ok again within 30 s; in the end every run reaches a final state, and the log
// holds a handful of ERROR lines (one per crash), not a storm.

const home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-recovery-"));
fs.chmodSync(home, 0o755);
let start: Proc;
let owner: pg.Pool;
let base: string;

beforeAll(async () => {
  await ensureDashboardBuild();
  const [port, schedulerPort, pgPort] = [await freePort(), await freePort(), await freePort()];
  base = `http://127.0.0.1:${port}`;
  // One service, caught up over the last 7 days by the runner's first pass: runs of 10 s each, two
  // at a time, so a run is in flight at every kill. Given to start, so it is synced before that pass.
  const file = path.join(home, "services.json");
  fs.writeFileSync(file, JSON.stringify({ services: [{ name: "steady", timeZone: "UTC", dailyTime: "00:00", dailyCommand: "sh -c 'sleep 10'" }] }));
  start = runSwitchyard(["start", "--services", file], {
    PORT: String(port), SCHEDULER_PORT: String(schedulerPort), SWITCHYARD_PG_PORT: String(pgPort), SWITCHYARD_HOME: home,
    DATABASE_URL: "", APP_DATABASE_URL: "", LOG_LEVEL: "info",
  });
  await waitFor("switchyard start", async () => start.output().includes("Switchyard is ready") || (start.child.exitCode !== null && Promise.reject(new Error(start.output()))), 120_000);
  const password = fs.readFileSync(path.join(home, "postgres.password"), "utf8").trim();
  owner = new pg.Pool({ connectionString: `postgresql://switchyard:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/switchyard`, max: 2 });
  owner.on("error", () => {});
}, 180_000);

afterAll(async () => {
  await owner?.end().catch(() => {});
  await start?.stop();
  if (process.env.RECOVERY_LOG) fs.writeFileSync(process.env.RECOVERY_LOG, start?.output() ?? ""); // to read what happened
  fs.rmSync(home, { recursive: true, force: true });
});

async function health(): Promise<string> {
  try {
    const res = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(3000) });
    return ((await res.json()) as { status: string }).status;
  } catch {
    return "no answer";
  }
}

/** The pid of a part: the postmaster from its pid file, or the supervisor's child running `switchyard <part>`. */
function pidOf(part: string): number {
  if (part === "postgres") return Number(fs.readFileSync(path.join(home, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const argv = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (ppid === start.child.pid && argv[2] === part) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error(`no ${part} process under switchyard start`);
}

const runCounts = async () =>
  (await owner.query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM runs GROUP BY status")).rows;

describe("switchyard start recovers from kill -9 of any part", () => {
  it.each(["postgres", "scheduler", "runner", "web"])("%s: health is ok again within 30 s", async (part) => {
    await waitFor("health ok before the kill", async () => (await health()) === "ok", 30_000);
    await waitFor("a run in flight", async () => (await runCounts().catch(() => [])).some((r) => r.status === "running"), 30_000);
    const killedAt = Date.now();
    process.kill(pidOf(part), "SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    await waitFor(`health ok after killing ${part}`, async () => (await health()) === "ok", 30_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
  }, 70_000);

  it("every run reaches a final state, and the log has no ERROR storm", async () => {
    await waitFor("every run final", async () => {
      const counts = await runCounts().catch(() => null);
      return counts !== null && counts.length > 0 && counts.every((r) => ["done", "failed", "cancelled", "lost"].includes(r.status));
    }, 60_000);
    const counts = Object.fromEntries((await runCounts()).map((r) => [r.status, r.n]));
    expect(counts.done).toBeGreaterThan(0);
    const errors = start.output().split("\n").filter((l) => / ERROR /.test(l));
    expect(errors.length, errors.join("\n")).toBeLessThanOrEqual(8);
    expect(start.output()).not.toMatch(/^\s+at .*\(/m); // no stack traces
    expect(start.output()).not.toMatch(/\\n\s+at /); // nor one folded into a log line's error=""
  }, 70_000);

  it("a Ctrl-C stops the runner and the web first, the scheduler after them, the database last", async () => {
    const from = start.output().length;
    expect(await start.stop("SIGINT")).toBe(0);
    const log = start.output().slice(from);
    const at = (pattern: RegExp) => log.search(pattern);
    expect(at(/\[runner\] runner \S+ stopped/), log).toBeGreaterThan(-1);
    expect(at(/\[runner\] runner \S+ stopped/), log).toBeLessThan(at(/\[scheduler\] SIGINT|\[scheduler\] SIGTERM/));
    expect(at(/\[scheduler\] SIGTERM/), log).toBeLessThan(at(/\[start\] stopped/));
    expect(log).not.toMatch(/could not tell the scheduler/);
  }, 40_000);
});
