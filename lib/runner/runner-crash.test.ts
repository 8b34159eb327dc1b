import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueRuns } from "@/lib/db/runs/enqueue-runs";
import { groupAlive } from "@/lib/runner/host/proc-stats";
import { signCall } from "@/lib/luigi-rpc/call-signature";
import { LOG_READ_HEADER, LOG_SIZE_HEADER, logReadKey } from "@/lib/runner/log-read-mark";
import type { Runner } from "@/lib/runner/runner";
import { runStatus, removeTempDirs, tempDir, testRunner, TINY_COMMAND, waitFor } from "@/lib/runner/testing/runner-harness";
import { defaultSchedulerConfig, startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { rpc } from "@/lib/scheduler/testing/rpc-client";
import { freePort } from "@/lib/testing/free-port";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { runSwitchyard, type Proc } from "@/lib/testing/processes";

// The runner daemon as a real process (`switchyard runner`). Killed with SIGKILL mid-run: its
// run's processes die with it (the lifeline), another runner marks the run lost within a bounded
// time and runs the retry. Stopped with SIGTERM: it puts its run back in the queue, exits 0 and
// leaves no process behind. A lost run's workers are released in the scheduler at once.

let db: TestDatabase;
let survivor: Runner | undefined;
const dir = tempDir("runner-crash-");
const servicesFile = path.join(dir, "services.json");
const gate = path.join(dir, "hold-the-work");
let scheduler: SchedulerServer;

beforeAll(async () => {
  db = await createTestDatabase();
  scheduler = await startSchedulerServer({ host: "127.0.0.1", port: await freePort(), config: defaultSchedulerConfig() });
  // long-haul: the first attempt sleeps a minute; the retry (attempt 2) ends at once.
  // held-task: a real worker whose task stays RUNNING in the scheduler while `gate` exists.
  fs.writeFileSync(
    servicesFile,
    JSON.stringify({
      services: [
        { name: "long-haul", dailyCommand: "sh -c 'test {attempt} -gt 1 || sleep 60'", retry: { attempts: 1, backoffSeconds: 0 } },
        { name: "held-task", dailyCommand: TINY_COMMAND, environment: { TINY_SLEEP_WHILE: gate, TINY_DIR: path.join(dir, "out") } },
      ],
    }),
  );
});

afterAll(async () => {
  await survivor?.stop();
  await scheduler?.close();
  await db?.drop();
  removeTempDirs();
});

function startDaemon(): Proc {
  return runSwitchyard(["runner", "--services", servicesFile, "--no-trigger", "--max-running", "2", "--scheduler-url", scheduler.url], {
    DATABASE_URL: db.url,
    SWITCHYARD_LOG_DIR: path.join(dir, "logs"), // where the dashboard reads logs: the runner writes there too
    LOG_LEVEL: "warn",
    SWITCHYARD_PARENT_PID: "",
    SWITCHYARD_HOST_NAME: "node-7", // as deploy/kubernetes sets it: the node, not the pod
  });
}

async function queueOne(name = "long-haul", day = "2026-11-01"): Promise<number> {
  // The daemon syncs the services file as it starts.
  const service = await waitFor("the services file to be synced", async () => (await db.pool.query("SELECT id FROM services WHERE name = $1", [name])).rows[0]?.id as number | undefined, 30_000);
  const [{ run }] = await enqueueRuns(db.pool, [
    { serviceId: service, kind: "daily", periodStart: new Date(`${day}T00:00:00Z`), periodDate: day, periodHour: null, trigger: "manual", queuePriority: 0, force: false, fromTask: null, requestKey: null, requestedBy: "test", reason: null },
  ]);
  return run.id;
}

const runningPid = (id: number) => async () => (await db.pool.query("SELECT pid FROM runs WHERE id = $1 AND status = 'running' AND pid IS NOT NULL", [id])).rows[0]?.pid as number | undefined;

describe("runner daemon", () => {
  it("answers --help", async () => {
    const help = runSwitchyard(["runner", "--help"]);
    expect(await help.exited).toBe(0);
    expect(help.output()).toMatch(/--catch-up-days/);
    const bad = runSwitchyard(["runner", "--max-running", "lots"], { DATABASE_URL: db.url });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toMatch(/--max-running/);
    // where the web servers would read its logs, with no port to serve them on
    const noPort = runSwitchyard(["runner"], { DATABASE_URL: db.url, SWITCHYARD_RUNNER_URL: "http://10.0.3.17:9090" });
    expect(await noPort.exited).toBe(2);
    expect(noPort.output()).toMatch(/SWITCHYARD_RUNNER_URL \(http:\/\/10\.0\.3\.17:9090\) is where the web servers read this runner's logs: it needs --health-port/);
  }, 30_000);

  it("refuses a bad services file with the field named", async () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ services: [{ name: "x", dailyCommand: "true", timeZone: "Mars/Olympus" }] }));
    const proc = runSwitchyard(["runner", "--services", bad], { DATABASE_URL: db.url });
    expect(await proc.exited).toBe(2);
    expect(proc.output()).toMatch(/services\[0\]\.timeZone: expected an IANA time zone/);
  }, 30_000);

  it("after kill -9 mid-run: the run's processes are gone, the run is marked lost in bounded time, and retried", async () => {
    const daemon = startDaemon();
    const id = await queueOne();
    const pid = await waitFor("the run to start", runningPid(id), 30_000);
    expect(groupAlive(pid)).toBe(true);
    expect((await db.pool.query("SELECT r.host, h.name FROM runs r JOIN runners x ON x.id = r.runner_id JOIN hosts h ON h.id = x.host_id WHERE r.id = $1", [id])).rows).toEqual([{ host: "node-7", name: "node-7" }]);
    expect((await db.pool.query("SELECT log_path FROM runs WHERE id = $1", [id])).rows[0].log_path).toBe(path.join(dir, "logs", `run-${id}.log`));
    daemon.child.kill("SIGKILL");
    await daemon.exited;
    // The lifeline: the run's process group dies with its runner.
    await waitFor("the orphaned run's processes to die", async () => !groupAlive(pid), 5_000);
    const killedAt = Date.now();
    survivor = testRunner(db.pool, { staleSeconds: 3, heartbeatMs: 300 });
    await survivor.start();
    await waitFor("the run to be marked lost", async () => (await runStatus(db.pool, id)) === "lost", 10_000);
    // staleSeconds (3) plus a heartbeat or two, not minutes.
    expect(Date.now() - killedAt).toBeLessThan(6_000);
    const retry = await waitFor("the retry to finish", async () => {
      const r = (await db.pool.query("SELECT * FROM runs WHERE request_key = $1", [`retry:${id}`])).rows[0];
      return r?.status === "done" ? r : null;
    }, 15_000);
    expect(retry.runner_id).toBe(survivor.id);
    expect(retry.attempt).toBe(2);
    await survivor.stop();
    survivor = undefined;
  }, 60_000);

  it("after kill -9 with a task RUNNING: the runner that finds the run lost has the scheduler free that task at once", async () => {
    fs.writeFileSync(gate, "");
    const daemon = startDaemon();
    const id = await queueOne("held-task");
    const running = async () => (await rpc<Record<string, unknown>>(scheduler.url, "task_list", { status: "RUNNING", search: "held-task" }));
    const taskId = await waitFor("the run's task to be RUNNING in the scheduler", async () => Object.keys(await running()).find((t) => t.startsWith("TinyWork_")), 30_000);
    daemon.child.kill("SIGKILL");
    await daemon.exited;
    survivor = testRunner(db.pool, { staleSeconds: 3, heartbeatMs: 300, schedulerUrl: scheduler.url });
    await survivor.start();
    await waitFor("the run to be marked lost", async () => (await runStatus(db.pool, id)) === "lost", 10_000);
    // Not RUNNING for worker_disconnect_delay (60 s): FAILED as soon as the survivor says so.
    const failed = await waitFor("the task to be FAILED", async () => Object.keys(await rpc<Record<string, unknown>>(scheduler.url, "task_list", { status: "FAILED", search: "held-task" })), 5_000);
    expect(failed).toEqual([taskId]);
    await survivor.stop();
    survivor = undefined;
    fs.rmSync(gate);
  }, 60_000);

  it("on SIGTERM stops its runs, puts them back in the queue, and exits 0 leaving no process behind", async () => {
    const daemon = startDaemon();
    const id = await queueOne();
    const pid = await waitFor("the run to start", runningPid(id), 30_000);
    const runnerId = (await db.pool.query("SELECT runner_id FROM runs WHERE id = $1", [id])).rows[0].runner_id;
    const code = await daemon.stop("SIGTERM");
    expect(code).toBe(0);
    expect(groupAlive(pid)).toBe(false);
    const run = (await db.pool.query("SELECT status, runner_id, error FROM runs WHERE id = $1", [id])).rows[0];
    expect(run).toMatchObject({ status: "queued", runner_id: null, error: expect.stringMatching(/was stopped while this run ran/) });
    expect((await db.pool.query("SELECT stopped_at FROM runners WHERE id = $1", [runnerId])).rows[0].stopped_at).not.toBeNull();
    await db.pool.query("UPDATE runs SET status = 'cancelled' WHERE id = $1", [id]);
  }, 60_000);
  it("serves its runs' logs on its health port, at the address it announces, to requests marked with the shared secret", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const secret = "a-shared-secret-of-at-least-32-characters";
    const daemon = runSwitchyard(["runner", "--services", servicesFile, "--no-trigger", "--health-port", String(port), "--scheduler-url", scheduler.url], {
      DATABASE_URL: db.url,
      SWITCHYARD_LOG_DIR: path.join(dir, "logs"),
      SWITCHYARD_RUNNER_URL: `${url}/`,
      BETTER_AUTH_SECRET: secret,
      LOG_LEVEL: "warn",
      SWITCHYARD_PARENT_PID: "",
    });
    try {
      const id = await queueOne("long-haul", "2026-11-20");
      await waitFor("the run to start", runningPid(id), 30_000);
      const announced = (await db.pool.query("SELECT x.log_url FROM runs r JOIN runners x ON x.id = r.runner_id WHERE r.id = $1", [id])).rows[0].log_url;
      expect(announced).toBe(url);
      const target = `/run-logs/${id}`;
      const head = (key: Buffer) => fetch(`${announced}${target}`, { method: "HEAD", headers: { [LOG_READ_HEADER]: signCall(key, "HEAD", target) } });
      const res = await head(logReadKey(secret));
      expect(res.status).toBe(200);
      expect(Number(res.headers.get(LOG_SIZE_HEADER))).toBe(fs.statSync(path.join(dir, "logs", `run-${id}.log`)).size);
      expect((await head(logReadKey("not the secret the parts share, but long enough"))).status).toBe(401);
    } finally {
      daemon.child.kill("SIGTERM");
      await daemon.exited;
    }
  }, 60_000);
});
