import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { readRootTaskEvents, recordExternalRun } from "@/lib/db/runs/external-runs";
import type { Queryable } from "@/lib/db/runs/run-columns";
import { triggerPeriods } from "@/lib/db/runs/trigger-periods";
import { ExternalWatcher } from "@/lib/runner/external/external-watcher";
import { matchRootTask, rootTemplates, type TemplateService } from "@/lib/runner/external/match-root-task";
import { dailyPeriod } from "@/lib/runner/schedule/periods";
import { addService, removeTempDirs, tempDir, TINY_COMMAND, waitFor } from "@/lib/runner/testing/runner-harness";
import { startDaemon, type Daemon } from "@/lib/scheduler/testing/daemon-process";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { runSwitchyard } from "@/lib/testing/processes";

// Runs launched elsewhere: a TypeScript SDK worker started by hand (as cron would), against the
// real scheduler writing its history into the test database, is recognised by its root task,
// recorded as an external run and followed to done or failed; the trigger then leaves the period alone.

const base: TemplateService = { id: 1, name: "shop-ok", timeZone: "UTC", dailyTime: "02:00", hourlyMinute: 5, dailyCommand: "true", hourlyCommand: null, rootTask: {} };

describe("matchRootTask", () => {
  it("reads the template off a Luigi command line, or the named rootTask, and finds the period", () => {
    const python = { ...base, dailyCommand: "python3 -m luigi --module shop AllDaily --service {service} --day {day} --scheduler-url {scheduler_url}" };
    const named = { ...base, id: 2, name: "tz", timeZone: "Europe/Berlin", hourlyCommand: "x", rootTask: { hourly: { family: "Hourly", params: { key: "{service}/{hour}" } } } };
    const templates = rootTemplates([python, named]);
    expect(matchRootTask(templates, "AllDaily", { service: "shop-ok", day: "2026-12-03", workers: "2" })).toMatchObject({ service: { name: "shop-ok" }, kind: "daily", period: { date: "2026-12-03" } });
    expect(matchRootTask(templates, "AllDaily", { service: "shop-other", day: "2026-12-03" })).toBeNull();
    expect(matchRootTask(templates, "AllDaily", { service: "shop-ok", day: "yesterday" })).toBeNull();
    expect(matchRootTask(templates, "AllDaily", { service: "shop-ok" })).toBeNull();
    expect(matchRootTask(templates, "Hourly", { key: "tz/2026-12-03T07" })).toMatchObject({ kind: "hourly", period: { date: "2026-12-03", hour: 7 } });
  });
});

describe("external runs against the real scheduler", () => {
  let db: TestDatabase;
  let scheduler: Daemon;
  let watcher: ExternalWatcher;
  const outputs = tempDir("external-tiny-");
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    ids.ok = await addService(db.pool, { name: "shop-ok", dailyCommand: TINY_COMMAND });
    ids.bad = await addService(db.pool, { name: "shop-bad", dailyCommand: TINY_COMMAND, launch: false });
    scheduler = await startDaemon({ databaseUrl: db.url, config: "[scheduler]\nworker_disconnect_delay = 5\n[switchyard]\nprune_interval = 0.3\n" });
    watcher = new ExternalWatcher({ pool: db.pool, logger: createLogger("external-test", "warn"), lookbackHours: 1 });
  }, 60_000);
  afterAll(async () => {
    await scheduler?.kill("SIGTERM");
    await db?.drop();
    removeTempDirs();
  });

  /** What cron would start: the worker, by hand, outside any runner. */
  async function cronWorker(service: string, day: string, env: Record<string, string> = {}) {
    const worker = runSwitchyard(["run", "--module", "lib/runner/testing/tiny-pipeline.ts", "TinyDaily", "--service-id", service, "--day", day, "--scheduler-url", scheduler.url], {
      TINY_DIR: outputs,
      TINY_SLEEP_MS: "1500",
      ...env,
    });
    return worker;
  }

  async function externalRun(serviceId: number, day: string) {
    const r = await db.pool.query("SELECT id, trigger, status, host, runner_id, root_task_id, error FROM runs WHERE service_id = $1 AND period_date = $2 AND trigger = 'external'", [serviceId, day]);
    return r.rows[0] ?? null;
  }

  it("a worker launched elsewhere becomes an external run, R then D, with host and worker", async () => {
    // Slow enough work that the watcher sees the run while it is running, however busy the machine.
    const worker = await cronWorker("shop-ok", "2026-12-03", { TINY_SLEEP_MS: "6000" });
    const running = await waitFor("the external run", async () => {
      await watcher.pass();
      return externalRun(ids.ok, "2026-12-03");
    });
    expect(running).toMatchObject({ trigger: "external", status: "running", root_task_id: expect.stringMatching(/^TinyDaily_/) });
    expect(await worker.exited).toBe(0);
    const done = await waitFor("the external run to finish", async () => {
      await watcher.pass();
      const run = await externalRun(ids.ok, "2026-12-03");
      return run?.status === "done" ? run : null;
    });
    expect(done.host).toBeTruthy();
    expect(done.runner_id).toBeTruthy(); // the scheduler's worker id
    // Only one run for the period, however many events the worker sent.
    expect((await db.pool.query("SELECT count(*)::int AS n FROM runs WHERE service_id = $1", [ids.ok])).rows[0].n).toBe(1);

    // The scheduled trigger for that period does not queue another; the next day it does.
    const due = (day: string) => {
      const p = dailyPeriod({ timeZone: "UTC", dailyTime: "02:00" }, day)!;
      return { serviceId: ids.ok, kind: "daily" as const, periodStart: p.start, periodDate: day, periodHour: null };
    };
    expect(await triggerPeriods(db.pool, [due("2026-12-03")])).toBe(0);
    expect(await triggerPeriods(db.pool, [due("2026-12-02")])).toBe(1);
  });

  it("a failing dependency makes the external run failed even though the worker exits 0; launch:false services are never triggered", async () => {
    const worker = await cronWorker("shop-bad", "2026-12-03", { TINY_FAIL: "shop-bad" });
    await worker.exited;
    const failed = await waitFor("the external run to fail", async () => {
      await watcher.pass();
      const run = await externalRun(ids.bad, "2026-12-03");
      return run?.status === "failed" ? run : null;
    });
    expect(failed.host).toBeTruthy(); // from the worker's registration: the wrapper was never handed out
    expect(failed.error).toMatch(/worker left before root task TinyDaily_.* was done|FAILED/);
    const p = dailyPeriod({ timeZone: "UTC", dailyTime: "02:00" }, "2026-12-01")!;
    expect(await triggerPeriods(db.pool, [{ serviceId: ids.bad, kind: "daily", periodStart: p.start, periodDate: "2026-12-01", periodHour: null }])).toBe(0);
  });

  it("events of a worker the runner launched are not external runs", async () => {
    const p = dailyPeriod({ timeZone: "UTC", dailyTime: "02:00" }, "2026-12-04")!;
    const own = await db.pool.query(
      "INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, started_at, runner_id, host) VALUES ($1, 'daily', $2, '2026-12-04', 'manual', 'running', now(), 'r1', 'h') RETURNING id",
      [ids.ok, p.start],
    );
    const worker = await cronWorker("shop-ok", "2026-12-04");
    await worker.exited;
    await watcher.pass();
    await watcher.pass();
    expect(await externalRun(ids.ok, "2026-12-04")).toBeNull();
    await db.pool.query("UPDATE runs SET status = 'done', finished_at = now() WHERE id = $1", [own.rows[0].id]);
  });

  it("a service added while the watcher runs is matched at once, its recent history read again", async () => {
    // Cron was already running the worker when the team added the service (sync, SIGHUP or API).
    const fresh = new ExternalWatcher({ pool: db.pool, logger: createLogger("external-test", "warn"), lookbackHours: 1 });
    await fresh.pass();
    const worker = await cronWorker("shop-late", "2026-12-03", { TINY_SLEEP_MS: "8000" });
    await waitFor("the worker's root task in the history", async () => {
      await fresh.pass(); // the cursor moves past the event: no service matches it yet
      const r = await db.pool.query(
        "SELECT 1 FROM task_events e JOIN tasks t ON t.id = e.task_id JOIN task_parameters p ON p.task_id = t.id WHERE t.name = 'TinyDaily' AND p.name = 'service_id' AND p.value = 'shop-late'",
      );
      return r.rows.length > 0;
    });
    await fresh.pass();
    const late = await addService(db.pool, { name: "shop-late", dailyCommand: TINY_COMMAND, launch: false });
    const run = await waitFor("the external run of the added service", async () => {
      await fresh.pass();
      return externalRun(late, "2026-12-03");
    });
    expect(run).toMatchObject({ trigger: "external", status: "running" });
    expect(await worker.exited).toBe(0);
  });

  it("an event committed while the history is read is read on the next pass, never skipped", async () => {
    // The scheduler commits while a runner reads: here an event of a root family lands right after
    // the runner's read statement. The cursor must still stop before it (it once jumped past it).
    const task = await db.pool.query("INSERT INTO tasks (task_id, name, host) VALUES ('RaceRoot_x', 'RaceRoot', 'h') RETURNING id");
    const start = (await db.pool.query("SELECT coalesce(max(id), 0)::int AS m FROM task_events")).rows[0].m;
    let wrote = false;
    const racing: Queryable = {
      query: (async (text: string, values?: unknown[]) => {
        const result = await db.pool.query(text, values);
        if (!wrote) {
          wrote = true;
          await db.pool.query("INSERT INTO task_events (task_id, event_name, ts) VALUES ($1, 'PENDING', localtimestamp)", [task.rows[0].id]);
        }
        return result;
      }) as Queryable["query"],
    };
    const first = await readRootTaskEvents(racing, start, ["RaceRoot"]);
    expect(first.events).toEqual([]);
    const second = await readRootTaskEvents(db.pool, first.cursor, ["RaceRoot"]);
    expect(second.events.map((e) => e.taskId)).toEqual(["RaceRoot_x"]);
  });

  it("an earlier event of an external run's root task, read late, is that run's and records nothing", async () => {
    const p = dailyPeriod({ timeZone: "UTC", dailyTime: "02:00" }, "2026-11-20")!;
    const event = (at: string) => ({ serviceId: ids.bad, kind: "daily" as const, periodStart: p.start, periodDate: "2026-11-20", periodHour: null, taskId: "TinyDaily_late", host: "h", worker: "w", at, timeZone: "UTC" });
    const id = await recordExternalRun(db.pool, event("2026-11-21T10:00:00"));
    expect(id).not.toBeNull();
    await db.pool.query("UPDATE runs SET status = 'done', finished_at = '2026-11-21 10:00:05+00' WHERE id = $1", [id]);
    expect(await recordExternalRun(db.pool, event("2026-11-21T09:59:40"))).toBeNull(); // its PENDING, 20 s before
    expect(await recordExternalRun(db.pool, event("2026-11-22T10:00:00"))).not.toBeNull(); // cron's next attempt, a day later
    await db.pool.query("DELETE FROM runs WHERE service_id = $1 AND period_date = '2026-11-20'", [ids.bad]);
  });

  it("events of a run the runner launched and then requeued (stopped mid-run) are its own, read again after a restart", async () => {
    const p = dailyPeriod({ timeZone: "UTC", dailyTime: "02:00" }, "2026-11-19")!;
    // Queued by the catch-up, launched (root task known), then requeued by a runner's clean stop.
    const own = await db.pool.query(
      `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, queued_at, root_task_id)
       VALUES ($1, 'daily', $2, '2026-11-19', 'scheduled', 'queued', '2026-11-21 09:00+00', 'TinyDaily_own') RETURNING id`,
      [ids.bad, p.start],
    );
    const event = (at: string, taskId = "TinyDaily_own") => ({ serviceId: ids.bad, kind: "daily" as const, periodStart: p.start, periodDate: "2026-11-19", periodHour: null, taskId, host: "h", worker: "w", at, timeZone: "UTC" });
    // Its first attempt's worker registered the root task before the stop: that is not cron.
    expect(await recordExternalRun(db.pool, event("2026-11-21T09:00:10"))).toBeNull();
    expect((await db.pool.query("SELECT status FROM runs WHERE id = $1", [own.rows[0].id])).rows[0].status).toBe("queued");
    // A queued run never launched is superseded when cron starts the period: one statement each, no clash in the one-active-run index.
    await db.pool.query("UPDATE runs SET root_task_id = NULL WHERE id = $1", [own.rows[0].id]);
    const external = await recordExternalRun(db.pool, event("2026-11-21T09:00:20", "TinyDaily_cron"));
    expect(external).not.toBeNull();
    expect((await db.pool.query("SELECT status, error FROM runs WHERE id = $1", [own.rows[0].id])).rows[0]).toMatchObject({ status: "cancelled", error: expect.stringMatching(/started elsewhere \(TinyDaily_cron\)/) });
    await db.pool.query("DELETE FROM runs WHERE service_id = $1 AND period_date = '2026-11-19'", [ids.bad]);
  });

  it("a restarted runner reads the same history again and records nothing twice", async () => {
    const before = (await db.pool.query("SELECT count(*)::int AS n FROM runs")).rows[0].n;
    const restarted = new ExternalWatcher({ pool: db.pool, logger: createLogger("external-test", "warn"), lookbackHours: 1 });
    expect(await restarted.pass()).toEqual([]);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM runs")).rows[0].n).toBe(before);
  });
});
