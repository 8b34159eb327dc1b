import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log/logger";
import { getRunData } from "@/lib/presenters/get-run-data";
import { getRunLog, LOG_CHUNK_BYTES, LOG_TAIL_BYTES } from "@/lib/presenters/get-run-log";
import { seedRun, seedService } from "@/lib/presenters/testing/seed";
import { buildSchedulerConfig } from "@/lib/scheduler/config";
import { startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import { rpc } from "@/lib/scheduler/testing/rpc-client";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The Run page's read model against the real scheduler over HTTP writing into a real PostgreSQL:
// a run's tasks are its root task's dependency closure (as the scheduler stored it), never the
// tasks of another service whose parameters agree; states are as of the run, with now beside them.

const logger = createLogger("run-data-test", "error");
const W = "Worker(salt=1, workers=1, host=h, username=u, pid=1)";
const DAY = "2026-12-02";
const T0 = Date.parse("2026-12-02T02:00:00Z") / 1000;
const iso = (s: number) => new Date(s * 1000).toISOString();
const ids = (svc: string) => ({ root: `AllDaily_${svc}_r`, extract: `Extract_${svc}_e`, publish: `Publish_${svc}_p` });

let db: TestDatabase;
let scheduler: SchedulerServer;
let now = T0;
let dir: string;
const runs: Record<string, number> = {};

/** What a Luigi worker sends for one service's pipeline: root → Publish → Extract, all sharing `day`. */
async function schedule(svc: string, priority = 0, extract = "PENDING") {
  const t = ids(svc);
  const params = { service: svc, day: DAY };
  await rpc(scheduler.url, "add_task", { worker: W, task_id: t.root, family: "AllDaily", params, deps: [t.publish], priority });
  await rpc(scheduler.url, "add_task", { worker: W, task_id: t.publish, family: "Publish", params, deps: [t.extract], priority });
  await rpc(scheduler.url, "add_task", { worker: W, task_id: t.extract, family: "Extract", params: { day: DAY }, priority, status: extract });
}
async function runNext(expected: string, status: "DONE" | "FAILED", expl?: string) {
  const work = await rpc<{ task_id: string | null }>(scheduler.url, "get_work", { worker: W, host: "h", current_tasks: [] });
  expect(work.task_id).toBe(expected);
  now += 5;
  await rpc(scheduler.url, "add_task", { worker: W, task_id: expected, status, ...(expl ? { expl: JSON.stringify(expl) } : {}) });
  now += 5;
}
const TRACEBACK = 'Traceback (most recent call last):\n  File "publish.py", line 9, in run\nInjectedFailure: injected failure of PublishReport';

beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-run-log-"));
  process.env.SWITCHYARD_LOG_DIR = dir; // the runners' log folder: logs are read only from there
  const config = buildSchedulerConfig({ scheduler: { retry_delay: "100000" }, switchyard: { prune_interval: "0" } });
  scheduler = await startSchedulerServer({ host: "127.0.0.1", port: 0, config, databaseUrl: db.url, logger, clock: () => now });
  const shop = await seedService(db.pool, { name: "shop-bad" });
  const coho = await seedService(db.pool, { name: "coho-winery" });

  // both services' runs at the same time, their tasks all sharing `day`; shop's first (priority)
  await schedule("shop", 10);
  await schedule("coho");
  await runNext("Extract_shop_e", "DONE");
  await runNext("Publish_shop_p", "FAILED", TRACEBACK);
  await runNext("Extract_coho_e", "DONE");
  await runNext("Publish_coho_p", "DONE");
  await runNext("AllDaily_coho_r", "DONE");
  const window = { startedAt: iso(T0), finishedAt: iso(now) };
  const inference = "the process exited with code 30 (a task failed) and root task AllDaily_shop_r is PENDING, not DONE, in the scheduler";
  runs.failed = await seedRun(db.pool, { serviceId: shop, date: DAY, status: "failed", ...window, rootTaskId: ids("shop").root, error: inference });
  runs.coho = await seedRun(db.pool, { serviceId: coho, date: DAY, status: "done", ...window, rootTaskId: ids("coho").root });

  // an hour later an operator re-runs shop: Publish and the root now end DONE
  now += 3600;
  const rerunStart = now;
  await rpc(scheduler.url, "forgive_failures", { task_id: ids("shop").publish });
  await schedule("shop", 10, "DONE"); // a worker reports a complete task DONE: no new event
  await runNext("Publish_shop_p", "DONE");
  await runNext("AllDaily_shop_r", "DONE");
  const rerun = { startedAt: iso(rerunStart), finishedAt: iso(now), logPath: path.join(dir, "run.log") };
  runs.rerun = await seedRun(db.pool, { serviceId: shop, date: DAY, status: "done", attempt: 2, ...rerun, rootTaskId: ids("shop").root });
  runs.queued = await seedRun(db.pool, { serviceId: coho, date: "2026-12-01", status: "queued", trigger: "backfill" });
  await scheduler.checkpoint(); // the history is written by the scheduler's checkpoint, shortly after each acknowledgement
});

afterAll(async () => {
  await scheduler?.close();
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const byId = (data: NonNullable<Awaited<ReturnType<typeof getRunData>>>) => Object.fromEntries(data.tasks.map((t) => [t.taskId, t]));

describe("getRunData", () => {
  it("returns null for a run that does not exist", async () => {
    expect(await getRunData(db.pool, 999_999)).toBeNull();
  });

  it("lists only the run's own tasks, though another service's share its parameters and ran at the same time", async () => {
    const shop = (await getRunData(db.pool, runs.failed))!;
    expect(shop.tasks.map((t) => t.taskId)).toEqual(["AllDaily_shop_r", "Extract_shop_e", "Publish_shop_p"]);
    expect(shop.edgesFrom).toBe("history");
    expect(byId(shop).Publish_shop_p.deps).toEqual(["Extract_shop_e"]);
    const coho = (await getRunData(db.pool, runs.coho))!;
    expect(coho.tasks.map((t) => [t.taskId, t.status])).toEqual([
      ["AllDaily_coho_r", "DONE"],
      ["Extract_coho_e", "DONE"],
      ["Publish_coho_p", "DONE"],
    ]);
    expect(coho.failures).toEqual([]);
  });

  it("keeps an old run's failure after a successful re-run, with the current state beside it", async () => {
    const old = (await getRunData(db.pool, runs.failed))!;
    const t = byId(old);
    expect([t.Publish_shop_p.status, t.Publish_shop_p.currentStatus]).toEqual(["FAILED", "DONE"]);
    expect([t.AllDaily_shop_r.status, t.AllDaily_shop_r.currentStatus]).toEqual(["PENDING", "DONE"]);
    expect([t.Extract_shop_e.status, t.Extract_shop_e.currentStatus]).toEqual(["DONE", null]);
    expect(old.latest).toBe(false);
    // the Error box leads with the failed task and its exception's last line
    expect(old.failures.map((f) => [f.family, f.params, f.failure?.lastLine])).toEqual([
      ["Publish", { day: DAY, service: "shop" }, "InjectedFailure: injected failure of PublishReport"],
    ]);
    expect(old.failures[0].failure?.traceback).toContain('File "publish.py", line 9');
    expect(old.run.error).toContain("is PENDING, not DONE");
  });

  it("shows the re-run its own events: Extract was done before it started, so it is done without spans", async () => {
    const rerun = (await getRunData(db.pool, runs.rerun))!;
    const t = byId(rerun);
    expect(rerun.tasks.map((x) => [x.taskId, x.status, x.currentStatus])).toEqual([
      ["AllDaily_shop_r", "DONE", null],
      ["Extract_shop_e", "DONE", null],
      ["Publish_shop_p", "DONE", null],
    ]);
    expect(rerun.failures).toEqual([]);
    expect(t.Extract_shop_e).toMatchObject({ activeInRun: false, spans: [] });
    expect(t.Publish_shop_p.spans.map((s) => s.status)).toEqual(["PENDING", "RUNNING", "DONE"]);
    expect(rerun.latest).toBe(true);
  });

  it("has no tasks before a run starts", async () => {
    const data = (await getRunData(db.pool, runs.queued))!;
    expect(data.tasks).toEqual([]);
    expect(data.tasksWindow).toBeNull();
  });
});

describe("getRunLog", () => {
  it("returns the tail first, then only what was appended since the offset", async () => {
    const file = path.join(dir, "run.log");
    const head = "x".repeat(LOG_TAIL_BYTES + 100);
    fs.writeFileSync(file, head + "line one\n");
    const first = (await getRunLog(db.pool, runs.rerun, null))!;
    expect(first.text.endsWith("line one\n")).toBe(true);
    expect(first.text.length).toBe(LOG_TAIL_BYTES);
    expect(first).toMatchObject({ missing: false, running: false, size: head.length + 9 });

    fs.appendFileSync(file, "line two\n");
    const next = (await getRunLog(db.pool, runs.rerun, first.size))!;
    expect(next.text).toBe("line two\n");
    expect(next.start).toBe(first.size);
  });

  it("cuts the tail and each chunk on whole UTF-8 characters, and says when a chunk left more to read", async () => {
    const file = path.join(dir, "run.log");
    fs.writeFileSync(file, "é".repeat(LOG_TAIL_BYTES) + "z"); // the tail starts on the second byte of an é
    const first = (await getRunLog(db.pool, runs.rerun, null))!;
    expect(first.text).not.toContain("\uFFFD");
    expect(first.text.endsWith("éz")).toBe(true);
    expect(first.start).toBe(2 * LOG_TAIL_BYTES + 1 - LOG_TAIL_BYTES + 1);
    expect(first.more).toBe(false);

    fs.appendFileSync(file, Buffer.from([0x0a, 0xc3])); // a writer flushed half of a ü
    const half = (await getRunLog(db.pool, runs.rerun, first.size))!;
    expect(half.text).toBe("\n");
    fs.appendFileSync(file, Buffer.from([0xbc, 0x0a]));
    const whole = (await getRunLog(db.pool, runs.rerun, half.size))!;
    expect(whole.text).toBe("ü\n");

    fs.appendFileSync(file, "y".repeat(LOG_CHUNK_BYTES + 5));
    const big = (await getRunLog(db.pool, runs.rerun, whole.size))!;
    expect(big).toMatchObject({ more: true, size: whole.size + LOG_CHUNK_BYTES });
    expect(await getRunLog(db.pool, runs.rerun, big.size)).toMatchObject({ more: false, text: "yyyyy" });
  });

  it("says the log is missing when the run has no log file", async () => {
    expect(await getRunLog(db.pool, runs.failed, null)).toMatchObject({ missing: true, text: "" });
    expect(await getRunLog(db.pool, 999_999, null)).toBeNull();
  });

  it("says a missing log of a run that ended before the runners' retention was deleted, after how many days", async () => {
    const gone = path.join(dir, `run-${runs.failed}.log`);
    const ended = async (daysAgo: number) => db.pool.query("UPDATE runs SET log_path = $2, finished_at = now() - make_interval(days => $3) WHERE id = $1", [runs.failed, gone, daysAgo]);
    try {
      await ended(31);
      await db.pool.query("UPDATE runs SET host = 'node-7' WHERE id = $1", [runs.failed]);
      // and which host wrote it, for a web server that does not share the runners' folder
      expect(await getRunLog(db.pool, runs.failed, null)).toMatchObject({ missing: true, deletedAfterDays: 30, host: "node-7", path: gone });
      await ended(29); // within the 30 days: just missing
      expect((await getRunLog(db.pool, runs.failed, null))!.deletedAfterDays).toBeUndefined();
      process.env.SWITCHYARD_RUN_LOG_DAYS = "7";
      expect(await getRunLog(db.pool, runs.failed, null)).toMatchObject({ missing: true, deletedAfterDays: 7 });
    } finally {
      delete process.env.SWITCHYARD_RUN_LOG_DAYS;
      await db.pool.query("UPDATE runs SET log_path = NULL WHERE id = $1", [runs.failed]);
    }
  });

  it("carries the open incidents of the run's period, not another period's or a resolved one", async () => {
    const open = `INSERT INTO alert_incidents (key, rule, severity, service_id, kind, period_start, period_date, summary, status, opened_at)
                  SELECT $1, 'run_failed', 'critical', service_id, kind, period_start, period_date, 'x', $2, now() FROM runs WHERE id = $3`;
    await db.pool.query(open, ["k-open", "open", runs.failed]);
    await db.pool.query(open, ["k-resolved", "resolved", runs.failed]);
    await db.pool.query(open, ["k-other", "open", runs.queued]);
    const data = (await getRunData(db.pool, runs.rerun))!; // a run of the same period sees it too
    expect(data.incidents).toEqual([expect.objectContaining({ rule: "run_failed", severity: "critical", acknowledgedBy: null })]);
    expect((await getRunData(db.pool, runs.coho))!.incidents).toEqual([]);
    await db.pool.query("DELETE FROM alert_incidents");
  });
});

