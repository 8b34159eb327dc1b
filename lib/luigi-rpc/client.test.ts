import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LuigiClient, LuigiRpcError } from "@/lib/luigi-rpc/client";
import { createLogger } from "@/lib/log/logger";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { freePort } from "@/lib/testing/free-port";

// The one Luigi client against the real scheduler and real network failures: Luigi's retry policy
// (a try per attempt, a fixed pause, 5xx and transport errors retried, 4xx not), the per-try
// timeout, credentials in the URL sent as Basic auth, and a base URL with a path prefix.

describe("LuigiClient", () => {
  let server: SchedulerServer;
  let silent: net.Server;
  let silentPort: number;

  beforeAll(async () => {
    const config = buildSchedulerConfig({ switchyard: { prune_interval: "0" }, scheduler: { auth_users: "ops:pw%with:colon" } });
    server = await startSchedulerServer({ host: "127.0.0.1", port: 0, config, logger: createLogger("client-test", "error") });
    // accepts connections and never answers: the timeout's case
    silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    silentPort = (silent.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await server?.close();
    silent?.close();
  });

  it("sends the URL's credentials as Basic auth and never shows the secret", async () => {
    const client = new LuigiClient(server.url.replace("http://", "http://ops:pw%25with%3Acolon@"), { attempts: 1 });
    expect(await client.call("is_paused")).toEqual({ paused: false });
    expect(client.url).not.toContain("pw");
    client.close();
    const anonymous = new LuigiClient(server.url, { attempts: 3, retryWaitMs: 10_000 });
    const started = Date.now();
    const error = (await anonymous.call("is_paused").catch((e) => e)) as LuigiRpcError;
    expect(error).toMatchObject({ kind: "http", status: 401 });
    expect(Date.now() - started).toBeLessThan(5_000); // a 401 is not retried
    anonymous.close();
  });

  it("retries a transport failure with Luigi's fixed pause, then gives up with the cause", async () => {
    const retries: number[] = [];
    const client = new LuigiClient(`http://127.0.0.1:${await freePort()}`, { attempts: 3, retryWaitMs: 50, onRetry: (_m, attempt) => retries.push(attempt) });
    const error = (await client.call("ping", { worker: "w" }).catch((e) => e)) as LuigiRpcError;
    expect(error).toMatchObject({ kind: "unreachable", reason: "ECONNREFUSED" });
    expect(retries).toEqual([1, 2]);
  });

  it("gives up on a silent scheduler after the per-try timeout", async () => {
    const client = new LuigiClient(`http://127.0.0.1:${silentPort}/luigi`, { attempts: 2, retryWaitMs: 10, timeoutMs: 200 });
    const started = Date.now();
    const error = (await client.call("ping", { worker: "w" }).catch((e) => e)) as LuigiRpcError;
    expect(error.kind).toBe("unreachable");
    expect(error.reason).toMatch(/no answer within 200 ms/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
