import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoRootTaskId } from "@/pipelines/demo/fleet";
import { repoRoot } from "@/lib/paths";
import { syncServices } from "@/lib/db/services/sync-services";
import { defaultSchedulerConfig, startSchedulerServer, type SchedulerServer } from "@/lib/scheduler/index";
import type { Clock } from "@/lib/runner/clock";
import type { Runner } from "@/lib/runner/runner";
import { loadServicesFile } from "@/lib/runner/services/load-services-file";
import { removeTempDirs, tempDir, testRunner, waitFor } from "@/lib/runner/testing/runner-harness";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The demo fleet, registered from its services file, runs a whole simulated day on a fast clock:
// 2026-11-22 00:00 to 24:00 UTC in 60 real seconds. Every service's daily run comes due once,
// in its own time zone, and each hourly service's 24 hours; all of them are launched as the
// real demo pipeline against a real scheduler and end done, linked to their root tasks. The
// demo's services run one at a time (concurrency group demo_db), so this takes a few minutes.

const DAY_START = Date.parse("2026-11-22T00:00:00Z");
const DAY_END = DAY_START + 86_400_000;
const SPEED = 1440;

let db: TestDatabase;
let scheduler: SchedulerServer;
let runner: Runner;

beforeAll(async () => {
  db = await createTestDatabase();
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    SWITCHYARD_RUN_DATABASE_URL: db.url, // the demo's tables, as `switchyard start` gives its runs
    SWITCHYARD_HOME: tempDir("demo-day-"),
    SWITCHYARD_DEMO_FLAKY_RATE: "0",
    SWITCHYARD_DEMO_FAIL_RATE: "0",
    SWITCHYARD_DEMO_SLOW_SERVICE: "none",
    // DEMO_DAY_LOG_LEVEL=info keeps the workers' own output in the run logs, for debugging
    LOG_LEVEL: process.env.DEMO_DAY_LOG_LEVEL ?? "warn",
  });
  scheduler = await startSchedulerServer({ host: "127.0.0.1", port: 0, config: defaultSchedulerConfig() });
  await syncServices(db.pool, loadServicesFile(path.join(repoRoot, "pipelines/demo/switchyard.services.json")));
  const realStart = Date.now();
  // The simulated day, and not a minute more: the clock stops at midnight.
  const clock: Clock = { speed: SPEED, now: () => new Date(Math.min(DAY_END, DAY_START + (Date.now() - realStart) * SPEED)) };
  runner = testRunner(db.pool, { schedulerUrl: scheduler.url, clock, trigger: true, triggerMs: 250, catchUp: { days: 0, hours: 0 }, maxRunning: 2 });
  await runner.start();
}, 60_000);

afterAll(async () => {
  await runner?.stop();
  await scheduler?.close();
  await db?.drop();
  removeTempDirs();
});

describe("the demo fleet on a fast clock", () => {
  it("runs a whole simulated day: one daily run per service, 24 hourly runs per hourly service, all done", async () => {
    let last: Array<Record<string, string>> = [];
    const rows = await waitFor(
      "the simulated day's runs to finish",
      async () => {
        const r = await db.pool.query(
          `SELECT s.name, r.kind, r.period_date::text AS day, r.period_hour, r.status, r.trigger, r.root_task_id, r.error
             FROM runs r JOIN services s ON s.id = r.service_id ORDER BY r.id`,
        );
        const settled = r.rows.length > 0 && r.rows.every((x) => x.status !== "queued" && x.status !== "running");
        last = r.rows;
        return settled && r.rows.length >= 24 + 3 * 24 ? r.rows : null;
      },
      400_000,
    ).catch((error) => {
      const tally = new Map<string, number>();
      for (const r of last) tally.set(`${r.kind}/${r.status}`, (tally.get(`${r.kind}/${r.status}`) ?? 0) + 1);
      const counts = [...tally].map(([k, n]) => `${k}: ${n}`);
      const errors = last.filter((r) => r.error).slice(0, 5).map((r) => `${r.name} ${r.kind} ${r.day}: ${r.error}`);
      throw new Error(`${(error as Error).message}\n${counts.join(", ")}\n${errors.join("\n")}`);
    });
    const daily = rows.filter((r) => r.kind === "daily");
    const hourly = rows.filter((r) => r.kind === "hourly");
    expect(daily.map((r) => r.name).sort()).toEqual([...new Set(daily.map((r) => r.name))].sort());
    expect(daily).toHaveLength(24);
    expect(hourly).toHaveLength(3 * 24);
    expect(rows.filter((r) => r.status !== "done").map((r) => `${r.name} ${r.kind} ${r.day}: ${r.error}`)).toEqual([]);
    expect(rows.every((r) => r.trigger === "scheduled")).toBe(true);
    for (const r of daily) expect(r.root_task_id).toBe(demoRootTaskId("daily", r.name, r.day));
    // Each in its own zone: the UTC day is Tokyo's 22nd 09:00 to 23rd 09:00, so Tokyo's run due
    // in it (early on the 23rd) is for the 22nd; in Anchorage it is the 21st 15:00 to 22nd 15:00.
    expect(daily.find((r) => r.name === "trey-research")!.day).toBe("2026-11-22");
    expect(daily.find((r) => r.name === "city-power-light")!.day).toBe("2026-11-21");
  }, 420_000);
});
