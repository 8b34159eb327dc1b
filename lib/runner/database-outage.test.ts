import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "@/lib/db/pool";
import { registerRunner } from "@/lib/db/hosts/runners";
import { enqueueRuns } from "@/lib/db/runs/enqueue-runs";
import { withTransaction } from "@/lib/db/transaction";
import type { Runner } from "@/lib/runner/runner";
import { addService, removeTempDirs, testRunner, waitFor } from "@/lib/runner/testing/runner-harness";
import { startBlackholeProxy } from "@/lib/testing/blackhole-proxy";
import { ownPostgres, type OwnPostgres } from "@/lib/testing/own-postgres";

// The database going away under several runners: a real embedded PostgreSQL of this test's own,
// stopped and started again, and two runners with real child processes. Nothing that was running
// well may be declared lost for an outage every runner shared.

let pgsrv: OwnPostgres;
const pools: ReturnType<typeof createPool>[] = [];
const runners: Runner[] = [];

beforeAll(async () => {
  pgsrv = await ownPostgres("runner-outage");
}, 120_000);

afterAll(async () => {
  for (const r of runners) await r.stop().catch(() => {});
  for (const p of pools) await p.end().catch(() => {});
  await pgsrv?.remove();
  removeTempDirs();
});

const day = (d: string) => ({ kind: "daily" as const, periodStart: new Date(`${d}T00:00:00Z`), periodDate: d, periodHour: null, trigger: "manual" as const, queuePriority: 0, force: false, fromTask: null, requestKey: null, requestedBy: "test", reason: null });

describe("runners through a database outage", () => {
  it("a PostgreSQL restart longer than staleSeconds loses no run: every runner was out of touch, none is declared dead for it", async () => {
    const pool = createPool(pgsrv.server.url, { max: 2 });
    pools.push(pool);
    const serviceId = await addService(pool, { name: "steady", dailyCommand: "sleep 120", timeoutSeconds: 600 });
    for (const name of ["runner-a", "runner-b"]) {
      const own = createPool(pgsrv.server.url, { max: 4 });
      pools.push(own);
      const runner = testRunner(own, { runnerId: name, maxRunning: 1 });
      runners.push(runner);
      await runner.start();
    }
    const queued = await enqueueRuns(pool, [{ serviceId, ...day("2026-11-01") }, { serviceId, ...day("2026-11-02") }]);
    const ids = queued.map((q) => q.run.id);
    const running = async () => (await pool.query("SELECT runner_id FROM runs WHERE id = ANY($1) AND status = 'running' AND pid IS NOT NULL ORDER BY runner_id", [ids])).rows.map((r) => r.runner_id);
    await waitFor("a run on each runner", async () => (await running()).join() === "runner-a,runner-b", 30_000);
    // A third runner that dies with the outage (a heartbeat just before it, never another): its
    // run must still be found lost once the others are back.
    await registerRunner(pool, { id: "runner-gone", pid: 1, version: null, host: { name: "other-host", cpuCount: 1, memoryTotalBytes: 1 } });
    const goneRun = await withTransaction(pool, async (client) => {
      const [{ run }] = await enqueueRuns(client, [{ serviceId, ...day("2026-11-03") }]);
      await client.query("UPDATE runs SET status = 'running', runner_id = 'runner-gone', host = 'other-host', started_at = now() WHERE id = $1", [run.id]);
      return run.id;
    });

    await pgsrv.stop();
    await new Promise((r) => setTimeout(r, 5_000)); // longer than staleSeconds (3): every heartbeat is older than that
    await pgsrv.start();
    const back = Date.now();
    // both runners heartbeat again, and then a full staleSeconds and more pass with both in touch
    await waitFor("both runners to heartbeat again", async () => {
      const r = await pool.query("SELECT count(*)::int AS n FROM runners WHERE id IN ('runner-a', 'runner-b') AND heartbeat_at > now() - interval '1 second'");
      return r.rows[0].n === 2;
    }, 30_000);
    await waitFor("the dead runner's run to be lost", async () => (await pool.query("SELECT status FROM runs WHERE id = $1", [goneRun])).rows[0].status === "lost", 15_000);
    // not before the first runner back has been in touch for staleSeconds (3)
    expect(Date.now() - back).toBeGreaterThanOrEqual(3_000);
    await new Promise((r) => setTimeout(r, Math.max(0, back + 6_000 - Date.now())));

    const statuses = (await pool.query("SELECT id, status, runner_id, error FROM runs WHERE id = ANY($1) ORDER BY id", [ids])).rows;
    expect(statuses).toEqual([
      { id: ids[0], status: "running", runner_id: expect.any(String), error: null },
      { id: ids[1], status: "running", runner_id: expect.any(String), error: null },
    ]);
    expect(await running()).toEqual(["runner-a", "runner-b"]);
    // out of the next test's way: stopped runners put their runs back in the queue
    for (const r of runners.splice(0)) await r.stop();
    await pool.query("UPDATE runs SET status = 'cancelled', finished_at = now() WHERE status = 'queued'");
  }, 120_000);

  it("a database that stops answering without refusing (a failover, a cut with no reset): the runner gives up on the dead connections, heartbeats again and hears the queue again", async () => {
    const pool = createPool(pgsrv.server.url, { max: 2 });
    pools.push(pool);
    const proxy = await startBlackholeProxy({ host: "127.0.0.1", port: pgsrv.port });
    try {
      // POOL_TIMEOUTS, shortened: a query without an answer for 1.5 s is given up
      const own = createPool(proxy.urlFor(pgsrv.server.url), { max: 4, query_timeout: 1_500 });
      pools.push(own);
      // polling once a minute: a run is claimed at once only when the runner hears the queue's NOTIFY
      const runner = testRunner(own, { runnerId: "runner-cut", maxRunning: 1, pollMs: 60_000 });
      runners.push(runner);
      await runner.start();
      const serviceId = await addService(pool, { name: "quick", dailyCommand: "true" });
      const claimedSoon = async (date: string) => {
        const [{ run }] = await enqueueRuns(pool, [{ serviceId, ...day(date) }]);
        await waitFor(`run ${run.id} to be claimed`, async () => (await pool.query("SELECT runner_id FROM runs WHERE id = $1", [run.id])).rows[0].runner_id === "runner-cut", 15_000);
      };
      await claimedSoon("2026-11-10");
      const beat = async () => (await pool.query("SELECT heartbeat_at FROM runners WHERE id = 'runner-cut'")).rows[0].heartbeat_at as Date;
      await waitFor("a heartbeat", async () => Date.now() - (await beat()).getTime() < 1_000, 10_000);
      proxy.cut();
      const cutAt = (await pool.query("SELECT now() AS t")).rows[0].t as Date;
      await waitFor("a heartbeat after the cut", async () => (await beat()) > cutAt, 15_000);
      // and it hears the queue again: it listens on a new connection
      await claimedSoon("2026-11-11");
      const runner2 = runners.pop()!;
      await runner2.stop();
    } finally {
      await proxy.close();
    }
  }, 60_000);
});
