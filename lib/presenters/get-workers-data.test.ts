import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/roles";
import { runSchedulerAction } from "@/lib/control/scheduler-actions";
import { callScheduler } from "@/lib/presenters/scheduler-rpc";
import { defaultSchedulerConfig, startSchedulerServer, type SchedulerServer } from "@/lib/scheduler";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { getWorkersData } from "./get-workers-data";

// The workers view and its actions against the real scheduler over HTTP and a real database
// (host samples, audit log): a worker that runs a task holding a resource, as Luigi's worker
// announces itself (add_worker info, add_task, get_work).

let db: TestDatabase;
let scheduler: SchedulerServer;
const ana: Actor = { kind: "user", id: "u1", name: "ana@example.com", role: "operator" };
const W1 = "Worker(salt=1, workers=2, host=etl-1, username=etl, pid=4242)";
const W2 = "Worker(salt=2, workers=1, host=etl-2, username=etl, pid=77)";

beforeAll(async () => {
  db = await createTestDatabase();
  const config = defaultSchedulerConfig();
  config.resources = { warehouse: 2 };
  scheduler = await startSchedulerServer({ host: "127.0.0.1", port: 0, config });
  const rpc = (method: string, args: Record<string, unknown>) => callScheduler(scheduler.url, method, args);
  for (const [worker, host, pid, n] of [
    [W1, "etl-1", 4242, 2],
    [W2, "etl-2", 77, 1],
  ] as const) {
    // W1 is a Switchyard run's worker: it calls through the run's own scheduler URL
    const base = worker === W1 ? `${scheduler.url}/runs/42` : scheduler.url;
    await callScheduler(base, "add_worker", { worker, info: { salt: "1", workers: n, host, username: "etl", pid } });
  }
  await rpc("add_task", { worker: W1, task_id: "Load_2026_aaaaaaaaaa", status: "PENDING", family: "Load", params: { day: "2026-12-03" }, resources: { warehouse: 1 }, runnable: true });
  await rpc("add_task", { worker: W2, task_id: "Other_x_bbbbbbbbbb", status: "PENDING", family: "Other", params: {}, runnable: true });
  await rpc("get_work", { worker: W1, host: "etl-1" });
  const host = await db.pool.query<{ id: number }>("INSERT INTO hosts (name, cpu_count, memory_total_bytes) VALUES ('etl-1', 4, 1000) RETURNING id");
  await db.pool.query(
    "INSERT INTO host_samples (host_id, cpu_percent, memory_used_bytes, memory_total_bytes, load1, load5, load15, running_runs) VALUES ($1, 87.5, 250, 1000, 3.2, 2, 1, 1)",
    [host.rows[0].id],
  );
});
afterAll(async () => {
  await scheduler?.close();
  await db?.drop();
});

const auditRows = async () => (await db.pool.query("SELECT actor, action, target_id, outcome, result FROM audit_log ORDER BY id")).rows;

describe("the workers view", () => {
  it("lists each worker with what it runs, its processes and its host's newest CPU and memory", async () => {
    const data = await getWorkersData(db.pool, scheduler.url);
    expect(data.reachable).toBe(true);
    expect(data.paused).toBe(false);
    const w1 = data.workers.find((w) => w.name === W1)!;
    expect(w1).toMatchObject({ host: "etl-1", pid: 4242, processes: 2, numRunning: 1, state: "active", runId: 42 });
    expect(w1.running.map((t) => t.taskId)).toEqual(["Load_2026_aaaaaaaaaa"]);
    expect(w1.hostNow).toMatchObject({ cpuPercent: 87.5, memoryPercent: 25 });
    expect(data.workers.find((w) => w.name === W2)).toMatchObject({ host: "etl-2", numRunning: 0, hostNow: null, runId: null });
  });

  it("reads a worker's host, pid and processes from its Luigi id until it has sent them (Luigi sends add_worker once its DAG is scheduled)", async () => {
    const scheduling = "Worker(salt=3, workers=4, host=etl-1.example.com, username=etl, pid=901)";
    await callScheduler(scheduler.url, "add_task", { worker: scheduling, task_id: "Late_x_cccccccccc", status: "PENDING", family: "Late", params: {}, runnable: true });
    const row = (await getWorkersData(db.pool, scheduler.url)).workers.find((w) => w.name === scheduling);
    expect(row).toMatchObject({ host: "etl-1.example.com", pid: 901, username: "etl", processes: 4, numPending: 1 });
    expect(row?.hostNow).toMatchObject({ cpuPercent: 87.5 }); // etl-1's sample, by its short name
    // a worker id of another shape gives nothing rather than a wrong host
    await callScheduler(scheduler.url, "add_task", { worker: "my-own-worker", task_id: "Mine_x_dddddddddd", status: "PENDING", family: "Mine", params: {}, runnable: true });
    expect((await getWorkersData(db.pool, scheduler.url)).workers.find((w) => w.name === "my-own-worker")).toMatchObject({ host: null, pid: null, processes: null });
  });

  it("lists a resource's use and the task that holds it", async () => {
    const data = await getWorkersData(db.pool, scheduler.url);
    expect(data.resources).toEqual([
      { name: "warehouse", total: 2, used: 1, consumers: 1, holders: [expect.objectContaining({ taskId: "Load_2026_aaaaaaaaaa", worker: W1 })] },
    ]);
  });

  it("says the scheduler is unreachable instead of failing the page", async () => {
    const data = await getWorkersData(db.pool, "http://127.0.0.1:9");
    expect(data).toMatchObject({ reachable: false, workers: [], paused: null });
    expect(data.message).toMatch(/did not answer/);
  });
});

describe("scheduler actions", () => {
  it("pauses and unpauses the scheduler, each recorded as intent then outcome", async () => {
    await runSchedulerAction(db.pool, scheduler.url, ana, { action: "pause", reason: "warehouse maintenance" });
    expect((await getWorkersData(db.pool, scheduler.url)).paused).toBe(true);
    await runSchedulerAction(db.pool, scheduler.url, ana, { action: "unpause" });
    expect((await getWorkersData(db.pool, scheduler.url)).paused).toBe(false);
    const rows = (await auditRows()).filter((r) => r.action.startsWith("scheduler."));
    expect(rows.map((r) => [r.action, r.outcome])).toEqual([
      ["scheduler.pause", "pending"],
      ["scheduler.pause", "ok"],
      ["scheduler.unpause", "pending"],
      ["scheduler.unpause", "ok"],
    ]);
  });

  it("sets a worker's processes and disables it", async () => {
    await runSchedulerAction(db.pool, scheduler.url, ana, { action: "set-worker-processes", worker: W2, processes: 3 });
    await runSchedulerAction(db.pool, scheduler.url, ana, { action: "disable-worker", worker: W2 });
    const w2 = (await getWorkersData(db.pool, scheduler.url)).workers.find((w) => w.name === W2);
    // a disabled worker stays listed while it is alive, marked disabled
    expect(w2?.state).toBe("disabled");
    expect((await auditRows()).at(-1)).toMatchObject({ actor: "user:ana@example.com", action: "worker.disable", target_id: W2, outcome: "ok" });
  });

  it("refuses a worker the scheduler does not know (not found), and records the refusal", async () => {
    await expect(runSchedulerAction(db.pool, scheduler.url, ana, { action: "disable-worker", worker: "Worker(nobody)" })).rejects.toMatchObject({ kind: "not_found" });
    expect((await auditRows()).at(-1)).toMatchObject({ action: "worker.disable", outcome: "denied", result: { code: "not_found" } });
    const names = (await getWorkersData(db.pool, scheduler.url)).workers.map((w) => w.name);
    expect(names).not.toContain("Worker(nobody)");
  });
});
