import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { formBody, rawRequest } from "@/lib/scheduler/testing/http-client";
import { metricValue } from "@/lib/scheduler/testing/metrics";
import { rpc } from "@/lib/scheduler/testing/rpc-client";

// luigid's transport details that the fixtures do not show (SPEC §1): gzip for large bodies,
// CORS when enabled, Python-style JSON text, the bare Infinity Python sends, Prometheus metrics,
// and /static/ from a configured folder.

describe("HTTP transport", () => {
  let server: SchedulerServer;
  const staticDir = fs.mkdtempSync(path.join(os.tmpdir(), "luigi-static-"));

  beforeAll(async () => {
    fs.mkdirSync(path.join(staticDir, "visualiser"));
    fs.writeFileSync(path.join(staticDir, "visualiser", "index.html"), "<html>visualiser</html>");
    const config = buildSchedulerConfig({
      cors: { enabled: "true", allowed_origins: '["https://ops.example"]' },
      switchyard: { prune_interval: "0", static_dir: staticDir },
    });
    server = await startSchedulerServer({ host: "127.0.0.1", port: 0, config, logger: createLogger("transport", "error") });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(staticDir, { recursive: true, force: true });
  });

  it("writes JSON like Tornado: ', ' and ': ' separators, \\uXXXX escapes and <\\/", async () => {
    await rpc(server.url, "add_task", { worker: "w", task_id: "T_1", family: "T", params: { text: "caf\u00e9 </script>" } });
    const res = await rawRequest(server.url, { method: "POST", path: "/api/fetch_error", body: formBody('{"task_id": "T_1"}'), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(res.headers["content-type"]).toBe("application/json; charset=UTF-8");
    expect(res.body.toString()).toBe('{"response": {"taskId": "T_1", "error": null, "displayName": "T(text=caf\\u00e9 <\\/script>)", "taskParams": {"text": "caf\\u00e9 <\\/script>"}, "taskModule": null, "taskFamily": "T"}}');
  });

  it("accepts the bare Infinity that Python workers send", async () => {
    const body = "data=" + encodeURIComponent('{"worker": "w", "task_family": "T", "batched_args": ["text"], "max_batch_size": Infinity}');
    const res = await rawRequest(server.url, { method: "POST", path: "/api/add_task_batcher", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(200);
  });

  it("gzips bodies of 1024 bytes or more when asked, and adds an Etag to GET answers", async () => {
    for (let i = 0; i < 20; i++) await rpc(server.url, "add_task", { worker: "w", task_id: `G_${i}`, family: "G", params: { i: String(i) } });
    const query = "data=" + encodeURIComponent('{"status": "PENDING"}');
    const plain = await rawRequest(server.url, { method: "GET", path: "/api/task_list", query });
    const zipped = await rawRequest(server.url, { method: "GET", path: "/api/task_list", query, headers: { "Accept-Encoding": "gzip, deflate" } });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.headers.vary).toBe("Accept-Encoding");
    const small = await rawRequest(server.url, { method: "GET", path: "/api/is_paused", headers: { "Accept-Encoding": "gzip" } });
    expect(small.headers["content-encoding"]).toBeUndefined();
    const again = await rawRequest(server.url, { method: "GET", path: "/api/task_list", query, headers: { "If-None-Match": String(plain.headers.etag) } });
    expect(again.status).toBe(304);
    const post = await rawRequest(server.url, { method: "POST", path: "/api/is_paused" });
    expect(post.headers.etag).toBeUndefined();
  });

  it("echoes an allowed Origin and answers preflights", async () => {
    const allowed = await rawRequest(server.url, { method: "OPTIONS", path: "/api/task_list", headers: { Origin: "https://ops.example" } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://ops.example");
    expect(allowed.headers["access-control-allow-methods"]).toBe("GET, OPTIONS");
    const other = await rawRequest(server.url, { method: "GET", path: "/api/is_paused", headers: { Origin: "https://evil.example" } });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("serves health, the visualiser redirect, static files and Prometheus metrics", async () => {
    expect((await rawRequest(server.url, { method: "HEAD", path: "/" })).status).toBe(204);
    const root = await rawRequest(server.url, { method: "GET", path: "/" });
    expect([root.status, root.headers.location]).toEqual([302, "static/visualiser/index.html"]);
    const page = await rawRequest(server.url, { method: "GET", path: "/static/visualiser/index.html" });
    expect([page.status, page.body.toString()]).toEqual([200, "<html>visualiser</html>"]);
    expect((await rawRequest(server.url, { method: "GET", path: "/static/../../etc/passwd" })).status).toBe(404);
    const metrics = (await rawRequest(server.url, { method: "GET", path: "/metrics" })).body.toString();
    expect(metrics).toMatch(/^switchyard_scheduler_tasks\{status="PENDING"\} 21$/m);
    expect(metrics).toMatch(/^switchyard_scheduler_rpc_duration_seconds_count\{method="add_task"\} \d+$/m);
    expect(metrics).toMatch(/^switchyard_scheduler_workers\{state="active"\} 1$/m);
  });

  it("says how to get the visualiser when no static_dir is set", async () => {
    const bare = await startSchedulerServer({ host: "127.0.0.1", port: 0, config: buildSchedulerConfig({ switchyard: { prune_interval: "0" } }), logger: createLogger("transport", "error") });
    try {
      const root = await rawRequest(bare.url, { method: "GET", path: "/" });
      expect([root.status, root.headers.location]).toEqual([302, "static/visualiser/index.html"]); // as luigid, always
      const page = await rawRequest(bare.url, { method: "GET", path: "/static/visualiser/index.html" });
      expect(page.status).toBe(404);
      expect(page.body.toString()).toMatch(/static_dir.*\[switchyard\].*SWITCHYARD_SCHEDULER_STATIC_DIR/s);
    } finally {
      await bare.close();
    }
  });

  it("answers other calls while it writes a big task_list", async () => {
    const own = await startSchedulerServer({ host: "127.0.0.1", port: 0, config: buildSchedulerConfig({ switchyard: { prune_interval: "0" } }), logger: createLogger("transport", "error") });
    try {
      for (let i = 0; i < 40_000; i++) own.scheduler.add_task({ task_id: `Big_${i}`, status: "PENDING", runnable: true, deps: null, new_deps: null, expl: null, resources: null, priority: 0, family: "Big", module: "m", params: { i: String(i) }, param_visibilities: null, accepts_messages: false, assistant: false, tracking_url: null, worker: "w", batchable: null, batch_id: null, retry_policy_dict: null });
      // The order in which this process hears: the ping's whole answer, and the first byte of the
      // task_list's. Written in one piece, the task_list would go out before the ping was even read.
      const heard: string[] = [];
      const list = new Promise<Buffer>((resolve, reject) => {
        const body = formBody('{"status": "PENDING"}');
        const req = http.request(`${own.url}/api/task_list`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) } }, (res) => {
          heard.push("task_list");
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve(Buffer.concat(chunks)));
        });
        req.on("error", reject);
        req.end(body);
      });
      await new Promise((r) => setTimeout(r, 5)); // the task_list request is in, and being written
      const ping = rpc(own.url, "ping", { worker: "w" }).then(() => heard.push("ping"));
      const [reply] = await Promise.all([list, ping]);
      expect(Object.keys(JSON.parse(reply.toString()).response)).toHaveLength(40_000);
      expect(heard).toEqual(["ping", "task_list"]);
    } finally {
      await own.close();
    }
  });

  it("counts how late the event loop ran: a loop held for 140 ms shows in the buckets over 100 ms", async () => {
    const scrape = async () => (await rawRequest(server.url, { method: "GET", path: "/metrics" })).body.toString();
    const bucket = (text: string, le: string) => metricValue(text, `switchyard_scheduler_event_loop_delay_seconds_bucket{le="${le}"}`);
    const over100ms = (text: string) => bucket(text, "+Inf") - bucket(text, "0.1");
    await new Promise((r) => setTimeout(r, 50)); // the probe has ticked
    const before = await scrape();
    expect(bucket(before, "+Inf")).toBeGreaterThan(0);
    const until = performance.now() + 140; // the probe, due within 20 ms, runs 120-140 ms late
    while (performance.now() < until); // the scheduler runs in this process: its loop is held too
    await new Promise((r) => setTimeout(r, 50));
    expect(over100ms(await scrape())).toBeGreaterThanOrEqual(over100ms(before) + 1);
  });
});
