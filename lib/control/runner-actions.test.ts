import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultAlertSettings, evaluateAlerts } from "@/lib/alerts/evaluate";
import type { Actor } from "@/lib/auth/roles";
import { forgetRunnerAction, setOneRunnerPaused } from "@/lib/control/runner-actions";
import { heartbeatRunner, pruneRunners, registerRunner, stopRunner } from "@/lib/db/hosts/runners";
import { detectLostRuns } from "@/lib/db/runs/detect-lost-runs";
import { enqueueRuns } from "@/lib/db/runs/enqueue-runs";
import { getHealth } from "@/lib/health/get-health";
import { runnerPlace } from "@/lib/presenters/runner-place";
import type { Runner } from "@/lib/runner/runner";
import { addService, testRunner, waitFor } from "@/lib/runner/testing/runner-harness";
import { runnerActionSchema } from "@/lib/schemas/runs";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// What an operator does to one runner, against a real PostgreSQL and a real Runner: pausing it
// (drain its host: it claims nothing new) and resuming it; forgetting one that died without
// stopping (its pod lost with its node) — what it refuses, what it changes (the health,
// runner_stale, its running runs, the audit log) — and a runner that was only cut off coming back.

const bob: Actor = { kind: "user", id: "u2", name: "bob@example.com", role: "operator" };
const host = { name: "node-a", cpuCount: 2, memoryTotalBytes: 1 << 30 };
const settings = { ...defaultAlertSettings, channels: [], publicUrl: "http://127.0.0.1:3000" };
let db: TestDatabase;
let runner: Runner | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await runner?.stop();
  await db?.drop();
});
beforeEach(async () => {
  await db.pool.query("TRUNCATE alert_incidents, runs, runners, hosts, audit_log RESTART IDENTITY CASCADE");
});

/** A runner registered on node-a whose last heartbeat was `silentSeconds` ago. */
async function runnerSilentFor(id: string, silentSeconds: number) {
  await registerRunner(db.pool, { id, pid: 4242, version: null, host });
  await db.pool.query("UPDATE runners SET started_at = now() - interval '1 hour', heartbeat_at = now() - make_interval(secs => $2) WHERE id = $1", [id, silentSeconds]);
}

const forget = (id: string, reason?: string) => forgetRunnerAction(db.pool, bob, runnerActionSchema.parse({ id, reason }));
const audits = async () => (await db.pool.query("SELECT action, target_type, target_id, outcome, reason, result FROM audit_log ORDER BY id")).rows;

describe("forget a runner", () => {
  it("marks a silent runner stopped: the health drops it, runner_stale resolves, its running run is lost, the audit log says who and why", async () => {
    await runnerSilentFor("node-a-17-dead", 600);
    await runnerSilentFor("node-b-9-alive", 1); // the replacement pod, on another node
    const serviceId = await addService(db.pool, { name: "acme", dailyCommand: "true" });
    const run = await db.pool.query(
      `INSERT INTO runs (service_id, kind, period_start, period_date, attempt, trigger, status, started_at, runner_id, host)
       VALUES ($1, 'daily', '2026-12-01T00:00:00Z', '2026-12-01', 1, 'manual', 'running', now() - interval '11 minutes', 'node-a-17-dead', 'node-a') RETURNING id`,
      [serviceId],
    );
    // the dead runner's run was already lost by the time anyone looks (lost-run detection runs on every heartbeat)
    await detectLostRuns(db.pool, 15, "node-b-9-alive");
    await evaluateAlerts(db.pool, settings, new Date());
    expect((await db.pool.query("SELECT key, status, severity FROM alert_incidents WHERE rule = 'runner_stale'")).rows).toEqual([{ key: "runner_stale:node-a-17-dead", status: "open", severity: "warning" }]);
    expect((await getHealth(db.pool, "http://127.0.0.1:9")).runners.map((r) => [r.id, r.status])).toEqual([["node-b-9-alive", "ok"], ["node-a-17-dead", "down"]]);

    const answer = await forget("node-a-17-dead", "node-a was lost; the pod runs on node-b now");
    expect(answer).toMatchObject({ runner: "node-a-17-dead", host: "node-a", runningRuns: 0 });
    expect(answer.heartbeatAgeSeconds).toBeGreaterThanOrEqual(600);

    expect((await db.pool.query("SELECT stopped_at IS NOT NULL AS stopped FROM runners WHERE id = 'node-a-17-dead'")).rows[0].stopped).toBe(true);
    expect((await getHealth(db.pool, "http://127.0.0.1:9")).runners.map((r) => r.id)).toEqual(["node-b-9-alive"]);
    await evaluateAlerts(db.pool, settings, new Date());
    expect((await db.pool.query("SELECT key, status, resolved_by FROM alert_incidents WHERE rule = 'runner_stale'")).rows).toEqual([{ key: "runner_stale:node-a-17-dead", status: "resolved", resolved_by: "alerts" }]);
    expect((await db.pool.query("SELECT status FROM runs WHERE id = $1", [run.rows[0].id])).rows[0].status).toBe("lost");
    expect(await audits()).toMatchObject([
      { action: "runner.forget", target_type: "runner", target_id: "node-a-17-dead", outcome: "ok", reason: "node-a was lost; the pod runs on node-b now", result: { host: "node-a", runningRuns: 0 } },
    ]);
  });

  it("hands on a run still marked running on the forgotten runner (the live runners' next heartbeat marks it lost)", async () => {
    await runnerSilentFor("node-a-17-dead", 10); // silent, but not yet past the lost-run threshold of a slow setup
    await db.pool.query("UPDATE runners SET heartbeat_at = now() - interval '40 seconds'");
    const serviceId = await addService(db.pool, { name: "acme", dailyCommand: "true" });
    await db.pool.query(
      `INSERT INTO runs (service_id, kind, period_start, period_date, attempt, trigger, status, started_at, runner_id, host)
       VALUES ($1, 'daily', '2026-12-02T00:00:00Z', '2026-12-02', 1, 'manual', 'running', now(), 'node-a-17-dead', 'node-a')`,
      [serviceId],
    );
    expect((await detectLostRuns(db.pool, 3600, null)).lost).toEqual([]); // a lenient threshold: not lost yet
    expect(await forget("node-a-17-dead")).toMatchObject({ runningRuns: 1 });
    expect((await detectLostRuns(db.pool, 3600, null)).lost).toMatchObject([{ status: "lost", runnerId: "node-a-17-dead" }]);
  });

  it("refuses a runner that is alive, one already stopped and one that does not exist, each audited as denied", async () => {
    await runnerSilentFor("node-a-1-alive", 2);
    await expect(forget("node-a-1-alive")).rejects.toMatchObject({ kind: "conflict", message: expect.stringMatching(/heartbeated \d+ s ago: it is alive .* stop its process on node-a/) });
    await runnerSilentFor("node-a-2-stopped", 300);
    await stopRunner(db.pool, "node-a-2-stopped");
    await expect(forget("node-a-2-stopped")).rejects.toMatchObject({ kind: "conflict", message: expect.stringMatching(/already stopped at 20\d\d-/) });
    await expect(forget("no-such-runner")).rejects.toMatchObject({ kind: "not_found", message: 'runner "no-such-runner" was not found' });
    expect((await audits()).map((a) => [a.target_id, a.outcome])).toEqual([["node-a-1-alive", "denied"], ["node-a-2-stopped", "denied"], ["no-such-runner", "denied"]]);
    expect((await db.pool.query("SELECT stopped_at IS NULL AS live FROM runners WHERE id = 'node-a-1-alive'")).rows[0].live).toBe(true);
  });

  it("refuses an id that is not one, naming the field", () => {
    expect(() => runnerActionSchema.parse({ id: "two words" })).toThrow(/expected a runner id/);
    expect(() => runnerActionSchema.parse({ id: "x".repeat(301) })).toThrow(/at most 300 characters/);
    expect(() => runnerActionSchema.parse({ id: "" })).toThrow(/expected a runner id/);
    // the longest a host name may be (SWITCHYARD_HOST_NAME), with the pid and suffix a runner adds
    expect(runnerActionSchema.parse({ id: `${"n".repeat(253)}-4194304-3c9e41aa` }).id).toHaveLength(270);
  });
});

describe("a forgotten or pruned runner that comes back", () => {
  it("heartbeats live again, once: the heartbeat says it was revived", async () => {
    await runnerSilentFor("node-a-3-cut-off", 120);
    await forget("node-a-3-cut-off");
    expect(await heartbeatRunner(db.pool, "node-a-3-cut-off")).toMatchObject({ revived: true, paused: false });
    expect(await heartbeatRunner(db.pool, "node-a-3-cut-off")).toMatchObject({ revived: false });
    expect((await db.pool.query("SELECT stopped_at FROM runners WHERE id = 'node-a-3-cut-off'")).rows[0].stopped_at).toBeNull();
  });

  it("prunes only rows not heard from in the retention; a running Runner whose row was pruned registers again", async () => {
    await runnerSilentFor("old-dead", 8 * 86_400);
    await runnerSilentFor("recent-dead", 3_600);
    expect(await pruneRunners(db.pool, 7 * 86_400)).toBe(1);
    expect((await db.pool.query("SELECT id FROM runners ORDER BY id")).rows.map((r) => r.id)).toEqual(["recent-dead"]);
    expect(await heartbeatRunner(db.pool, "old-dead")).toBeNull();

    runner = testRunner(db.pool, { runnerId: "test-host-comes-back" });
    await runner.start();
    await db.pool.query("DELETE FROM runners WHERE id = 'test-host-comes-back'");
    await waitFor("the pruned runner to register again", async () => (await db.pool.query("SELECT 1 FROM runners WHERE id = 'test-host-comes-back' AND stopped_at IS NULL")).rowCount === 1, 5000);
    // forgotten while alive (it cannot be through the action; by hand here): it makes itself live again
    await db.pool.query("UPDATE runners SET stopped_at = now() WHERE id = 'test-host-comes-back'");
    await waitFor("the forgotten runner to be live again", async () => (await db.pool.query("SELECT 1 FROM runners WHERE id = 'test-host-comes-back' AND stopped_at IS NULL")).rowCount === 1, 5000);
    await runner.stop();
    runner = undefined;
    // a clean stop stays stopped: no heartbeat in flight revives it afterwards
    await new Promise((r) => setTimeout(r, 700));
    expect((await db.pool.query("SELECT stopped_at IS NOT NULL AS stopped FROM runners WHERE id = 'test-host-comes-back'")).rows[0].stopped).toBe(true);
  });
});

describe("pause one runner", () => {
  const queue = async (serviceId: number, day: string) =>
    (await enqueueRuns(db.pool, [{ serviceId, kind: "daily", periodStart: new Date(`${day}T00:00:00Z`), periodDate: day, periodHour: null, trigger: "manual", queuePriority: 0, force: false, fromTask: null, requestKey: null, requestedBy: "test", reason: null }]))[0].run.id;
  const status = async (id: number) => (await db.pool.query("SELECT status FROM runs WHERE id = $1", [id])).rows[0].status as string;
  const pause = (id: string, paused: boolean, reason?: string) => setOneRunnerPaused(db.pool, bob, runnerActionSchema.parse({ id, reason }), paused);

  it("a paused runner claims nothing new; resumed, it claims again; each change audited with its id; a stopped one is refused", async () => {
    const serviceId = await addService(db.pool, { name: "drain-me", dailyCommand: "true" });
    runner = testRunner(db.pool, { runnerId: "test-host-drained" });
    await runner.start();
    const first = await queue(serviceId, "2026-11-01");
    await waitFor("the first run to be done", async () => (await status(first)) === "done", 10_000);

    expect(await pause("test-host-drained", true, "node maintenance")).toMatchObject({ paused: true, changed: true, host: "test-host", message: "Runner test-host-drained on test-host is paused: it claims no new run" });
    expect(await pause("test-host-drained", true)).toMatchObject({ changed: false });
    const health = await getHealth(db.pool, "http://127.0.0.1:9");
    expect(health.runners).toMatchObject([{ id: "test-host-drained", status: "ok", paused: true, pause: { by: "user:bob@example.com", reason: "node maintenance" }, runningRuns: 0 }]);
    // its next heartbeat (300 ms here) reads the switch; then nothing is claimed
    await new Promise((r) => setTimeout(r, 700));
    const second = await queue(serviceId, "2026-11-02");
    await new Promise((r) => setTimeout(r, 1500)); // several polls (200 ms) and heartbeats
    expect(await status(second)).toBe("queued");

    expect(await pause("test-host-drained", false)).toMatchObject({ paused: false, changed: true, message: "Runner test-host-drained on test-host claims runs again" });
    await waitFor("the second run to be done once resumed", async () => (await status(second)) === "done", 10_000);
    expect((await audits()).map((a) => [a.action, a.target_type, a.target_id, a.outcome, a.reason])).toEqual([
      ["runner.pause", "runner", "test-host-drained", "ok", "node maintenance"],
      ["runner.pause", "runner", "test-host-drained", "ok", null],
      ["runner.resume", "runner", "test-host-drained", "ok", null],
    ]);
    await runner.stop();
    runner = undefined;
    await expect(pause("test-host-drained", true)).rejects.toMatchObject({ kind: "conflict", message: 'runner "test-host-drained" on test-host has stopped: there is nothing to pause' });
    await expect(pause("nobody", false)).rejects.toMatchObject({ kind: "not_found" });
  }, 30_000);

  it("the pause holds for the host: a runner started again there (a restart, a deploy) starts paused until resumed; another host's does not", async () => {
    const serviceId = await addService(db.pool, { name: "still-drained", dailyCommand: "true" });
    runner = testRunner(db.pool, { runnerId: "test-host-before" });
    await runner.start();
    await pause("test-host-before", true, "disk replacement");
    await runner.stop();
    await registerRunner(db.pool, { id: "node-a-elsewhere", pid: 7, version: null, host });

    runner = testRunner(db.pool, { runnerId: "test-host-after" });
    await runner.start();
    const queued = await queue(serviceId, "2026-11-03");
    await new Promise((r) => setTimeout(r, 1500)); // several polls (200 ms) and heartbeats
    expect(await status(queued)).toBe("queued");
    const paused = async () => (await db.pool.query("SELECT id, paused, paused_by, paused_reason FROM runners ORDER BY id")).rows;
    // who paused the host, and why, carried over: the component health says it beside the new runner
    expect(await paused()).toEqual([
      { id: "node-a-elsewhere", paused: false, paused_by: null, paused_reason: null },
      { id: "test-host-after", paused: true, paused_by: "user:bob@example.com", paused_reason: "disk replacement" },
      { id: "test-host-before", paused: true, paused_by: "user:bob@example.com", paused_reason: "disk replacement" },
    ]);

    await pause("test-host-after", false);
    await waitFor("the run to be done once the new runner is resumed", async () => (await status(queued)) === "done", 10_000);
    await runner.stop();
    // resumed, the host's next runner starts unpaused
    runner = testRunner(db.pool, { runnerId: "test-host-third" });
    await runner.start();
    expect((await db.pool.query("SELECT paused FROM runners WHERE id = 'test-host-third'")).rows[0].paused).toBe(false);
    await runner.stop();
    runner = undefined;
  }, 30_000);

  it("with two runner pods on one node, a restarted runner takes its own pod's pause, not its sibling's", async () => {
    const on = (id: string, instance: string) => registerRunner(db.pool, { id, pid: 1, version: null, host, instance });
    const paused = async (id: string) => (await db.pool.query("SELECT paused FROM runners WHERE id = $1", [id])).rows[0].paused as boolean;
    await on("pod-1-a", "runner-pod-1");
    await on("pod-2-a", "runner-pod-2");
    await pause("pod-1-a", true, "draining pod 1 only");
    // pod 1's container restarts (a crash): its new runner starts paused, although pod 2's started after pod 1's
    expect(await on("pod-1-b", "runner-pod-1")).toMatchObject({ pausedFrom: "pod-1-a" });
    expect(await paused("pod-1-b")).toBe(true);
    // pod 2's restarts: not paused, although pod 1's restarted runner is the latest on the node
    expect(await on("pod-2-b", "runner-pod-2")).toMatchObject({ pausedFrom: null });
    expect(await paused("pod-2-b")).toBe(false);
    // a new pod on the node follows the node's latest runner, as before instances were known
    expect(await on("pod-3-a", "runner-pod-3")).toMatchObject({ pausedFrom: null });
    // the health and the CLI tell the pods apart (their runner ids carry the node's name and pid 1)
    const listed = (await getHealth(db.pool, "http://127.0.0.1:9")).runners.find((r) => r.id === "pod-3-a")!;
    expect(runnerPlace(listed)).toBe("node-a (runner-pod-3)");
  });
});
