import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { taskIdStr } from "@/lib/pipeline/task-id";
import { createSchedulerClient } from "@/lib/runner/scheduler-client";
import { defaultSchedulerConfig, startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { freePort } from "@/lib/testing/free-port";

// How the runner finds a run's root task in a real scheduler: by the id Luigi gives its family
// and parameters (dep_graph, which costs the root's unfinished closure), and by a search of the
// display names only when the id differs — a search reads every task the scheduler holds.

let scheduler: SchedulerServer;

beforeAll(async () => {
  scheduler = await startSchedulerServer({ host: "127.0.0.1", port: await freePort(), config: defaultSchedulerConfig() });
});
afterAll(async () => scheduler?.close());

async function addTask(taskId: string, family: string, params: Record<string, string>, status = "PENDING") {
  const body = { task_id: taskId, status, family, params, worker: "w1" };
  const res = await fetch(`${scheduler.url}/api/add_task`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `data=${encodeURIComponent(JSON.stringify(body))}` });
  expect(res.status).toBe(200);
}

/** How many task_list calls the scheduler has answered (its /metrics). */
async function searches(): Promise<number> {
  const text = await (await fetch(`${scheduler.url}/metrics`)).text();
  return Number(/^switchyard_scheduler_rpc_duration_seconds_count\{method="task_list"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

describe("the runner's scheduler client", () => {
  it("finds a root by its Luigi id without searching, with its status and last change", async () => {
    const params = { day: "2026-12-03", service_id: "acme" };
    const id = taskIdStr("AllDailyTask", params);
    await addTask(id, "AllDailyTask", params, "DONE");
    await addTask(taskIdStr("AllDailyTask", { ...params, service_id: "other" }), "AllDailyTask", { ...params, service_id: "other" });
    const before = await searches();
    const found = await createSchedulerClient(scheduler.url).findTask({ family: "AllDailyTask", params });
    expect(found).toEqual({ taskId: id, status: "DONE", lastUpdated: expect.any(Number) });
    expect(await searches()).toBe(before);
  });

  it("falls back to the search when the scheduler's id differs (a parameter the command line does not give)", async () => {
    const full = { day: "2026-12-03", service_id: "acme", shard: "0" };
    const id = taskIdStr("Report", full);
    await addTask(id, "Report", full, "FAILED");
    const before = await searches();
    const found = await createSchedulerClient(scheduler.url).findTask({ family: "Report", params: { day: "2026-12-03", service_id: "acme" } });
    expect(found).toMatchObject({ taskId: id, status: "FAILED" });
    expect(await searches()).toBe(before + 1);
    expect(await createSchedulerClient(scheduler.url).findTask({ family: "Report", params: { day: "2026-12-04", service_id: "acme" } })).toBeNull();
  });

  it("gives a run its own URL on Switchyard's scheduler, and the plain one where nothing answers there (a luigid: 404)", async () => {
    const ours = createSchedulerClient(`${scheduler.url}/`);
    expect(await ours.urlForRun(41)).toEqual({ url: `${scheduler.url}/runs/41`, own: true });
    expect(await ours.releaseRun(41)).toEqual({ workers: [], failedTasks: [] });
    // luigid answers any path outside its routes with Tornado's 404
    const luigid = http.createServer((req, res) => {
      const known = req.url?.startsWith("/api/");
      res.writeHead(known ? 200 : 404, { "Content-Type": "text/html" });
      res.end(known ? '{"response": {"paused": false}}' : "<html><title>404: Not Found</title></html>");
    });
    await new Promise<void>((r) => luigid.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(luigid.address() as AddressInfo).port}`;
    try {
      expect(await createSchedulerClient(url).urlForRun(41)).toEqual({ url, own: false });
    } finally {
      luigid.close();
    }
  });
});
