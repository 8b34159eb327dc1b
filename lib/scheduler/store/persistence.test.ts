import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { metricValue } from "@/lib/scheduler/testing/metrics";
import { rpc } from "@/lib/scheduler/testing/rpc-client";

// Durability against a real PostgreSQL: what one scheduler acknowledged is what the next one,
// started on the same database, holds — and Luigi's history tables get every attempt.

const logger = createLogger("persistence-test", "error");
const config = buildSchedulerConfig({ scheduler: { retry_delay: "2" }, resources: { pool: "3" }, switchyard: { prune_interval: "0" } });
const W = "Worker(salt=1, workers=1, host=h, username=u, pid=1)";
const W2 = "Worker(salt=2, workers=1, host=h2, username=u, pid=2)";

describe("scheduler state in PostgreSQL", () => {
  let db: TestDatabase;
  let server: SchedulerServer | null = null;
  let now = 1_800_000_000;
  const start = async () => (server = await startSchedulerServer({ host: "127.0.0.1", port: 0, config, databaseUrl: db.url, logger, clock: () => now }));

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("restores tasks, statuses, deps, workers, messages, resources and pause after a restart", async () => {
    const s1 = await start();
    await rpc(s1.url, "add_task", { worker: W, task_id: "B_1", family: "B", params: { day: "2024-01-01", secret: "x" }, param_visibilities: { day: 0, secret: 1 }, deps: ["A_1"], priority: 5 });
    await rpc(s1.url, "add_task", { worker: W, task_id: "A_1", family: "A", params: { n: "1" }, resources: { pool: 2 } });
    await rpc(s1.url, "add_worker", { worker: W, info: [["workers", 2], ["host", "h"]] });
    const work = await rpc<{ task_id: string }>(s1.url, "get_work", { worker: W, host: "h", current_tasks: [] });
    expect(work.task_id).toBe("A_1");
    await rpc(s1.url, "send_scheduler_message", { worker: W, task: "A_1", content: "hi" });
    await rpc(s1.url, "update_resource", { resource: "pool", amount: 7 });
    await rpc(s1.url, "pause");
    const before = await rpc(s1.url, "task_list", {});
    await s1.close();

    const s2 = await start();
    expect(await rpc(s2.url, "task_list", {})).toEqual(before);
    expect(await rpc(s2.url, "is_paused")).toEqual({ paused: true });
    expect(await rpc<Array<{ name: string; num_total: number; num_used: number }>>(s2.url, "resource_list")).toEqual([expect.objectContaining({ name: "pool", num_total: 7, num_used: 2 })]);
    const ping = await rpc<{ rpc_messages: Array<{ name: string }> }>(s2.url, "ping", { worker: W });
    expect(ping.rpc_messages.map((m) => m.name)).toEqual(["dispatch_scheduler_message"]);
    const graph = await rpc<Record<string, { deps: string[]; priority: number }>>(s2.url, "dep_graph", { task_id: "B_1" });
    expect(graph.B_1.deps).toEqual(["A_1"]);
    expect(graph.A_1.priority).toBe(5);
    // A restored worker that goes silent is dropped from the tasks it was restored into: the one it
    // was running fails, as a dead worker's does.
    now += 120;
    await rpc(s2.url, "prune");
    expect(await rpc<Record<string, { status: string }>>(s2.url, "task_list", {})).toMatchObject({ A_1: { status: "FAILED" } });
    expect(await rpc<unknown[]>(s2.url, "worker_list")).toEqual([]);
    await s2.close();
    server = null;
  });

  it("restores text that needs escaping exactly (quotes, backslashes, braces, non-ASCII, control characters) and refuses a lone surrogate", async () => {
    // The row documents travel to PostgreSQL as one JSON array (store/write.ts), on the first
    // flush of a task and on the light flush of a later change alike.
    const odd = 'a "quoted" \\ back\\slash {b,c} [d] é 日本 🚀 \t\n\u0001 the text \\u0000 end';
    const WO = `Worker(salt="q", host=${odd})`;
    const s1 = await start();
    await rpc(s1.url, "unpause"); // the test above left the scheduler paused
    await rpc(s1.url, "add_task", { worker: WO, task_id: "Odd_1", family: "Odd", params: { text: odd, "k\"ey": "v" }, deps: [] });
    await rpc(s1.url, "add_worker", { worker: WO, info: [["host", odd]] });
    const work = await rpc<{ task_id: string }>(s1.url, "get_work", { worker: WO, host: odd, current_tasks: [] });
    expect(work.task_id).toBe("Odd_1");
    await rpc(s1.url, "set_task_status_message", { task_id: "Odd_1", status_message: odd });
    // Stored, "\ud800" alone made every PostgreSQL read inside the document fail, the restore's too.
    const lone = rpc(s1.url, "set_task_status_message", { task_id: "Odd_1", status_message: "half a pair: \ud800" });
    await expect(lone).rejects.toMatchObject({ status: 500, body: expect.stringContaining("lone UTF-16 surrogate") });
    await expect(rpc(s1.url, "add_worker", { worker: "W\udc00", info: [] })).rejects.toMatchObject({ status: 500 });
    const before = await rpc(s1.url, "task_list", { search: "Odd" });
    const workersBefore = await rpc(s1.url, "worker_list", {});
    await s1.close();

    const s2 = await start();
    expect(await rpc(s2.url, "task_list", { search: "Odd" })).toEqual(before);
    expect(await rpc<{ statusMessage: string }>(s2.url, "get_task_status_message", { task_id: "Odd_1" })).toEqual({ taskId: "Odd_1", statusMessage: odd });
    expect(await rpc(s2.url, "worker_list", {})).toEqual(workersBefore);
    await s2.close();
    // A row written before the refusal existed, holding one: the next start still restores.
    await db.pool.query(`INSERT INTO scheduler_workers (worker_id, last_active, disabled, data) VALUES ('Legacy', $1, false, '{"seq": 99, "started": 1, "info": {"host": "\\ud800"}}')`, [now]);
    const s3 = await start();
    expect((await rpc<Array<{ name: string }>>(s3.url, "worker_list", {})).map((w) => w.name)).toContain("Legacy");
    await s3.close();
    server = null;
  });

  it("appends every attempt to one history row per task id, including scheduler transitions", async () => {
    const s = await start();
    await rpc(s.url, "unpause");
    await rpc(s.url, "add_task", { worker: W2, task_id: "F_1", family: "F", params: { n: "1" } });
    await rpc(s.url, "get_work", { worker: W2, host: "h", current_tasks: [] });
    await rpc(s.url, "add_task", { worker: W2, task_id: "F_1", status: "FAILED", expl: '"boom"', runnable: null });
    now += 5; // past retry_delay: prune moves it back to PENDING (luigid records nothing here)
    await rpc(s.url, "prune");
    await s.close();
    const s2 = await start();
    await rpc(s2.url, "get_work", { worker: W2, host: "h2", current_tasks: [] });
    await rpc(s2.url, "add_task", { worker: W2, task_id: "F_1", status: "DONE", expl: "null", runnable: null });
    // Written by the checkpoint, within [switchyard] checkpoint_interval of the acknowledgement.
    const history = () => db.pool.query("SELECT t.id, t.host, e.event_name FROM tasks t JOIN task_events e ON e.task_id = t.id WHERE t.task_id = 'F_1' ORDER BY e.id");
    await expect.poll(async () => (await history()).rows.map((r) => r.event_name)).toEqual(["PENDING", "RUNNING", "FAILED", "PENDING", "RUNNING", "DONE"]);
    const rows = await history();
    expect(new Set(rows.rows.map((r) => r.id)).size).toBe(1);
    expect(rows.rows[0].host).toBe("h2");
    const params = await db.pool.query("SELECT p.name, p.value FROM task_parameters p JOIN tasks t ON t.id = p.task_id WHERE t.task_id = 'B_1' ORDER BY p.name");
    expect(params.rows).toEqual([
      { name: "day", value: "2024-01-01" },
      { name: "secret", value: "x" },
    ]);
    await s2.close();
    server = null;
  });

  it("appends a task id's events to its newest history row of the current month (one luigid wrote), never to an older month's", async () => {
    const month = (offset: number) => `date_trunc('month', localtimestamp + interval '${offset} month')::date`;
    const row = async (taskId: string, offset: number) =>
      (await db.pool.query<{ id: number }>(`INSERT INTO tasks (task_id, name, host, history_month) VALUES ($1, 'L', NULL, ${month(offset)}) RETURNING id`, [taskId])).rows[0].id;
    await row("L_now", 0);
    const newest = await row("L_now", 0);
    const old = await row("L_old", -2);
    const s = await start();
    await rpc(s.url, "add_task", { worker: W, task_id: "L_now", family: "L", params: {} });
    await rpc(s.url, "add_task", { worker: W, task_id: "L_old", family: "L", params: {} });
    await s.checkpoint();
    const events = await db.pool.query<{ task_id: string; id: number }>("SELECT t.task_id, t.id FROM task_events e JOIN tasks t ON t.id = e.task_id WHERE t.task_id IN ('L_now', 'L_old') ORDER BY t.task_id");
    expect(events.rows.find((r) => r.task_id === "L_now")?.id).toBe(newest);
    expect(events.rows.find((r) => r.task_id === "L_old")?.id).not.toBe(old);
    expect(events.rows).toHaveLength(2);
    await s.close();
    server = null;
  });

  it("sends no statement for a ping that moves only the worker's clock; its messages and a later clock are written", async () => {
    const s = await start();
    const flushes = async () => metricValue(await (await fetch(`${s.url}/metrics`)).text(), "switchyard_scheduler_flushes_total");
    await rpc(s.url, "ping", { worker: W }); // the clock moved since the last test: written
    const before = await flushes();
    for (let i = 0; i < 5; i++) await rpc(s.url, "ping", { worker: W });
    expect(await flushes()).toBe(before);
    await rpc(s.url, "send_scheduler_message", { worker: W, task: "A_1", content: "hello" });
    const ping = await rpc<{ rpc_messages: unknown[] }>(s.url, "ping", { worker: W }); // hands the message over: the worker's row changes
    expect(ping.rpc_messages).toHaveLength(1);
    const afterMessage = await flushes();
    expect(afterMessage).toBeGreaterThan(before);
    now += 10; // past the slack: the clock itself is written
    await rpc(s.url, "ping", { worker: W });
    expect(await flushes()).toBe(afterMessage + 1);
    await expect.poll(async () => (await db.pool.query("SELECT last_active FROM scheduler_workers WHERE worker_id = $1", [W])).rows[0].last_active).toBe(now);
    await s.close();
    server = null;
  });
});
