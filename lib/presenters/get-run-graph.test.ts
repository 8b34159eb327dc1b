import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flattenGraph, getRunGraph } from "@/lib/presenters/get-run-graph";
import { callScheduler } from "@/lib/presenters/scheduler-rpc";
import { seedRun, seedService } from "@/lib/presenters/testing/seed";
import { defaultSchedulerConfig, startSchedulerServer, type SchedulerServer } from "@/lib/scheduler";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

describe("flattenGraph", () => {
  it("lists the root first, its dependencies indented, and a shared task once", () => {
    const nodes = {
      All: { name: "All", status: "PENDING", deps: ["B", "A"] },
      A: { name: "A", status: "DONE", deps: ["C"] },
      B: { name: "B", status: "FAILED", deps: ["C"] },
      C: { name: "C", status: "DONE", deps: [] },
    };
    const { rows } = flattenGraph("All", nodes);
    expect(rows.map((r) => `${"  ".repeat(r.depth)}${r.taskId}${r.seen ? " (seen)" : ""}`)).toEqual(["All", "  A", "    C", "  B", "    C (seen)"]);
  });

  it("stops at the row limit and says so", () => {
    const nodes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`T${i}`, { name: "T", status: "DONE", deps: i < 9 ? [`T${i + 1}`] : [] }]));
    expect(flattenGraph("T0", nodes, 4)).toMatchObject({ truncated: true, rows: { length: 4 } });
  });
});

describe("getRunGraph against the real scheduler", () => {
  let db: TestDatabase;
  let scheduler: SchedulerServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    scheduler = await startSchedulerServer({ host: "127.0.0.1", port: 0, config: defaultSchedulerConfig() });
  });
  afterAll(async () => {
    await scheduler?.close();
    await db?.drop();
  });

  it("shows the root task's graph with each task's status", async () => {
    const svc = await seedService(db.pool, { name: "acme-corp" });
    const run = await seedRun(db.pool, { serviceId: svc, date: "2026-11-22", status: "running", startedAt: new Date().toISOString(), rootTaskId: "AllDailyTask_acme_1111111111" });
    const add = (task_id: string, status: string, deps: string[] = []) => callScheduler(scheduler.url, "add_task", { task_id, status, worker: "w1", family: task_id.split("_")[0], params: {}, deps });
    await add("AllDailyTask_acme_1111111111", "PENDING", ["Load_acme_2222222222"]);
    await callScheduler(scheduler.url, "add_task", {
      task_id: "Load_acme_2222222222",
      status: "FAILED",
      worker: "w1",
      family: "Load",
      params: {},
      expl: JSON.stringify("Traceback (most recent call last):\nValueError: boom"),
    });
    const graph = await getRunGraph(db.pool, scheduler.url, run);
    expect(graph).toMatchObject({ state: "ok", counts: { PENDING: 1, FAILED: 1 } });
    expect(graph!.rows.map((r) => [r.family, r.status, r.depth])).toEqual([
      ["AllDailyTask", "PENDING", 0],
      ["Load", "FAILED", 1],
    ]);
    expect(graph!.rows[1].error).toBe("Traceback (most recent call last):\nValueError: boom");
  });

  it("says when the scheduler is down instead of failing the page", async () => {
    const svc = await seedService(db.pool, { name: "contoso" });
    const run = await seedRun(db.pool, { serviceId: svc, date: "2026-11-22", status: "done", rootTaskId: "AllDailyTask_contoso_3333333333" });
    expect(await getRunGraph(db.pool, "http://127.0.0.1:9", run)).toMatchObject({ state: "unreachable" });
    expect(await getRunGraph(db.pool, scheduler.url, run)).toMatchObject({ state: "forgotten" });
  });
});
