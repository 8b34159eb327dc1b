import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/roles";
import { defaultSchedulerConfig, startSchedulerServer, type SchedulerServer } from "@/lib/scheduler";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { callScheduler } from "@/lib/presenters/scheduler-rpc";
import { runTaskAction } from "@/lib/control/task-action";

// Task actions against the real scheduler (over HTTP) and a real database for the audit log. The
// RPC is outside the database: a "pending" intent row is committed before it, the outcome after.

let db: TestDatabase;
let scheduler: SchedulerServer;
const alice: Actor = { kind: "user", id: "u1", name: "alice@example.com", role: "operator" };

beforeAll(async () => {
  db = await createTestDatabase();
  scheduler = await startSchedulerServer({ host: "127.0.0.1", port: 0, config: defaultSchedulerConfig() });
});
afterAll(async () => {
  await scheduler?.close();
  await db?.drop();
});

const addTask = (taskId: string, status: string) =>
  callScheduler(scheduler.url, "add_task", { task_id: taskId, status, worker: "w1", family: taskId.split("_")[0], params: {} });
const auditRows = async () =>
  (await db.pool.query("SELECT id, actor, action, target_id, reason, outcome, result FROM audit_log ORDER BY id")).rows;

describe("task actions", () => {
  it("forgive-failures turns a failed task PENDING and writes who and why to the audit log", async () => {
    await addTask("Report_a_1111111111", "FAILED");
    const result = await runTaskAction(db.pool, scheduler.url, alice, { taskId: "Report_a_1111111111", action: "forgive-failures", reason: "disk was full", requestKey: "k1" });
    expect(result).toMatchObject({ status: "PENDING" });
    expect(await callScheduler(scheduler.url, "task_list", { status: "PENDING", upstream_status: "", search: "" })).toHaveProperty("Report_a_1111111111");
    const [intent, outcome] = (await auditRows()).slice(-2);
    expect(intent).toMatchObject({ actor: "user:alice@example.com", action: "task.forgive_failures", target_id: "Report_a_1111111111", reason: "disk was full", outcome: "pending" });
    expect(outcome).toMatchObject({ action: "task.forgive_failures", outcome: "ok", result: { intentId: Number(intent.id), requestKey: "k1" } });
  });

  it("refuses to forgive a task that has not failed (409) and records the refusal", async () => {
    await addTask("Report_b_2222222222", "DONE");
    await expect(runTaskAction(db.pool, scheduler.url, alice, { taskId: "Report_b_2222222222", action: "forgive-failures" })).rejects.toMatchObject({ kind: "conflict" });
    expect((await auditRows()).at(-1)).toMatchObject({ outcome: "denied", result: { code: "conflict" } });
  });

  it("marks a failed task done, and says 404 for a task the scheduler does not know", async () => {
    await addTask("Report_c_3333333333", "FAILED");
    expect(await runTaskAction(db.pool, scheduler.url, alice, { taskId: "Report_c_3333333333", action: "mark-done" })).toMatchObject({ status: "DONE" });
    await expect(runTaskAction(db.pool, scheduler.url, alice, { taskId: "Nope_x_0000000000", action: "mark-done" })).rejects.toMatchObject({ kind: "not_found" });
  });

  it("re-enable refuses a task the scheduler did not disable", async () => {
    await expect(runTaskAction(db.pool, scheduler.url, alice, { taskId: "Report_c_3333333333", action: "re-enable" })).rejects.toMatchObject({ kind: "conflict" });
  });

  it("fails as unavailable when the scheduler is down, leaving the intent and its outcome", async () => {
    await expect(runTaskAction(db.pool, "http://127.0.0.1:9", alice, { taskId: "Report_a_1111111111", action: "forgive-failures" })).rejects.toMatchObject({
      kind: "unavailable",
      code: "scheduler_unreachable",
    });
    const [intent, outcome] = (await auditRows()).slice(-2);
    expect(intent).toMatchObject({ action: "task.forgive_failures", outcome: "pending" });
    expect(outcome).toMatchObject({ outcome: "error", result: { code: "scheduler_unreachable", intentId: Number(intent.id) } });
  });

  it("never calls the scheduler when the intent cannot be written", async () => {
    await addTask("Report_d_4444444444", "FAILED");
    // A real PostgreSQL refusal: this connection's inserts into audit_log fail.
    const client = await db.pool.connect();
    await client.query("BEGIN READ ONLY");
    const readOnly = { query: client.query.bind(client), connect: async () => client } as unknown as typeof db.pool;
    await expect(runTaskAction(readOnly, scheduler.url, alice, { taskId: "Report_d_4444444444", action: "forgive-failures" })).rejects.toThrow(/read-only transaction/);
    await client.query("ROLLBACK");
    client.release();
    expect(await callScheduler(scheduler.url, "task_list", { status: "FAILED", upstream_status: "", search: "" })).toHaveProperty("Report_d_4444444444");
  });
});
