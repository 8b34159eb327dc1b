import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { groupAlive } from "@/lib/runner/host/proc-stats";
import { createLocalLauncher } from "@/lib/runner/launchers/local/local-launcher";
import { RotatingLog } from "@/lib/runner/launchers/local/rotating-log";
import type { LaunchSpec } from "@/lib/runner/launchers/types";
import { removeTempDirs, tempDir } from "@/lib/runner/testing/runner-harness";

// The local launcher with real processes: the service's environment, output captured to the
// log, the run's own process group (a grandchild is stopped too), and the size cap on logs.

const dir = tempDir("local-launcher-");
afterAll(removeTempDirs);
const spec = (argv: string[], over: Partial<LaunchSpec> = {}): LaunchSpec => ({
  runId: 1, attempt: 1, service: "s", kind: "daily", period: "2026-01-01", argv, env: {}, labels: {}, logPath: path.join(dir, `${Math.random()}.log`), timeoutSeconds: 60, ...over,
});

describe("local launcher", () => {
  it("runs the command with the service's environment and captures stdout and stderr", async () => {
    const launcher = createLocalLauncher({ cwd: dir, baseEnv: { PATH: process.env.PATH } });
    const s = spec(["sh", "-c", 'echo "out $GREETING"; echo err >&2; exit 3'], { env: { GREETING: "hello" } });
    const proc = await launcher.launch(s);
    expect(await proc.finished).toEqual({ exitCode: 3, signal: null });
    const log = fs.readFileSync(s.logPath, "utf8");
    expect(log).toContain("out hello\n");
    expect(log).toContain("err\n");
    expect(log).toMatch(/ended: exit code 3/);
    expect(proc.usage().cpuSeconds).not.toBeNull();
  });

  it("gives the run an allowlisted environment: never the runner's secrets unless the service names them", async () => {
    const base = { PATH: process.env.PATH, HOME: "/home/x", LC_ALL: "C", DATABASE_URL: "postgresql://secret", BETTER_AUTH_SECRET: "s3cret", RUNNER_TOKEN: "t" };
    const launcher = createLocalLauncher({ cwd: dir, baseEnv: base });
    const s = spec(["sh", "-c", "env"], { env: { SWITCHYARD_RUN_ID: "1", RUNNER_TOKEN: "named-by-service" } });
    const proc = await launcher.launch(s);
    await proc.finished;
    const log = fs.readFileSync(s.logPath, "utf8");
    expect(log).toContain("HOME=/home/x\n");
    expect(log).toContain("LC_ALL=C\n");
    expect(log).toContain("SWITCHYARD_RUN_ID=1\n");
    expect(log).toContain("RUNNER_TOKEN=named-by-service\n");
    expect(log).not.toContain("DATABASE_URL");
    expect(log).not.toContain("BETTER_AUTH_SECRET");
  });

  it("gives runs DATABASE_URL only when the operator chose one for them (SWITCHYARD_RUN_DATABASE_URL)", async () => {
    const launcher = createLocalLauncher({ cwd: dir, baseEnv: { PATH: process.env.PATH, DATABASE_URL: "postgresql://app", SWITCHYARD_RUN_DATABASE_URL: "postgresql://warehouse" } });
    const s = spec(["sh", "-c", "env"]);
    await (await launcher.launch(s)).finished;
    const log = fs.readFileSync(s.logPath, "utf8");
    expect(log).toContain("DATABASE_URL=postgresql://warehouse\n");
    expect(log).not.toContain("postgresql://app");
  });

  it("writes the command at the top of the log with the scheduler URL's password hidden", async () => {
    const launcher = createLocalLauncher({ cwd: dir, baseEnv: { PATH: process.env.PATH } });
    const s = spec(["sh", "-c", "true", "--scheduler-url", "http://luigi:s3cret@127.0.0.1:8082"]);
    await (await launcher.launch(s)).finished;
    const log = fs.readFileSync(s.logPath, "utf8");
    expect(log).toContain("--scheduler-url http://luigi:***@127.0.0.1:8082");
    expect(log).not.toContain("s3cret");
  });

  it("stop sends SIGTERM to the whole process group, then SIGKILL to what ignores it", async () => {
    const launcher = createLocalLauncher({ cwd: dir });
    // a command that ignores SIGTERM, with a child of its own
    const proc = await launcher.launch(spec(["sh", "-c", "trap '' TERM; sleep 30 & sleep 30"]));
    await new Promise((r) => setTimeout(r, 300));
    expect(groupAlive(proc.pid!)).toBe(true);
    const t = Date.now();
    await proc.stop(500);
    expect(Date.now() - t).toBeGreaterThanOrEqual(450);
    expect(groupAlive(proc.pid!)).toBe(false);
    const exit = await proc.finished;
    expect(exit.signal === "SIGKILL" || exit.exitCode === 137).toBe(true);
  });

  it("reports a command that cannot start", async () => {
    const launcher = createLocalLauncher({ cwd: dir });
    const proc = await launcher.launch(spec(["/no/such/binary"]));
    expect((await proc.finished).exitCode).toBe(127);
  });
});

describe("rotating log", () => {
  it("keeps at most (keep + 1) files of maxBytes, the newest output in the current file", () => {
    const file = path.join(dir, "rot.log");
    const log = new RotatingLog(file, { maxBytes: 100, keep: 2 });
    for (let i = 0; i < 50; i++) log.write(`line ${String(i).padStart(3, "0")}\n`);
    log.close();
    expect(fs.existsSync(`${file}.1`) && fs.existsSync(`${file}.2`) && !fs.existsSync(`${file}.3`)).toBe(true);
    for (const f of [file, `${file}.1`, `${file}.2`]) expect(fs.statSync(f).size).toBeLessThanOrEqual(100);
    expect(fs.readFileSync(file, "utf8")).toContain("line 049");
  });
});
