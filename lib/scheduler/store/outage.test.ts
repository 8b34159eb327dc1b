import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { RpcStatusError, rpc } from "@/lib/scheduler/testing/rpc-client";
import { proxyDatabase, type TcpProxy } from "@/lib/scheduler/testing/tcp-proxy";

// PostgreSQL becomes unreachable: calls that change state get 503 with a JSON reason (nothing
// is acknowledged that is not durable), reads still answer from memory, the process stays up,
// and once the database is back the scheduler reconnects and accepts changes again.

const logger = createLogger("outage-test", "error", () => {}); // the outage is expected: keep its error line out of the output
const W = "Worker(salt=9, workers=1, host=h, username=u, pid=9)";

describe("database outage", () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: SchedulerServer;

  beforeAll(async () => {
    db = await createTestDatabase();
    const proxied = await proxyDatabase(db.url);
    proxy = proxied.proxy;
    server = await startSchedulerServer({ host: "127.0.0.1", port: 0, config: buildSchedulerConfig({ switchyard: { prune_interval: "0" } }), databaseUrl: proxied.url, logger });
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await db?.drop();
  });

  it("refuses changes with 503 while PostgreSQL is away, answers reads, and recovers", async () => {
    await rpc(server.url, "add_task", { worker: W, task_id: "Before_1", family: "Before", params: {} });
    proxy.cut();
    const failed = await rpc(server.url, "add_task", { worker: W, task_id: "During_1", family: "During", params: {} }).catch((e) => e);
    expect(failed).toBeInstanceOf(RpcStatusError);
    expect((failed as RpcStatusError).status).toBe(503);
    expect(JSON.parse((failed as RpcStatusError).body).error.code).toBe("database_unavailable");
    const refused = await rpc(server.url, "pause").catch((e) => e);
    expect((refused as RpcStatusError).status).toBe(503); // known down: refused before running
    expect(await rpc(server.url, "is_paused")).toEqual({ paused: false });
    expect(Object.keys(await rpc<object>(server.url, "task_list", {}))).toContain("Before_1");
    const metrics = await fetch(server.url + "/metrics").then((r) => r.text());
    expect(metrics).toMatch(/^switchyard_scheduler_database_up 0$/m);

    proxy.restore();
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const ok = await rpc(server.url, "add_task", { worker: W, task_id: "After_1", family: "After", params: {} }).then(() => true, () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // During_1 ran in memory before the write failed; it is written once the database is back
    const tasks = async () => (await db.pool.query("SELECT task_id FROM scheduler_tasks ORDER BY task_id")).rows.map((r) => r.task_id);
    await expect.poll(tasks).toEqual(["After_1", "Before_1", "During_1"]);
  }, 30_000);
});
