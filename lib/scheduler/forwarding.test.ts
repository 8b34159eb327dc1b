import http from "node:http";
import { describe, expect, it } from "vitest";
import { buildSchedulerConfig, SchedulerConfigError } from "@/lib/scheduler/config";
import { schedulerProcesses } from "@/lib/scheduler/testing/daemon-process";
import { rpc, RpcStatusError } from "@/lib/scheduler/testing/rpc-client";

// A standby forwards what it receives to the active scheduler's advertise_url (http/forward.ts),
// so a Kubernetes Service may send calls to every scheduler pod; /healthz/serving says a pod
// answers (itself or by forwarding). Real processes on a real PostgreSQL.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** node:http, which sends the Host header given (fetch puts the URL's). */
const rawStatus = (url: string, headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) => http.get(url, { headers }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on("error", reject));
const status = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers, signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);

describe("a standby that forwards to the active scheduler", () => {
  const schedulers = schedulerProcesses({ advertise: true });
  const start = schedulers.start;

  it("answers with the active one's answers, forwards once at most, and serves itself after a takeover", async () => {
    const a = await start(false);
    const b = await start(true);
    expect([await status(a.url + "/healthz/ready"), await status(b.url + "/healthz/ready")]).toEqual([200, 503]);
    for (let waited = 0; (await status(b.url + "/healthz/serving")) !== 200 && waited < 5_000; waited += 50) await sleep(50);
    expect(await status(b.url + "/healthz/serving")).toBe(200);

    const big = "x".repeat(200_000); // a body of many TCP segments, each way
    await rpc(b.url, "add_task", { worker: "w", task_id: "Through_1", family: "Through", params: { big }, status: "PENDING", runnable: true });
    const onA = await rpc<Record<string, { status: string }>>(a.url, "task_list", {});
    expect(onA).toMatchObject({ Through_1: { status: "PENDING", params: { big } } });
    expect(await rpc(b.url, "task_list", {})).toEqual(onA);
    // the visualiser's pages too, and what the active one refuses comes back as it is
    expect(await status(b.url + "/api/task_list?data=%7B%7D")).toBe(200);
    expect(await rawStatus(b.url + "/api/task_list", { Host: "evil.example.com" })).toBe(403); // DNS rebinding protection, by the active one
    expect(await fetch(b.url + "/metrics").then((r) => r.text())).toMatch(/^switchyard_scheduler_forwarded_total [4-9]$/m);
    // the audit names the client and the standby; a forged address sent straight to the active one is not believed
    await rpc(b.url, "pause");
    await rawStatus(a.url + "/api/unpause", { "x-switchyard-forwarded-for": "10.9.9.9", "x-switchyard-forwarded": "forged" });
    const actors = await schedulers.db.pool.query<{ action: string; actor: string }>("SELECT action, actor FROM audit_log WHERE action IN ('scheduler.pause', 'scheduler.unpause') GROUP BY action, actor ORDER BY min(id)");
    expect(actors.rows).toEqual([
      { action: "scheduler.pause", actor: "scheduler client 127.0.0.1 via standby 127.0.0.1" },
      { action: "scheduler.unpause", actor: "scheduler client 127.0.0.1" },
    ]);
    // a request that was forwarded once is not forwarded again (a stale leader row cannot loop)
    expect(await status(b.url + "/api/task_list", { "x-switchyard-forwarded": "1" })).toBe(503);

    await a.kill("SIGKILL");
    let answered: unknown = null;
    for (let attempt = 0; attempt < 100 && answered === null; attempt++) {
      answered = await rpc(b.url, "task_list", {}).catch((e: RpcStatusError) => {
        expect(e.status).toBe(503); // the dead active one unreachable: the standby's own 503, which Luigi retries
        return null;
      });
      if (answered === null) await sleep(50);
    }
    expect(answered).toMatchObject({ Through_1: { status: "PENDING" } });
    expect(await fetch(b.url + "/healthz/serving").then((r) => r.json())).toEqual({ ready: true, role: "active" });
  }, 60_000);

  it("refuses an advertise_url that is not a bare http(s) URL", () => {
    expect(() => buildSchedulerConfig({ switchyard: { advertise_url: "10.1.2.3:8082" } })).toThrow(SchedulerConfigError);
    expect(() => buildSchedulerConfig({ switchyard: { advertise_url: "http://10.1.2.3:8082/api" } })).toThrow(/advertise_url: expected an http:\/\/ or https:\/\/ URL with no path/);
    expect(buildSchedulerConfig({ switchyard: { advertise_url: "http://10.1.2.3:8082" } }).server.advertise_url).toBe("http://10.1.2.3:8082");
  });
});
