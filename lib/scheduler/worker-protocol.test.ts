import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { LuigiTestWorker, type TaskSpec } from "@/lib/scheduler/testing/luigi-worker";
import { rpc } from "@/lib/scheduler/testing/rpc-client";

// Whole runs through the Luigi worker protocol (testing/luigi-worker.ts, written from SPEC §11):
// several workers with several processes each, over real HTTP, against one scheduler.

const logger = createLogger("worker-protocol", "error");
let server: SchedulerServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const start = (sections: Record<string, Record<string, string>> = {}) =>
  startSchedulerServer({ host: "127.0.0.1", port: 0, config: buildSchedulerConfig({ ...sections, switchyard: { prune_interval: "0.2", ...sections.switchyard } }), logger }).then((s) => (server = s));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Luigi workers against the scheduler", () => {
  it("runs a shared DAG with two workers: every task once, dependencies first", async () => {
    const s = await start();
    const finished = new Map<string, number>();
    const specs = new Map<string, TaskSpec>();
    const add = (id: string, deps: string[]) =>
      specs.set(id, {
        id,
        family: id.split("_")[0],
        params: { n: id },
        deps,
        run: async () => {
          for (const d of deps) if (!finished.has(d)) throw new Error(`${id} ran before ${d}`);
          await sleep(5);
          finished.set(id, (finished.get(id) ?? 0) + 1);
          return "DONE";
        },
      });
    for (let i = 0; i < 8; i++) add(`Extract_${i}`, []);
    for (let i = 0; i < 4; i++) add(`Transform_${i}`, [`Extract_${2 * i}`, `Extract_${2 * i + 1}`]);
    add("Load_0", ["Transform_0", "Transform_1"]);
    add("Load_1", ["Transform_2", "Transform_3"]);
    add("Report_0", ["Load_0", "Load_1"]);
    const [a, b] = await Promise.all([
      new LuigiTestWorker(s.url, specs, { name: "a", processes: 3, keepAlive: true }).run(["Report_0"]),
      new LuigiTestWorker(s.url, specs, { name: "b", processes: 2, keepAlive: true }).run(["Report_0"]),
    ]);
    expect([...finished.values()].every((n) => n === 1)).toBe(true);
    expect(finished.size).toBe(15);
    expect(a.ran.length + b.ran.length).toBe(15);
    const list = await rpc<Record<string, { status: string }>>(s.url, "task_list", { status: "DONE" });
    expect(Object.keys(list).sort()).toEqual([...specs.keys()].sort());
  });

  it("never runs more tasks on a resource than its capacity", async () => {
    const s = await start({ resources: { pool: "2" } });
    let now = 0;
    let peak = 0;
    const specs = new Map<string, TaskSpec>();
    const ids = Array.from({ length: 6 }, (_, i) => `UsesPool_${i}`);
    for (const id of ids) {
      specs.set(id, {
        id,
        family: "UsesPool",
        params: { id },
        resources: { pool: 1 },
        run: async () => {
          peak = Math.max(peak, ++now);
          await sleep(30);
          now--;
          return "DONE";
        },
      });
    }
    specs.set("All_0", { id: "All_0", family: "All", deps: ids });
    const result = await new LuigiTestWorker(s.url, specs, { name: "r", processes: 4 }).run(["All_0"]);
    expect(result.ran.sort()).toEqual(["All_0", ...ids].sort());
    expect(peak).toBe(2);
  });

  it("handles dynamic dependencies and retries a failed task after retry_delay", async () => {
    const s = await start({ scheduler: { retry_delay: "0.3" } });
    const specs = new Map<string, TaskSpec>([
      ["Parent_0", { id: "Parent_0", family: "Parent", run: async (n) => (n === 1 ? { newDeps: ["Child_0"] } : "DONE") }],
      ["Child_0", { id: "Child_0", family: "Child", run: async (n) => (n === 1 ? "FAILED" : "DONE") }],
    ]);
    const result = await new LuigiTestWorker(s.url, specs, { name: "d", keepAlive: true, waitMs: 100 }).run(["Parent_0"]);
    expect(result.failed).toEqual(["Child_0"]);
    expect(result.ran).toEqual(["Child_0", "Parent_0"]);
    const graph = await rpc<Record<string, { deps: string[]; status: string }>>(s.url, "dep_graph", { task_id: "Parent_0" });
    expect(graph.Parent_0).toMatchObject({ status: "DONE", deps: ["Child_0"] });
  });
});
