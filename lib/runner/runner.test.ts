import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/roles";
import { defaultSchedulerConfig, startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { freePort } from "@/lib/testing/free-port";
import { groupAlive } from "@/lib/runner/host/proc-stats";
import { cancelRun } from "@/lib/control/cancel-run";
import { enqueueRun } from "@/lib/control/enqueue-run";
import { addService, runStatus, removeTempDirs, tempDir, testRunner, TINY_COMMAND, waitFor } from "@/lib/runner/testing/runner-harness";
import { createClock } from "@/lib/runner/clock";
import { rpc } from "@/lib/scheduler/testing/rpc-client";
import type { Runner } from "@/lib/runner/runner";

// The runner end to end on one host: a real scheduler, real child processes running the real
// pipeline CLI, a real PostgreSQL. What an operator would see: a due period is queued and run to
// done with its root task linked; a failing run is failed and retried per policy; a cancelled
// run leaves no process behind; a run past its timeout is stopped and failed.

const admin: Actor = { kind: "system", id: "test", name: "test", role: "admin" };
let db: TestDatabase;
let scheduler: SchedulerServer;
let runner: Runner;
const outDir = tempDir("tiny-out-");
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  db = await createTestDatabase();
  scheduler = await startSchedulerServer({ host: "127.0.0.1", port: await freePort(), config: defaultSchedulerConfig() });
  process.env.TINY_DIR = outDir;
  process.env.TINY_FAIL = "always-fails";
  const base = { dailyCommand: TINY_COMMAND, timeZone: "Europe/Berlin", dailyTime: "00:00" };
  await addService(db.pool, { name: "acme", ...base });
  await addService(db.pool, { name: "always-fails", ...base, retry: { attempts: 1, backoffSeconds: 0 } });
  await addService(db.pool, { name: "sleeper", dailyCommand: "sleep 60", timeoutSeconds: 60 });
  await addService(db.pool, { name: "slowpoke", dailyCommand: "sleep 60", timeoutSeconds: 1 });
  // A worker the scheduler gives no work: it exits "not run" (25) with its root task still pending.
  await addService(db.pool, { name: "blocked", dailyCommand: "sh -c 'exit 25'", rootTask: { daily: { family: "Blocked", params: { day: "{day}" } } } });
  // A worker that found a task it needed being run by another (live) worker: exit 10.
  await addService(db.pool, { name: "shared-upstream", dailyCommand: "sh -c 'exit 10'", rootTask: { daily: { family: "SharedUpstream", params: { day: "{day}" } } } });
  // Workers that never reach the scheduler, for a root it already holds DONE from an earlier run.
  await addService(db.pool, { name: "killed-early", dailyCommand: "sh -c 'kill -9 $$'", rootTask: { daily: { family: "KilledEarly", params: { day: "{day}" } } } });
  await addService(db.pool, { name: "cooled", dailyCommand: "sh -c 'exit 25'", rootTask: { daily: { family: "Cooled", params: { day: "{day}" } } } });
  // A command that fails before any task, saying why on stderr.
  await addService(db.pool, { name: "says-why", dailyCommand: `sh -c 'echo starting; echo "cannot open the warehouse: connection refused" >&2; echo; exit 3'` });
  // Its work takes a minute, until the test takes the sleep out of its environment.
  await addService(db.pool, { name: "slow-work", ...base, environment: { TINY_SLEEP_MS: "60000" } });
  runner = testRunner(db.pool, { schedulerUrl: scheduler.url, trigger: true, catchUp: { days: 2, hours: 0 }, clock: createClock(), sampleMs: 300 });
  // Only acme is triggered: the others are disabled until their test enqueues them by hand.
  await db.pool.query("UPDATE services SET enabled = name = 'acme'");
  await runner.start();
  await db.pool.query("UPDATE services SET enabled = true");
}, 60_000);

afterAll(async () => {
  await runner?.stop();
  await scheduler?.close();
  await db?.drop();
  removeTempDirs();
});

/** Another worker's add_task for the daily root `family(day=yesterday)`. */
async function addTask(family: string, status: string): Promise<void> {
  const body = { task_id: `${family}_${yesterday}`, status, family, params: { day: yesterday }, worker: "someone-else" };
  const res = await fetch(`${scheduler.url}/api/add_task`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `data=${encodeURIComponent(JSON.stringify(body))}` });
  expect(res.status).toBe(200);
}

/** The scheduler's tasks with this status whose name matches `search`. */
async function tasks(status: string, search: string): Promise<Record<string, unknown>> {
  return rpc<Record<string, unknown>>(scheduler.url, "task_list", { status, search });
}

describe("runner", () => {
  it("queues the due daily periods within the catch-up window once, and runs them to done with the root task linked", async () => {
    const runs = await waitFor("acme's scheduled runs to finish", async () => {
      const r = await db.pool.query("SELECT r.* FROM runs r JOIN services s ON s.id = r.service_id WHERE s.name = 'acme' ORDER BY period_date");
      return r.rows.length >= 1 && r.rows.every((x) => x.status === "done") ? r.rows : null;
    }, 60_000);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBeLessThanOrEqual(3);
    expect(new Set(runs.map((r) => r.period_start.getTime())).size).toBe(runs.length);
    const last = runs[runs.length - 1];
    expect(last.trigger).toBe("scheduled");
    expect(last.root_task_id).toMatch(/^TinyDaily_/);
    expect(last.exit_code).toBe(0);
    expect(last.cpu_seconds).toBeGreaterThan(0);
    expect(fs.readFileSync(last.log_path, "utf8")).toContain("ended: exit code 0");
    expect(fs.existsSync(path.join(outDir, "acme"))).toBe(true);
  }, 90_000);

  it("fails a run whose root task failed in the scheduler, and queues the retry its policy allows", async () => {
    const { run } = await enqueueRun(db.pool, admin, { service: "always-fails", kind: "daily", period: yesterday, force: false });
    await waitFor("the run to fail", async () => (await runStatus(db.pool, run.id)) === "failed", 30_000);
    const failed = (await db.pool.query("SELECT * FROM runs WHERE id = $1", [run.id])).rows[0];
    expect(failed.error).toMatch(/root task TinyDaily_.* (FAILED|PENDING)|exit code 30/);
    const retry = await waitFor("the retry to end", async () => {
      const r = (await db.pool.query("SELECT * FROM runs WHERE request_key = $1", [`retry:${run.id}`])).rows[0];
      return r && (r.status === "failed" || r.status === "done") ? r : null;
    }, 30_000);
    expect(retry.attempt).toBe(2);
    expect(retry.trigger).toBe("retry");
    expect(retry.status).toBe("failed");
    // attempts: 1 — no third attempt.
    expect((await db.pool.query("SELECT count(*)::int AS n FROM runs WHERE request_key = $1", [`retry:${retry.id}`])).rows[0].n).toBe(0);
  }, 60_000);

  it("cancels a running run: SIGTERM to its process group, recorded as cancelled, nothing left running", async () => {
    const { run } = await enqueueRun(db.pool, admin, { service: "sleeper", kind: "daily", period: yesterday, force: false });
    const pid = await waitFor("the run to start", async () => (await db.pool.query("SELECT pid FROM runs WHERE id = $1 AND status = 'running'", [run.id])).rows[0]?.pid as number | undefined);
    expect(groupAlive(pid)).toBe(true);
    const answer = await cancelRun(db.pool, admin, { id: run.id, reason: "test" });
    expect(answer.cancel).toBe("requested");
    await waitFor("the run to be cancelled", async () => (await runStatus(db.pool, run.id)) === "cancelled", 10_000);
    expect(groupAlive(pid)).toBe(false);
    const audit = (await db.pool.query("SELECT * FROM audit_log WHERE action = 'run.cancel' AND target_id = $1", [String(run.id)])).rows[0];
    expect(audit).toMatchObject({ actor: "system:test", outcome: "ok", reason: "test" });
  }, 30_000);

  it("re-runs at once after its process was killed: the scheduler is told the dead run's workers are gone", async () => {
    // SIGKILL (the OOM killer, kill -9): the worker cannot tell the scheduler anything, and its
    // task would stay RUNNING until worker_disconnect_delay (60 s) if the runner did not.
    const first = (await enqueueRun(db.pool, admin, { service: "slow-work", kind: "daily", period: yesterday, force: false })).run;
    const taskId = await waitFor("the run's work to be RUNNING in the scheduler", async () => Object.keys(await tasks("RUNNING", "slow-work")).find((id) => id.startsWith("TinyWork_")), 20_000);
    const { pid } = (await db.pool.query("SELECT pid FROM runs WHERE id = $1", [first.id])).rows[0];
    process.kill(-pid, "SIGKILL");
    await waitFor("the run to fail", async () => (await runStatus(db.pool, first.id)) === "failed", 10_000);
    // The dead worker's task failed at once, as luigid fails it after worker_disconnect_delay.
    expect(Object.keys(await tasks("FAILED", "slow-work"))).toEqual([taskId]);

    await db.pool.query("UPDATE services SET environment = '{}' WHERE name = 'slow-work'");
    const rerun = (await enqueueRun(db.pool, admin, { service: "slow-work", kind: "daily", period: yesterday, force: true })).run;
    await waitFor("the re-run to end", async () => ["done", "failed"].includes((await runStatus(db.pool, rerun.id)) ?? ""), 30_000);
    expect((await db.pool.query("SELECT status, error, exit_code FROM runs WHERE id = $1", [rerun.id])).rows[0]).toEqual({ status: "done", error: null, exit_code: 0 });
  }, 60_000);

  it("samples its host every few seconds (CPU, memory, load, running runs) and registers itself", async () => {
    const samples = await waitFor("host samples", async () => {
      const r = await db.pool.query("SELECT hs.*, h.name, h.cpu_count FROM host_samples hs JOIN hosts h ON h.id = hs.host_id ORDER BY hs.id");
      return r.rows.length >= 2 ? r.rows : null;
    });
    const last = samples[samples.length - 1];
    expect(last.name).toBe("test-host");
    expect(last.cpu_percent).toBeGreaterThanOrEqual(0);
    expect(last.cpu_percent).toBeLessThanOrEqual(100);
    expect(Number(last.memory_used_bytes)).toBeGreaterThan(0);
    expect(Number(last.memory_used_bytes)).toBeLessThanOrEqual(Number(last.memory_total_bytes));
    expect(last.load1).toBeGreaterThanOrEqual(0);
    const runner = (await db.pool.query("SELECT * FROM runners")).rows[0];
    expect(Date.now() - runner.heartbeat_at.getTime()).toBeLessThan(5_000);
  });

  it("puts a run back in the queue when it did not get its turn: no work from the scheduler (exit 25) or a task run by another worker (exit 10), root task pending", async () => {
    await addTask("Blocked", "PENDING");
    const { run } = await enqueueRun(db.pool, admin, { service: "blocked", kind: "daily", period: yesterday, force: false });
    const row = await waitFor("the run to be requeued", async () => {
      const r = (await db.pool.query("SELECT r.*, rr.not_run_count FROM runs r JOIN run_runtime rr ON rr.run_id = r.id WHERE r.id = $1", [run.id])).rows[0];
      return r?.not_run_count === 1 && r.status === "queued" ? r : null;
    }, 15_000);
    expect(row).toMatchObject({ runner_id: null, attempt: 1, error: expect.stringMatching(/^not run 1 time\(s\): the scheduler granted the worker no work/) });
    expect(row.not_before.getTime() - Date.now()).toBeGreaterThan(5_000);
    await cancelRun(db.pool, admin, { id: run.id });

    // exit 10, a task it needed being run by another worker: not its turn either
    await addTask("SharedUpstream", "PENDING");
    const shared = (await enqueueRun(db.pool, admin, { service: "shared-upstream", kind: "daily", period: yesterday, force: false })).run;
    const again = await waitFor("the exit-10 run to be requeued", async () => {
      const r = (await db.pool.query("SELECT r.status, r.error, rr.not_run_count FROM runs r JOIN run_runtime rr ON rr.run_id = r.id WHERE r.id = $1", [shared.id])).rows[0];
      return r?.not_run_count === 1 && r.status === "queued" ? r : null;
    }, 15_000);
    expect(again.error).toBe("not run 1 time(s): tasks it needed were being run by another worker (exit code 10; root task PENDING)");
    await cancelRun(db.pool, admin, { id: shared.id });
  }, 30_000);

  it("does not record a run done on a DONE its root held before the launch", async () => {
    for (const family of ["KilledEarly", "Cooled"]) await addTask(family, "DONE");
    const killed = (await enqueueRun(db.pool, admin, { service: "killed-early", kind: "daily", period: yesterday, force: true })).run;
    await waitFor("the killed run to end", async () => ["done", "failed"].includes((await runStatus(db.pool, killed.id)) ?? ""), 15_000);
    const row = (await db.pool.query("SELECT status, error FROM runs WHERE id = $1", [killed.id])).rows[0];
    expect(row).toEqual({ status: "failed", error: `the process exited with code 137 (killed by signal 9) and root task KilledEarly_${yesterday} is DONE in the scheduler only from before this run was launched` });

    // exit 25 with the DONE untouched: the forced run's PENDING was ignored (Luigi's DONE cooldown), so it is not its turn yet
    const cooled = (await enqueueRun(db.pool, admin, { service: "cooled", kind: "daily", period: yesterday, force: true })).run;
    await waitFor("the cooled run to be requeued", async () => {
      const r = (await db.pool.query("SELECT r.status, rr.not_run_count FROM runs r JOIN run_runtime rr ON rr.run_id = r.id WHERE r.id = $1", [cooled.id])).rows[0];
      return r?.not_run_count === 1 && r.status === "queued";
    }, 15_000);
    await cancelRun(db.pool, admin, { id: cooled.id });
  }, 40_000);

  it("quotes the last line a process that failed on its own wrote, so the run's error says why", async () => {
    const { run } = await enqueueRun(db.pool, admin, { service: "says-why", kind: "daily", period: yesterday, force: false });
    await waitFor("the run to fail", async () => (await runStatus(db.pool, run.id)) === "failed", 15_000);
    const row = (await db.pool.query("SELECT error FROM runs WHERE id = $1", [run.id])).rows[0];
    expect(row.error).toBe("the process exited with code 3; the last line of its log: cannot open the warehouse: connection refused");
  }, 30_000);

  it("stops a run that passes its timeout and records it failed", async () => {
    const { run } = await enqueueRun(db.pool, admin, { service: "slowpoke", kind: "daily", period: yesterday, force: false });
    await waitFor("the run to end", async () => (await runStatus(db.pool, run.id)) === "failed", 15_000);
    const row = (await db.pool.query("SELECT error, pid FROM runs WHERE id = $1", [run.id])).rows[0];
    expect(row.error).toMatch(/timed out after 1 s/);
    expect(groupAlive(row.pid)).toBe(false);
  }, 30_000);
});
