import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../paths";
import { createLogger } from "../log/logger";
import { defaultSchedulerConfig, startSchedulerServer } from "../scheduler";
import { freePort } from "../testing/free-port";
import { ranTaskIds, startRecordingProxy, startTestScheduler, switchyardRun, tempDir, type TestScheduler } from "./test-support";

// The TypeScript worker against the real scheduler server, over HTTP, as `switchyard run` child
// processes. The first test compares our traffic with what the real Luigi 3.8.1 worker sent for
// the same DAG (spec/luigi-protocol/fixtures/dag.jsonl), request by request.

const harness = "lib/pipeline/testdata/harness-tasks.ts";
const behaviour = "lib/pipeline/testdata/behaviour-tasks.ts";
const work = tempDir("switchyard-worker-");
const env = { HARNESS_OUTPUT: path.join(work, "harness"), BEHAVIOUR_DIR: path.join(work, "behaviour"), SWITCHYARD_RPC_RETRY_WAIT: "1" };
let scheduler: TestScheduler;

beforeAll(async () => {
  scheduler = await startTestScheduler();
});
afterAll(async () => {
  await scheduler?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const recorded = fs
  .readFileSync(path.join(repoRoot, "spec/luigi-protocol/fixtures/dag.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const strip = (request: Record<string, unknown>) => {
  const { worker, ...rest } = request;
  void worker; // worker ids embed pids and salts: never comparable
  return rest;
};

describe("wire compatibility with Luigi's worker", () => {
  const proxyExchanges: Array<{ method: string; request: Record<string, unknown> }> = [];
  let first: Awaited<ReturnType<typeof switchyardRun>>;

  beforeAll(async () => {
    const proxy = await startRecordingProxy(scheduler.url);
    const args = ["--module", harness, "Report", "--run-id", "h223020-0f7daf-dag", "--day", "2024-03-01", "--scheduler-url", proxy.url];
    first = await switchyardRun(args, env);
    const second = await switchyardRun(args, env);
    await proxy.close();
    proxyExchanges.push(...proxy.exchanges.filter((e) => e.method !== "ping"));
    expect(first.code, first.output).toBe(0);
    expect(second.code, second.output).toBe(0);
  }, 60_000);

  const ours = (step: "first" | "second") => {
    const i = proxyExchanges.findIndex((e, n) => n > 0 && e.method === "add_task" && (e.request.status === "DONE" && e.request.deps === null && e.request.runnable === false));
    return step === "first" ? proxyExchanges.slice(0, i) : proxyExchanges.slice(i);
  };
  const luigi = (step: string) => recorded.filter((r) => r.step === step && r.client === "worker(requests)" && r.method !== "ping");

  it("sends the same scheduling pass, with the same task ids", () => {
    const expected = luigi("dag-run1").filter((r) => r.method === "add_task" && r.seq <= 11).map((r) => strip(r.request));
    expect(ours("first").slice(0, 11).map((e) => strip(e.request))).toEqual(expected);
  });

  it("registers like Luigi's worker", () => {
    const reg = ours("first")[11];
    expect(reg.method).toBe("add_worker");
    expect((reg.request.info as Array<[string, unknown]>).map(([k]) => k)).toEqual(["salt", "workers", "host", "username", "pid", "first_task"]);
    expect(reg.request.info).toContainEqual(["first_task", "Report_2024_03_01_1_True_fab2747cb0"]);
    expect(reg.request.worker).toMatch(/^Worker\(salt=\d{9,10}, workers=1, host=.+, username=.+, pid=\d+\)$/);
  });

  it("reports every task as Luigi did, dynamic dependency included, in the same order", () => {
    const expected = luigi("dag-run1").slice(11).map((r) => [r.method, r.request.task_id ?? null, r.request.status ?? null]);
    const got = ours("first").slice(11).map((e) => [e.method, e.request.task_id ?? null, e.request.status ?? null]);
    expect(got).toEqual(expected);
    const byKey = (list: Array<{ method: string; request: Record<string, unknown> }>) =>
      list.filter((e) => e.method === "add_task").map((e) => `${e.request.task_id} ${e.request.status} ${JSON.stringify(strip(e.request))}`);
    expect(byKey(ours("first").slice(11))).toEqual(byKey(luigi("dag-run1").slice(11).map((r) => ({ method: r.method, request: r.request }))));
  });

  it("does nothing but announce DONE when run again (fixtures: dag-run2-already-done)", () => {
    expect(ours("second").map((e) => [e.method, strip(e.request)].filter((_, i) => i === 0 || e.method === "add_task"))).toEqual(
      luigi("dag-run2-already-done").map((r) => [r.method, strip(r.request)].filter((_, i) => i === 0 || r.method === "add_task")),
    );
  });

  it("leaves the same graph in the scheduler as luigid had", async () => {
    const theirs = recorded.find((r) => r.seq === 44 && r.method === "dep_graph").response.response;
    const mine = await scheduler.rpc("dep_graph", { task_id: "Report_2024_03_01_1_True_fab2747cb0" });
    const shape = (g: Record<string, Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(g).map(([id, n]) => [id, { status: n.status, deps: [...(n.deps as string[])].sort(), params: n.params, name: n.name, priority: n.priority }]));
    expect(shape(mine)).toEqual(shape(theirs));
  });
});

describe("worker behaviour", () => {
  it("runs tasks in parallel processes with --workers", async () => {
    const r = await switchyardRun(["--module", harness, "Report", "--run-id", "parallel", "--day", "2024-03-01", "--workers", "3", "--scheduler-url", scheduler.url], env);
    expect(r.code, r.output).toBe(0);
    const pids = new Set([...r.output.matchAll(/\[Extract_[^\]]+\] running .* in pid (\d+)/g)].map((m) => m[1]));
    expect(pids.size).toBeGreaterThan(1);
    expect(ranTaskIds(r.output)).toHaveLength(13); // 12 tasks, Report twice (before and after its dynamic dependency)
  }, 60_000);

  it("fails with Luigi's exit code, sends the traceback to the scheduler, and completes on re-run", async () => {
    const log = path.join(work, "flaky.log");
    const args = ["--module", behaviour, "AfterFlaky", "--name", "f1", "--scheduler-url", scheduler.url];
    const first = await switchyardRun(args, { ...env, SWITCHYARD_RUN_LOG: log });
    expect(first.code, first.output).toBe(30);
    const tasks = await scheduler.rpc("task_list", { status: "FAILED", upstream_status: "", search: "f1" });
    const [flakyId] = Object.keys(tasks);
    expect(flakyId).toMatch(/^Flaky_1_f1_/);
    const error = await scheduler.rpc("fetch_error", { task_id: flakyId });
    expect(JSON.parse(error.error)).toMatch(/^Runtime error:\nError: Flaky failure #1 \(test-injected\)\n\s+at Flaky\.run/);
    const text = fs.readFileSync(log, "utf8");
    expect(text).toContain(`[${flakyId}] failed Flaky(name=f1, failures=1)`);
    expect(text).toContain("Flaky failure #1 (test-injected)");
    const second = await switchyardRun(args, { ...env, SWITCHYARD_RUN_LOG: log });
    expect(second.code, second.output).toBe(0);
    expect(Object.keys(await scheduler.rpc("task_list", { status: "DONE", upstream_status: "", search: "f1" }))).toHaveLength(2);
  }, 60_000);

  it("waits for a resource another run holds instead of giving up (Luigi's worker would exit 25)", async () => {
    const run = (name: string) => switchyardRun(["--module", behaviour, "ExclusiveSpin", "--name", name, "--seconds", "2", "--scheduler-url", scheduler.url], env);
    const [a, b] = await Promise.all([run("x1"), run("x2")]);
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    expect(a.output + b.output).toContain("not granted run permission (its resources are in use elsewhere): waiting");
  }, 60_000);

  it("exits 20 when external data is missing", async () => {
    const r = await switchyardRun(["--module", behaviour, "NeedsMissing", "--name", "m1", "--scheduler-url", scheduler.url], env);
    expect(r.code, r.output).toBe(20);
    expect(r.output).toContain("does not exist (yet?)");
  }, 30_000);

  it("answers operator messages through the scheduler and obeys set_worker_processes", async () => {
    const run = switchyardRun(["--module", behaviour, "Conversational", "--name", "c1", "--scheduler-url", scheduler.url], env);
    const running = await waitForRunning(scheduler, "Conversational");
    const [taskId, task] = Object.entries(running)[0] as [string, { worker_running: string }];
    await scheduler.rpc("set_worker_processes", { worker: task.worker_running, n: 2 });
    const { message_id } = await scheduler.rpc("send_scheduler_message", { worker: task.worker_running, task: taskId, content: "ping" });
    const r = await run;
    expect(r.code, r.output).toBe(0);
    expect(await scheduler.rpc("get_scheduler_message_response", { task_id: taskId, message_id })).toEqual({ response: "pong:ping" });
    expect(await scheduler.rpc("get_task_status_message", { task_id: taskId })).toEqual({ taskId, statusMessage: "heard ping" });
    const workers = await scheduler.rpc("worker_list", {});
    expect(workers.find((w: { name: string }) => w.name === task.worker_running)?.workers).toBe(2);
  }, 60_000);
});

describe("the command line", () => {
  it("runs with an in-process scheduler (--local-scheduler), task processes relaying their calls", async () => {
    const r = await switchyardRun(["--module", behaviour, "SpinChain", "--name", "local", "--seconds", "0.3", "--local-scheduler", "--workers", "2"], env);
    expect(r.code, r.output).toBe(0);
    expect(ranTaskIds(r.output).map((id) => id.split("_")[0])).toEqual(["Spin", "SpinAfter", "SpinChain"]);
    expect(r.output).not.toMatch(/could not send/); // progress reports went through the worker to its scheduler
  }, 30_000);

  it.each([
    [["Nope"], "switchyard run: unknown task family Nope in lib/pipeline/testdata/behaviour-tasks.ts (its tasks: "],
    [["Spin", "--name", "x", "--seconds", "soon"], 'switchyard run: --seconds: "soon" is not a number'],
    [["Spin"], "switchyard run: missing required parameter --name for Spin (text)"],
  ])("rejects %j with one line and exit code 2", async (args, message) => {
    const r = await switchyardRun(["--module", behaviour, ...args, "--scheduler-url", scheduler.url], env);
    expect(r.code).toBe(2);
    expect(r.output.trim().split("\n")).toHaveLength(1);
    expect(r.output).toContain(message);
  }, 30_000);

  it("says in one line that the scheduler cannot be reached, exit code 40", async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const r = await switchyardRun(["--module", behaviour, "Spin", "--name", "u", "--scheduler-url", nobody], { ...env, SWITCHYARD_RPC_RETRY_ATTEMPTS: "1" });
    expect(r.code).toBe(40);
    expect(r.output).toMatch(/ERROR \[switchyard run\] scheduler call add_task failed: ECONNREFUSED \(after 1 tries\)/);
    expect(r.output).not.toMatch(/\bat \w+/); // no stack trace for an operational failure
  }, 30_000);
});

describe("a scheduler that is away", () => {
  it("is waited for: the default policy tries again within a second, says so in the log, and the run goes on", async () => {
    const port = await freePort();
    const started = Date.now();
    // no SWITCHYARD_RPC_RETRY_*: the worker's own backoff, not Luigi's 30 s pause
    const run = switchyardRun(["--module", behaviour, "Spin", "--name", "away", "--scheduler-url", `http://127.0.0.1:${port}`], { BEHAVIOUR_DIR: env.BEHAVIOUR_DIR });
    await new Promise((r) => setTimeout(r, 1500)); // a scheduler's supervisor restarting it, or a standby taking over
    const late = await startSchedulerServer({ host: "127.0.0.1", port, config: defaultSchedulerConfig(), logger: createLogger("late-scheduler", "warn") });
    try {
      const r = await run;
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/WARN  \[switchyard run\] scheduler call add_task failed \(ECONNREFUSED\); trying again, 2 of 8/);
      expect(ranTaskIds(r.output).map((id) => id.split("_")[0])).toEqual(["Spin"]);
      // with Luigi's policy (3 tries, 30 s apart) this run would have waited 30 s for its second try
      expect(Date.now() - started).toBeLessThan(25_000);
    } finally {
      await late.close();
    }
  }, 60_000);
});

describe("SIGTERM", () => {
  it("fails the running task (never leaves it RUNNING) when it cannot finish in the grace period", async () => {
    const r = stopDuring(["--module", behaviour, "Spin", "--name", "t1", "--seconds", "20"], "Spin", { SWITCHYARD_SHUTDOWN_GRACE: "0" });
    const { code, output, taskId } = await r;
    expect(code, output).toBe(30);
    expect(await scheduler.rpc("task_list", { status: "RUNNING", upstream_status: "", search: "" })).toEqual({});
    const failed = await scheduler.rpc("fetch_error", { task_id: taskId });
    expect(JSON.parse(failed.error)).toContain("terminated: the worker received SIGTERM");
  }, 60_000);

  it("lets the running task finish within the grace period and starts nothing new", async () => {
    const { code, output } = await stopDuring(["--module", behaviour, "SpinChain", "--name", "t2", "--seconds", "2"], "Spin", { SWITCHYARD_SHUTDOWN_GRACE: "30" });
    expect(code, output).toBe(25); // the root did not run: Luigi's "not run"
    expect(ranTaskIds(output).map((id) => id.split("_")[0])).toEqual(["Spin"]);
    expect(await scheduler.rpc("task_list", { status: "RUNNING", upstream_status: "", search: "" })).toEqual({});
    expect(Object.keys(await scheduler.rpc("task_list", { status: "DONE", upstream_status: "", search: "t2-first" }))).toHaveLength(1);
  }, 60_000);
});

describe("SIGTERM while a task is on its way", () => {
  it("does not start a task the scheduler handed out after the signal: it is failed unstarted, never left RUNNING", async () => {
    // the scheduler's get_work answer is held on the way back until the worker has had its SIGTERM
    let held: () => void = () => {};
    let release: () => void = () => {};
    const arrived = new Promise<void>((r) => (held = r));
    const released = new Promise<void>((r) => (release = r));
    const proxy = await startRecordingProxy(scheduler.url, {
      beforeReply: async (method) => {
        if (method !== "get_work") return;
        held();
        await released;
      },
    });
    try {
      const { runSwitchyard } = await import("../testing/processes");
      const proc = runSwitchyard(["run", "--module", behaviour, "Spin", "--name", "t3", "--seconds", "20", "--scheduler-url", proxy.url], { ...env, SWITCHYARD_SHUTDOWN_GRACE: "0" });
      await arrived;
      const [taskId] = Object.keys(await waitForRunning(scheduler, "t3")); // handed out: RUNNING in the scheduler
      proc.child.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 500)); // the worker has taken the signal
      release();
      const code = await proc.exited;
      expect(code, proc.output()).toBe(30);
      expect(proc.output()).not.toMatch(/running Spin\(/);
      expect(Object.keys(await scheduler.rpc("task_list", { status: "RUNNING", upstream_status: "", search: "t3" }))).toEqual([]);
      expect(JSON.parse((await scheduler.rpc("fetch_error", { task_id: taskId })).error)).toContain("terminated: the worker received SIGTERM before the task started");
    } finally {
      release();
      await proxy.close();
    }
  }, 60_000);
});

async function waitForRunning(s: TestScheduler, family: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const running = (await s.rpc("task_list", { status: "RUNNING", upstream_status: "", search: family })) as Record<string, unknown>;
    if (Object.keys(running).length > 0) return running;
    if (Date.now() > deadline) throw new Error(`no ${family} task started`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopDuring(args: string[], family: string, extraEnv: Record<string, string>) {
  const { runSwitchyard } = await import("../testing/processes");
  const proc = runSwitchyard(["run", ...args, "--scheduler-url", scheduler.url], { ...env, ...extraEnv });
  const running = await waitForRunning(scheduler, family);
  proc.child.kill("SIGTERM");
  const code = await proc.exited;
  return { code, output: proc.output(), taskId: Object.keys(running)[0] };
}
