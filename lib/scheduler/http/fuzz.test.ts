import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { METHODS } from "@/lib/scheduler/core/rpc-methods";
import { startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { indexProblems } from "@/lib/scheduler/testing/check-indexes";
import { formBody, pythonDumps, rawRequest } from "@/lib/scheduler/testing/http-client";
import { rpc } from "@/lib/scheduler/testing/rpc-client";

// Hostile input never crashes the scheduler or corrupts its state: bad JSON, wrong types,
// missing and extra fields, huge and deeply nested bodies, random bytes. Every answer is a 200,
// or a 500 whose JSON body says what was wrong (luigid: 500 with an HTML page), or 404/405/413
// where the route or size calls for it. Afterwards the indexes are consistent, normal work still
// flows, and a restart from PostgreSQL restores exactly the same state.

const CAP = 12 * 1024 * 1024;
const config = buildSchedulerConfig({ switchyard: { prune_interval: "0", max_body_bytes: String(CAP) }, resources: { pool: "2" } });
const logger = createLogger("fuzz", "error");
const NOW = 1_800_000_000;

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

function randomValue(rand: () => number, depth = 0): unknown {
  const r = rand();
  const strings = ["", "PENDING", "DONE", "FAILED", "RUNNING", "x", "caf\u00e9 </script>", "\ud83d\ude00", "T_1", "T_2", "w-fuzz", "a".repeat(300)];
  if (r < 0.15) return strings[Math.floor(rand() * strings.length)];
  if (r < 0.3) return [0, 1, -1, 2.5, 1e300, -1e-300, 2 ** 53 + 1][Math.floor(rand() * 7)];
  if (r < 0.4) return rand() < 0.5;
  if (r < 0.5) return null;
  if (depth > 3) return "deep";
  if (r < 0.75) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 4); i > 0; i--) obj[["pool", "n", "k", "retry_count", "x y", "\u00e9"][Math.floor(rand() * 6)]] = randomValue(rand, depth + 1);
  return obj;
}

let requests = 0;

async function expectSafe(server: SchedulerServer, res: Awaited<ReturnType<typeof rawRequest>>, what: string) {
  expect([200, 500], what).toContain(res.status);
  if (res.status === 500) expect(JSON.parse(res.body.toString()).error, what).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  // a full index rebuild is expensive: check every 25 requests (and at the end)
  if (++requests % 25 === 0) expect(indexProblems(server.scheduler.state), what).toEqual([]);
}

describe("hostile input", () => {
  let db: TestDatabase;
  let server: SchedulerServer;
  const start = () => startSchedulerServer({ host: "127.0.0.1", port: 0, config, databaseUrl: db.url, logger, clock: () => NOW });

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await start();
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it.each([
    ["invalid JSON", "data=%7Bbad"],
    ["an empty data field", "data="],
    ["a JSON list", "data=%5B%5D"],
    ["a JSON string", "data=%22x%22"],
    ["deep nesting", "data=" + "%5B".repeat(20000) + "%5D".repeat(20000)],
    ["NaN where a number is needed", "data=" + encodeURIComponent('{"worker": "w", "task_id": "N_1", "priority": NaN}')],
    ["a NUL character", "data=" + encodeURIComponent('{"worker": "w\\u0000", "task_id": "N_1"}')],
    ["a lone surrogate", "data=" + encodeURIComponent('{"worker": "w", "task_id": "S_1", "params": {"x": "\\udfff"}}')],
    ["a __proto__ key", "data=" + encodeURIComponent('{"worker": "w", "task_id": "P_1", "params": {"__proto__": {"x": 1}}}')],
    ["a missing required argument", "data=" + encodeURIComponent('{"task_id": "X_1"}')],
    ["an unknown argument", "data=" + encodeURIComponent('{"worker": "w", "task_id": "X_1", "status": "BOGUS"}')],
  ])("answers %s with a 500 and a JSON explanation", async (_name, body) => {
    const res = await rawRequest(server.url, { method: "POST", path: "/api/add_task", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body.toString()).error.message).toBeTruthy();
  });

  it("routes unknown methods to 404, other verbs to 405, and over-sized bodies to 413", async () => {
    expect((await rawRequest(server.url, { method: "POST", path: "/api/no_such_method" })).status).toBe(404);
    expect((await rawRequest(server.url, { method: "DELETE", path: "/api/task_list" })).status).toBe(405);
    expect((await rawRequest(server.url, { method: "PUT", path: "/api/add_task", body: "data=%7B%7D" })).status).toBe(405);
    const big = Buffer.alloc(CAP + 1024, "a");
    const res = await rawRequest(server.url, { method: "POST", path: "/api/task_list", body: big, headers: { "Content-Type": "application/x-www-form-urlencoded" } }).catch((e) => ({ status: -1, error: e }));
    expect([413, -1]).toContain(res.status); // the server may close the socket while the client still sends
    expect((await rawRequest(server.url, { method: "HEAD", path: "/" })).status).toBe(204);
  });

  it("survives random arguments to every method, then still works and restarts to the same state", async () => {
    const rand = rng(42);
    for (const [method, spec] of Object.entries(METHODS)) {
      for (let round = 0; round < 20; round++) {
        const data: Record<string, unknown> = {};
        for (const [name] of spec.params) if (rand() < 0.8) data[name] = rand() < 0.5 && name.includes("worker") ? "w-fuzz" : randomValue(rand);
        if (rand() < 0.2) data[["extra", "unexpected", "n"][Math.floor(rand() * 3)]] = randomValue(rand);
        const text = pythonDumps(data);
        const res =
          rand() < 0.5
            ? await rawRequest(server.url, { method: "POST", path: `/api/${method}`, body: formBody(text), headers: { "Content-Type": "application/x-www-form-urlencoded" } })
            : await rawRequest(server.url, { method: "GET", path: `/api/${method}`, query: "data=" + encodeURIComponent(text) });
        await expectSafe(server, res, `${method} ${text.slice(0, 200)}`);
      }
      const junk = Buffer.from(Array.from({ length: 64 }, () => Math.floor(rand() * 256)));
      await expectSafe(server, await rawRequest(server.url, { method: "POST", path: `/api/${method}`, body: junk, headers: { "Content-Type": "application/x-www-form-urlencoded" } }), `${method} random bytes`);
    }
    await rpc(server.url, "unpause");
    await rpc(server.url, "add_task", { worker: "after-fuzz", task_id: "AfterFuzz_1", family: "AfterFuzz", params: {} });
    expect(await rpc<{ task_id: string }>(server.url, "get_work", { worker: "after-fuzz", host: "h", current_tasks: [] })).toMatchObject({ task_id: "AfterFuzz_1" });
    const before = await rawRequest(server.url, { method: "GET", path: "/api/task_list", query: "data=" + encodeURIComponent('{"limit": false}') });
    const workersBefore = await rpc(server.url, "worker_list", {});
    await server.close();
    server = await start();
    const after = await rawRequest(server.url, { method: "GET", path: "/api/task_list", query: "data=" + encodeURIComponent('{"limit": false}') });
    expect(after.body.toString()).toEqual(before.body.toString());
    expect(await rpc(server.url, "worker_list", {})).toEqual(workersBefore);
    expect(indexProblems(server.scheduler.state)).toEqual([]);
  }, 120_000);

  it("stores and returns a 10 MB parameter intact, also after a restart", async () => {
    const value = "0123456789abcdef".repeat(640 * 1024) + "caf\u00e9 </script>"; // a 10 MB body
    await rpc(server.url, "add_task", { worker: "big-worker", task_id: "Big_1", family: "Big", params: { blob: value } });
    const err = await rpc<{ taskParams: Record<string, string> }>(server.url, "fetch_error", { task_id: "Big_1" });
    expect(err.taskParams.blob === value).toBe(true);
    await server.close();
    server = await start();
    const again = await rpc<{ taskParams: Record<string, string> }>(server.url, "fetch_error", { task_id: "Big_1" });
    expect(again.taskParams.blob === value).toBe(true);
  }, 60_000);
});
