import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createUser } from "@/lib/auth/api-tokens";
import { freePort } from "@/lib/testing/free-port";
import { ownPostgres, type OwnPostgres } from "@/lib/testing/own-postgres";
import { runSwitchyard, waitForUrl, type Proc } from "@/lib/testing/processes";
import { ensureDashboardBuild } from "@/lib/testing/build";

// The real web server (`switchyard web`, the production build) on its own PostgreSQL, which the
// test stops and starts again: health must say 503 and since when while the database is gone, 200
// once it is back, with one WARN line for the outage and one INFO line for the return. The web
// connects as the least-privilege app role, as under `switchyard start`. Its alert loop tells
// of a dead runner when no runner is left to (ticking every second here).

let pgsrv: OwnPostgres;
let web: Proc;
let base: string;
/** A viewer's API token: the runner list is for signed-in callers. */
let viewer: { authorization: string };

beforeAll(async () => {
  await ensureDashboardBuild();
  pgsrv = await ownPostgres("health");
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  web = runSwitchyard(["web", "--port", String(port)], { DATABASE_URL: pgsrv.server.appUrl, SCHEDULER_URL: "http://127.0.0.1:9", SWITCHYARD_ALERT_TICK_SECONDS: "1", SWITCHYARD_ALERT_RUNNER_STALE_SECONDS: "5" });
  await waitForUrl(`${base}/api/v1/health`, web);
  const pool = new pg.Pool({ connectionString: pgsrv.server.url });
  try {
    viewer = { authorization: `Bearer ${(await createApiToken(pool, await createUser(pool, { email: "v@example.com", name: "v", role: "viewer" }), "health-test")).token}` };
  } finally {
    await pool.end();
  }
}, 180_000);

afterAll(async () => {
  await web?.stop();
  await pgsrv?.remove();
});

describe("GET /api/v1/health", () => {
  it("answers 200 with every part's status and latency while the database is up", async () => {
    const res = await fetch(`${base}/api/v1/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.parts.database).toMatchObject({ status: "ok" });
    expect(body.parts.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(body.parts.web.status).toBe("ok");
    // Nothing listens on port 9: the scheduler is reported down, which degrades but does not fail health.
    expect(body.parts.scheduler.status).toBe("down");
    expect(body.parts.runner.status).toBe("down");
    expect(body.status).toBe("degraded");
    // anyone may probe it; which runners run where is for signed-in callers (and GET /api/v1/runners)
    expect(body).not.toHaveProperty("runners");
    expect((await (await fetch(`${base}/api/v1/health`, { headers: viewer })).json()).runners).toEqual([]);
    expect((await fetch(`${base}/api/v1/runners`)).status).toBe(401);
    expect(await (await fetch(`${base}/api/v1/runners`, { headers: viewer })).json()).toEqual({ runners: [], lastStopped: null });
  });

  it("tells of the only runner's death (critical), and forgets a runner that was restarted on its host", async () => {
    const owner = new pg.Client(pgsrv.server.url);
    await owner.connect();
    try {
      const incident = async () => (await owner.query("SELECT status, severity, summary FROM alert_incidents WHERE key = 'runner_stale:r-dead'")).rows[0];
      await owner.query("INSERT INTO hosts (name) VALUES ('h1')");
      await owner.query("INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at) SELECT 'r-dead', id, 42, now() - interval '10 minutes', now() - interval '2 minutes' FROM hosts WHERE name = 'h1'");
      // no runner is running in this test: the web's loop is the one that opens the incident
      await expect.poll(incident, { timeout: 20_000 }).toMatchObject({ status: "open", severity: "critical" });
      expect((await incident()).summary).toMatch(/^runner r-dead \(pid 42 on h1\) last heartbeated \d+ s ago; no runner is alive/);
      let health = await (await fetch(`${base}/api/v1/health`, { headers: viewer })).json();
      expect(health.runners).toMatchObject([{ id: "r-dead", status: "down" }]);

      // a supervisor restarts it on the same host: the dead row is no longer a runner that is down
      await owner.query("INSERT INTO runners (id, host_id, pid) SELECT 'r-again', id, 43 FROM hosts WHERE name = 'h1'");
      health = await (await fetch(`${base}/api/v1/health`, { headers: viewer })).json();
      expect(health.runners).toMatchObject([{ id: "r-again", status: "ok" }]);
      expect(health.parts.runner).toMatchObject({ status: "ok", detail: "1 of 1 runners alive" });
      await expect.poll(async () => (await incident()).status, { timeout: 20_000 }).toBe("resolved");

      // a runner on a host that is gone (a node lost with its pod) is listed down for a day, then no more
      await owner.query("INSERT INTO hosts (name) VALUES ('h-gone-an-hour-ago'), ('h-gone-two-days-ago')");
      await owner.query(`INSERT INTO runners (id, host_id, pid, started_at, heartbeat_at)
        SELECT 'r-hour', id, 44, now() - interval '2 hours', now() - interval '1 hour' FROM hosts WHERE name = 'h-gone-an-hour-ago'
        UNION ALL SELECT 'r-days', id, 45, now() - interval '3 days', now() - interval '2 days' FROM hosts WHERE name = 'h-gone-two-days-ago'`);
      health = await (await fetch(`${base}/api/v1/health`, { headers: viewer })).json();
      expect(health.runners.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([["r-again", "ok"], ["r-hour", "down"]]);
      await owner.query("UPDATE runners SET stopped_at = now()");
      // every runner stopped: the health says since when, not just that none reported
      const stopped = (await (await fetch(`${base}/api/v1/health`)).json()).parts.runner;
      expect(stopped).toMatchObject({ status: "down", detail: expect.stringMatching(/^no runner is running; the last one stopped \d{4}-\d\d-\d\d \d\d:\d\d UTC$/) });
      // which one it was is for signed-in callers
      expect(await (await fetch(`${base}/api/v1/runners`, { headers: viewer })).json()).toMatchObject({ runners: [], lastStopped: { id: expect.stringMatching(/^r-/), host: expect.any(String), at: expect.any(String) } });
    } finally {
      await owner.end();
    }
  });

  it("answers 503 naming the database when it is stopped, and recovers when it is back", async () => {
    await pgsrv.stop();
    const down = await fetch(`${base}/api/v1/health`);
    expect(down.status).toBe(503);
    const body = await down.json();
    expect(body.status).toBe("down");
    expect(body.parts.database.status).toBe("down");
    expect(body.parts.database.detail).toMatch(/^database down since \d{4}-\d\d-\d\dT/);
    expect(body.parts.runner.status).toBe("unknown");
    const again = await (await fetch(`${base}/api/v1/health`)).json();
    expect(again.parts.database.detail.slice(0, 45)).toBe(body.parts.database.detail.slice(0, 45));

    await pgsrv.start();
    const up = await fetch(`${base}/api/v1/health`);
    expect(up.status).toBe(200);
    const log = web.output();
    expect(log.match(/WARN +\[web\] the database is unreachable/g)).toHaveLength(1);
    expect(log.match(/INFO +\[web\] the database is back/g)).toHaveLength(1);
    expect(log).not.toMatch(/ERROR/);
  });
});
