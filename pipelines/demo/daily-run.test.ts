import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ranTaskIds, startTestScheduler, switchyardRun, waitFor, type TestScheduler } from "../../lib/pipeline/test-support";
import { runSwitchyard } from "../../lib/testing/processes";
import { createTestDatabase, type TestDatabase } from "../../lib/testing/database";
import { readGzip } from "./records";
import { dailyFamilies, dayDir, demoEnv, familyOf, historyOf, mtimes, runDaily } from "./demo-test-support";

// The demo daily pipeline as the runner launches it: `switchyard run` child processes against the
// real scheduler server (with PostgreSQL durability and Luigi history) and a real PostgreSQL.

let db: TestDatabase;
let scheduler: TestScheduler;
beforeAll(async () => {
  db = await createTestDatabase();
  scheduler = await startTestScheduler({ databaseUrl: db.url, scheduler: { record_task_history: true } });
});
afterAll(async () => {
  await scheduler?.close();
  await db?.drop();
});

const idPart = (service: string, day: string) => `${day.replace(/-/g, "_")}_${service.slice(0, 16).replace(/[^A-Za-z0-9_]/g, "_")}`;
const tasksOf = async (service: string, day: string, status: string) =>
  Object.keys(await scheduler.rpc("task_list", { status, upstream_status: "", search: `${service} ${day}` })).sort();

describe("the demo daily pipeline", () => {
  const service = "northwind-traders";
  const day = "2026-11-22";
  let env: Record<string, string>;

  beforeAll(() => {
    env = demoEnv(db.url);
  });

  it("runs end to end: outputs, PostgreSQL rows, scheduler statuses, history, run log", async () => {
    const runLog = path.join(env.SWITCHYARD_HOME, "runs", "1.log");
    const started = Date.now();
    const r = await runDaily(scheduler.url, service, day, { ...env, SWITCHYARD_RUN_LOG: runLog });
    const seconds = (Date.now() - started) / 1000;
    expect(r.code, r.output).toBe(0);
    console.info(`demo daily run (${service}, 1 worker process): ${seconds.toFixed(1)} s wall`);

    const dir = dayDir(env, service, day);
    for (const f of ["events.csv.gz", "clean-events.csv.gz", "sessions/_SUCCESS", "accounts.json", "metrics.json", "report.html"]) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    expect(fs.readdirSync(path.join(dir, "sessions")).sort()).toEqual(["_SUCCESS", "part-0000.csv.gz", "part-0001.csv.gz", "part-0002.csv.gz", "part-0003.csv.gz"]);
    const metrics = JSON.parse(fs.readFileSync(path.join(dir, "metrics.json"), "utf8"));
    const accounts = JSON.parse(fs.readFileSync(path.join(dir, "accounts.json"), "utf8"));
    expect(metrics.events).toBeGreaterThan(10_000);
    expect(fs.readFileSync(path.join(dir, "report.html"), "utf8")).toContain("Northwind Traders — daily report for 2026-11-22");

    const rows = await db.pool.query("SELECT count(*)::int AS n, sum(revenue_cents)::bigint AS revenue FROM demo.account_daily WHERE service_id = $1 AND day = $2", [service, day]);
    expect(rows.rows[0]).toEqual({ n: accounts.length, revenue: metrics.revenueCents });
    const m = await db.pool.query("SELECT events, sessions FROM demo.service_daily_metrics WHERE service_id = $1 AND day = $2", [service, day]);
    expect(m.rows).toEqual([{ events: metrics.events, sessions: metrics.sessions }]);
    const markers = await db.pool.query("SELECT update_id FROM demo.table_updates WHERE update_id LIKE '%' || $1 || '%' ORDER BY 1", [idPart(service, day)]);
    expect(markers.rows.map((x) => familyOf(x.update_id))).toEqual(["LoadAccountDaily", "LoadServiceMetrics"]);

    const done = await tasksOf(service, day, "DONE");
    expect(done.map(familyOf).sort()).toEqual([...dailyFamilies].sort());
    const sessionize = done.find((id) => id.startsWith("Sessionize_"))!;
    expect(await scheduler.rpc("get_task_progress_percentage", { task_id: sessionize })).toEqual({ taskId: sessionize, progressPercentage: 100 });
    const generate = done.find((id) => id.startsWith("GenerateEvents_"))!;
    const rawRows = readGzip(path.join(dir, "events.csv.gz")).trimEnd().split("\n").length - 1;
    expect(await scheduler.rpc("get_task_status_message", { task_id: generate })).toEqual({ taskId: generate, statusMessage: `${rawRows} events` });

    const history = await waitFor("history rows", async () => {
      const h = await historyOf(db.pool, idPart(service, day));
      return Object.keys(h).length === 9 && Object.values(h).every((e) => e.endsWith("DONE")) ? h : null;
    });
    for (const [id, events] of Object.entries(history)) expect(events, id).toBe("PENDING,RUNNING,DONE");

    const log = fs.readFileSync(runLog, "utf8");
    for (const id of done) expect(log, id).toContain(`[${id}]`);
    expect(log).toContain("This progress looks :)");
  }, 90_000);

  it("does nothing on a second run (idempotent)", async () => {
    const dir = dayDir(env, service, day);
    const before = mtimes(dir);
    const marker = await db.pool.query("SELECT update_id, inserted FROM demo.table_updates ORDER BY 1");
    const r = await runDaily(scheduler.url, service, day, env);
    expect(r.code, r.output).toBe(0);
    expect(ranTaskIds(r.output)).toEqual([]);
    expect(r.output).toMatch(/Scheduled 1 tasks of which:\n.*\* 1 complete ones were encountered/);
    expect(mtimes(dir)).toEqual(before);
    expect((await db.pool.query("SELECT update_id, inserted FROM demo.table_updates ORDER BY 1")).rows).toEqual(marker.rows);
  }, 60_000);
});

describe("failures", () => {
  it("shows a failed task that a re-run fixes, running only what is left", async () => {
    const [service, day] = ["coho-winery", "2026-11-20"];
    const env = demoEnv(db.url, { SWITCHYARD_DEMO_FLAKY_TASKS: "ComputeMetrics" });
    const first = await runDaily(scheduler.url, service, day, env);
    expect(first.code, first.output).toBe(30);
    const [failed] = await tasksOf(service, day, "FAILED");
    expect(familyOf(failed)).toBe("ComputeMetrics");
    const error = JSON.parse((await scheduler.rpc("fetch_error", { task_id: failed })).error);
    expect(error).toMatch(/^Runtime error:\nInjectedFailure: injected failure of ComputeMetrics for coho-winery 2026-11-20 \(attempt 1; the next attempt succeeds\)/);
    expect((await tasksOf(service, day, "PENDING")).map(familyOf).sort()).toEqual(["AllDailyTask", "LoadServiceMetrics", "PublishReport"]);
    expect((await tasksOf(service, day, "DONE")).map(familyOf).sort()).toEqual(["AggregateAccounts", "CleanEvents", "GenerateEvents", "LoadAccountDaily", "Sessionize"]);

    const second = await runDaily(scheduler.url, service, day, env);
    expect(second.code, second.output).toBe(0);
    expect(ranTaskIds(second.output).map(familyOf).sort()).toEqual(["AllDailyTask", "ComputeMetrics", "LoadServiceMetrics", "PublishReport"]);
    const history = await waitFor("history of the re-run", async () => {
      const h = await historyOf(db.pool, idPart(service, day));
      return h[failed]?.endsWith("DONE") ? h : null;
    });
    expect(history[failed]).toBe("PENDING,RUNNING,FAILED,PENDING,RUNNING,DONE");
  }, 90_000);

  it("on SIGTERM fails the running task, never leaving it RUNNING, and a re-run completes", async () => {
    const [service, day] = ["fabrikam-analytics", "2026-11-21"];
    // the chronically slow service: its steps take long enough to be caught mid-run
    const env = demoEnv(db.url, { SWITCHYARD_DEMO_SLOW_SERVICE: service, SWITCHYARD_DEMO_SLOW_FACTOR: "4", SWITCHYARD_SHUTDOWN_GRACE: "0" });
    const proc = runSwitchyard(["run", "--module", "pipelines/demo/daily.ts", "AllDailyTask", "--service-id", service, "--day", day, "--scheduler-url", scheduler.url], env);
    const running = await waitFor("a running task", async () => (await tasksOf(service, day, "RUNNING"))[0]);
    proc.child.kill("SIGTERM");
    const code = await proc.exited;
    expect(code, proc.output()).toBe(30);
    expect(await tasksOf(service, day, "RUNNING")).toEqual([]);
    expect(await tasksOf(service, day, "FAILED")).toEqual([running]);
    expect(JSON.parse((await scheduler.rpc("fetch_error", { task_id: running })).error)).toContain("terminated: the worker received SIGTERM");
    // whatever outputs exist are whole: every gzip file reads to the end, a sessions folder has its marker
    const dir = dayDir(env, service, day);
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      if (name.endsWith(".gz")) expect(() => readGzip(path.join(dir, name)), name).not.toThrow();
      if (name === "sessions") expect(fs.existsSync(path.join(dir, name, "_SUCCESS"))).toBe(true);
    }
    const again = await runDaily(scheduler.url, service, day, { ...env, SWITCHYARD_SHUTDOWN_GRACE: "10" });
    expect(again.code, again.output).toBe(0);
    expect((await tasksOf(service, day, "DONE")).length).toBe(9);
  }, 120_000);
});

describe("two workers on the same graph", () => {
  it("never run a task twice", async () => {
    const [service, day] = ["trey-research", "2026-11-22"];
    const env = demoEnv(db.url);
    const [a, b] = await Promise.all([
      runDaily(scheduler.url, service, day, env, ["--workers", "2"]),
      runDaily(scheduler.url, service, day, env, ["--workers", "2"]),
    ]);
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    // both really competed: each announced the whole graph before the other had finished it
    expect(a.output).toContain("Scheduled 9 tasks");
    expect(b.output).toContain("Scheduled 9 tasks");
    const ran = [...ranTaskIds(a.output), ...ranTaskIds(b.output)];
    expect(ran.map(familyOf).sort()).toEqual([...dailyFamilies].sort());
    const history = await waitFor("history rows", async () => {
      const h = await historyOf(db.pool, idPart(service, day));
      return Object.keys(h).length === 9 && Object.values(h).every((e) => e.endsWith("DONE")) ? h : null;
    });
    for (const [id, events] of Object.entries(history)) expect(events.split(",").filter((e) => e === "RUNNING"), id).toHaveLength(1);
  }, 120_000);
});

describe("the demo hourly pipeline", () => {
  it("loads one row per minute of the service's local hour", async () => {
    const env = demoEnv(db.url);
    const r = await switchyardRun(
      ["--module", "pipelines/demo/hourly.ts", "AllHourlyTask", "--service-id", "relecloud", "--hour", "2026-11-22T07", "--scheduler-url", scheduler.url],
      env,
    );
    expect(r.code, r.output).toBe(0);
    expect(ranTaskIds(r.output).map(familyOf).sort()).toEqual(["AllHourlyTask", "GenerateHourlyEvents", "LoadHourlyRollup", "RollupHourly"]);
    const rollup = JSON.parse(fs.readFileSync(path.join(env.SWITCHYARD_HOME, "demo-output/relecloud/hourly/2026-11-22T07/rollup.json"), "utf8"));
    // 07:00 in Auckland (UTC+13 in November) is 18:00 UTC the day before
    expect(rollup.hourStart).toBe("2026-11-21T18:00:00.000Z");
    const rows = await db.pool.query("SELECT count(*)::int AS n, sum(events)::int AS events FROM demo.hourly_rollups WHERE service_id = 'relecloud' AND hour_start = $1", [rollup.hourStart]);
    expect(rows.rows[0]).toEqual({ n: 60, events: rollup.events });
    expect(rollup.events).toBeGreaterThan(100);
  }, 60_000);
});
