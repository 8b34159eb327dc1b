import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { rpc, RpcStatusError } from "@/lib/scheduler/testing/rpc-client";

// A run's workers call through /runs/<id>/api/ and are let go at once by release_run_workers
// (core/run-workers.ts): a re-run's worker then gets the task the killed one held RUNNING,
// instead of waiting out worker_disconnect_delay. Real HTTP, a real PostgreSQL, a restart between
// the tagging and the release and another after it.

const logger = createLogger("run-workers-test", "error");
const config = buildSchedulerConfig({ switchyard: { prune_interval: "0" } });
const KILLED = "Worker(salt=1, workers=1, host=h, username=u, pid=101)";
const RERUN = "Worker(salt=2, workers=1, host=h, username=u, pid=102)";
const BYSTANDER = "Worker(salt=3, workers=1, host=h, username=u, pid=103)";

describe("release_run_workers", () => {
  let db: TestDatabase;
  let server: SchedulerServer | null = null;
  const start = async () => (server = await startSchedulerServer({ host: "127.0.0.1", port: 0, config, databaseUrl: db.url, logger }));

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it("frees the task a killed run's worker held RUNNING, after a restart too, and leaves other workers alone", async () => {
    const s1 = await start();
    const run7 = `${s1.url}/runs/7`;
    await rpc(run7, "add_worker", { worker: KILLED, info: [["host", "h"], ["pid", 101]] });
    await rpc(run7, "add_task", { worker: KILLED, task_id: "Daily_1", family: "Daily", params: {} });
    expect(await rpc<{ task_id: string }>(run7, "get_work", { worker: KILLED, host: "h" })).toMatchObject({ task_id: "Daily_1" });
    await rpc(s1.url, "add_task", { worker: BYSTANDER, task_id: "Other_1", family: "Other", params: {} });
    expect(await rpc<{ task_id: string }>(s1.url, "get_work", { worker: BYSTANDER, host: "h" })).toMatchObject({ task_id: "Other_1" });

    // Without the release, a re-run right after the kill meets the dead worker's RUNNING task.
    await rpc(s1.url, "add_task", { worker: RERUN, task_id: "Daily_1", family: "Daily", params: {} });
    const blocked = await rpc<{ task_id: string | null; running_tasks: Array<{ task_id: string; worker: string }> }>(s1.url, "get_work", { worker: RERUN, host: "h" });
    expect(blocked.task_id).toBeNull();
    expect(blocked.running_tasks).toEqual([expect.objectContaining({ task_id: "Daily_1", worker: KILLED })]);
    await s1.close();

    const s2 = await start();
    // worker_list names each tagged worker's run (kept across the restart); the others have none
    const listed = await rpc<Array<{ name: string; switchyard_run_id?: number }>>(s2.url, "worker_list", {});
    expect(Object.fromEntries(listed.map((w) => [w.name, w.switchyard_run_id ?? null]))).toEqual({ [KILLED]: 7, [BYSTANDER]: null, [RERUN]: null });
    expect(await rpc(s2.url, "release_run_workers", { run_id: 8 })).toEqual({ workers: [], failed_tasks: [] });
    expect(await rpc(s2.url, "release_run_workers", { run_id: 7 })).toEqual({ workers: [KILLED], failed_tasks: ["Daily_1"] });
    // Released once: a second call finds nothing left of run 7.
    expect(await rpc(s2.url, "release_run_workers", { run_id: 7 })).toEqual({ workers: [], failed_tasks: [] });
    // The release is stored: after another restart the worker is gone from lists.
    await s2.close();
    const s3 = await start();
    const workers = await rpc<Array<{ name: string }>>(s3.url, "worker_list", {});
    expect(workers.map((w) => w.name).sort()).toEqual([BYSTANDER, RERUN].sort());
    expect(await rpc<Record<string, { status: string }>>(s3.url, "task_list", { search: "Other" })).toMatchObject({ Other_1: { status: "RUNNING" } });
    expect(await rpc<Record<string, { status: string; workers?: string[] }>>(s3.url, "task_list", { search: "Daily" })).toMatchObject({ Daily_1: { status: "FAILED" } });

    // The re-run's worker schedules the task again (FAILED -> PENDING) and is given it.
    await rpc(s3.url, "add_task", { worker: RERUN, task_id: "Daily_1", family: "Daily", params: {} });
    expect(await rpc<{ task_id: string }>(s3.url, "get_work", { worker: RERUN, host: "h" })).toMatchObject({ task_id: "Daily_1" });
    expect(await rpc(s3.url, "release_run_workers", { run_id: 7 })).toEqual({ workers: [], failed_tasks: [] });
  });

  it("stores a release made by the process that wrote the worker: a restart right after it does not bring the worker back", async () => {
    await server?.close();
    const s1 = await start();
    const run9 = `${s1.url}/runs/9`;
    const worker = "Worker(salt=9, workers=1, host=h, username=u, pid=109)";
    await rpc(run9, "add_worker", { worker, info: [["host", "h"]] });
    await rpc(run9, "add_task", { worker, task_id: "Nine_1", family: "Nine", params: {} });
    expect(await rpc(s1.url, "release_run_workers", { run_id: 9 })).toEqual({ workers: [worker], failed_tasks: [] });
    await s1.close();
    const s2 = await start();
    const workers = await rpc<Array<{ name: string }>>(s2.url, "worker_list", {});
    expect(workers.map((w) => w.name)).not.toContain(worker);
  });

  it("refuses a run id that is not a positive integer, and a /runs/ path that is not a run's", async () => {
    const s = server ?? (await start());
    for (const bad of [0, -1, 1.5, "7", null]) {
      const error = await rpc(s.url, "release_run_workers", { run_id: bad }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RpcStatusError);
      expect((error as RpcStatusError).body).toContain("run_id");
    }
    for (const base of [`${s.url}/runs/0`, `${s.url}/runs/x`, `${s.url}/runs/7/8`]) {
      const error = await rpc(base, "is_paused").catch((e: unknown) => e);
      expect((error as RpcStatusError).status, base).toBe(404);
    }
    expect(await rpc(`${s.url}/runs/123456789`, "is_paused")).toEqual({ paused: false });
  });
});
