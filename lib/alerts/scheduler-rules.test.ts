import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evaluateAlerts, defaultAlertSettings, type AlertSettings } from "@/lib/alerts/evaluate";
import { startDaemon, type Daemon } from "@/lib/scheduler/testing/daemon-process";
import { rpc } from "@/lib/scheduler/testing/rpc-client";
import { createSchedulerClient } from "@/lib/runner/scheduler-client";
import { probeScheduler } from "@/lib/runner/scheduler-probe";
import { testRunner, waitFor } from "@/lib/runner/testing/runner-harness";
import type { Runner } from "@/lib/runner/runner";
import { freePort } from "@/lib/testing/free-port";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The two rules about the scheduler open and resolve against the real scheduler daemon over HTTP:
// a real runner probing it (scheduler_unreachable), and a task the scheduler itself disables
// after too many failures (task_disabled). Times are real: the rows carry the database's now().

let db: TestDatabase;
const daemons: Daemon[] = [];
const runners: Runner[] = [];
const settings: AlertSettings = { ...defaultAlertSettings, channels: [], publicUrl: "http://127.0.0.1:3000", runnerStaleSeconds: 600, schedulerUnreachableSeconds: 5 };
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const r of runners) await r.stop();
  for (const d of daemons) await d.kill("SIGTERM");
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query("TRUNCATE alert_incidents, runs, services RESTART IDENTITY CASCADE");
});

async function daemon(opts: Parameters<typeof startDaemon>[0]): Promise<Daemon> {
  const d = await startDaemon({ databaseUrl: db.url, ...opts });
  daemons.push(d);
  return d;
}

async function incidents(rule: string) {
  return (await db.pool.query("SELECT key, status, subject, summary, error, run_id FROM alert_incidents WHERE rule = $1 ORDER BY id", [rule])).rows;
}

describe("alert rules about the scheduler", () => {
  it("scheduler_unreachable opens when a live runner cannot reach the scheduler and resolves when it can again", async () => {
    const port = await freePort();
    let scheduler = await daemon({ port });
    const runner = testRunner(db.pool, { schedulerUrl: scheduler.url, schedulerProbeMs: 200 });
    runners.push(runner);
    await runner.start();
    const contact = () => db.pool.query("SELECT ok_at, error_at, error FROM runner_scheduler_contact WHERE runner_id = $1", [runner.id]).then((r) => r.rows[0]);
    await waitFor("a successful probe", async () => (await contact())?.ok_at);
    await evaluateAlerts(db.pool, settings, later(30));
    expect(await incidents("scheduler_unreachable")).toEqual([]); // reached: no incident however late the tick

    await scheduler.kill("SIGKILL");
    await waitFor("a failed probe", async () => {
      const c = await contact();
      return c?.error_at && c.error_at > c.ok_at;
    });
    await evaluateAlerts(db.pool, settings, later(1));
    expect(await incidents("scheduler_unreachable")).toEqual([]); // not yet past the threshold
    await evaluateAlerts(db.pool, settings, later(10));
    const [open] = await incidents("scheduler_unreachable");
    expect(open).toMatchObject({ key: "scheduler_unreachable", status: "open" });
    expect(open.summary).toMatch(new RegExp(`^runner ${runner.id} has not reached the scheduler for \\d+ s$`)); // the only runner: no "and N other runners"
    expect(open.error).toBeTruthy();

    scheduler = await daemon({ port });
    await waitFor("the probe to reach the restarted scheduler", async () => {
      const c = await contact();
      return c.ok_at > c.error_at;
    });
    await evaluateAlerts(db.pool, settings, later(10));
    expect(await incidents("scheduler_unreachable")).toMatchObject([{ status: "resolved" }]);
    await runner.stop();
    await scheduler.kill("SIGTERM"); // the next test's scheduler takes the same database's leader lock
  }, 60_000);

  it("a probe tries a failed call once more before recording it: a stall is not an outage, a dead scheduler is", async () => {
    const scheduler = await daemon({});
    await db.pool.query("INSERT INTO hosts (name) VALUES ('probe-host')");
    await db.pool.query("INSERT INTO runners (id, host_id, pid) SELECT 'probe-runner', id, 1 FROM hosts WHERE name = 'probe-host'");
    const contact = () => db.pool.query("SELECT ok_at, error_at FROM runner_scheduler_contact WHERE runner_id = 'probe-runner'").then((r) => r.rows[0]);
    const client = createSchedulerClient(scheduler.url, { timeoutMs: 1000 });
    // frozen for 1.5 s: the first call times out at 1 s, the second is answered once it runs again
    scheduler.child.kill("SIGSTOP");
    const thaw = setTimeout(() => scheduler.child.kill("SIGCONT"), 1500);
    let stalled: boolean;
    try {
      stalled = await probeScheduler(db.pool, "probe-runner", client);
    } finally {
      clearTimeout(thaw);
      scheduler.child.kill("SIGCONT");
      await scheduler.kill("SIGKILL"); // gone now, and the next test's scheduler takes the database's lock
    }
    expect(stalled).toBe(true);
    expect(await contact()).toMatchObject({ ok_at: expect.any(Date), error_at: null });
    expect(await probeScheduler(db.pool, "probe-runner", client)).toBe(false);
    expect((await contact()).error_at).toEqual(expect.any(Date));
  }, 30_000);

  it("task_disabled opens for the period whose run requires a task the scheduler disabled, and resolves when it is re-enabled or the period is done", async () => {
    const scheduler = await daemon({ config: "[scheduler]\nretry_count = 1\n" });
    const s = await db.pool.query("INSERT INTO services (name, display_name, daily_command) VALUES ('ledger', 'ledger', 'true') RETURNING id");
    const runAt = async (status: string, root: string | null) =>
      (
        await db.pool.query(
          `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, root_task_id, finished_at, queued_at, not_before, error)
           VALUES ($1, 'daily', '2026-03-10T00:00:00Z', '2026-03-10', 'manual', $2, $3, $4::timestamptz, now(), now(), 'boom') RETURNING id`,
          [s.rows[0].id, status, root, status === "queued" ? null : new Date()],
        )
      ).rows[0].id as number;
    const failed = await runAt("failed", "Root_ledger");
    const worker = "w-test";
    await rpc(scheduler.url, "add_task", { worker, task_id: "Root_ledger", family: "Root", params: {}, deps: ["Leaf_ledger"], status: "PENDING", runnable: true });
    await rpc(scheduler.url, "add_task", { worker, task_id: "Leaf_ledger", family: "Leaf", params: {}, status: "FAILED", runnable: true, expl: '"boom"' });
    const leafStatus = () => db.pool.query("SELECT status FROM scheduler_tasks WHERE task_id = 'Leaf_ledger'").then((r) => r.rows[0]?.status);
    await waitFor("the scheduler to persist the disabled task", async () => (await leafStatus()) === "DISABLED");

    await evaluateAlerts(db.pool, settings, later(0));
    expect(await incidents("task_disabled")).toMatchObject([{ status: "open", subject: "Leaf_ledger", run_id: failed }]);
    // a retry queued for the period (no root task yet) keeps it open: the task is still disabled
    const retry = await runAt("queued", null);
    await evaluateAlerts(db.pool, settings, later(1));
    expect(await incidents("task_disabled")).toMatchObject([{ status: "open", run_id: failed }]);

    await rpc(scheduler.url, "re_enable_task", { task_id: "Leaf_ledger" });
    await waitFor("the scheduler to persist the re-enabled task", async () => (await leafStatus()) !== "DISABLED");
    await evaluateAlerts(db.pool, settings, later(2));
    expect(await incidents("task_disabled")).toMatchObject([{ status: "resolved" }]);

    // disabled again: the same incident re-opens, and the period done resolves it
    await rpc(scheduler.url, "add_task", { worker, task_id: "Leaf_ledger", family: "Leaf", params: {}, status: "FAILED", runnable: true, expl: '"boom"' });
    await waitFor("the task disabled again", async () => (await leafStatus()) === "DISABLED");
    await evaluateAlerts(db.pool, settings, later(3));
    expect(await incidents("task_disabled")).toMatchObject([{ status: "open", run_id: retry }]);
    await db.pool.query("UPDATE runs SET status = 'done', finished_at = now() WHERE id = $1", [retry]);
    await evaluateAlerts(db.pool, settings, later(4));
    expect(await incidents("task_disabled")).toMatchObject([{ status: "resolved" }]);
  }, 60_000);
});
