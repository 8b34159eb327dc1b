import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ranTaskIds, startTestScheduler, type TestScheduler } from "../../lib/pipeline/test-support";
import { createTestDatabase, type TestDatabase } from "../../lib/testing/database";
import { dailyFamilies, dayDir, demoEnv, familyOf, mtimes, runDaily } from "./demo-test-support";

// --force and --force-task on the demo daily pipeline, against the real scheduler and PostgreSQL.
// luigid ignores a PENDING announcement for a task that became DONE less than
// stable_done_cooldown_secs (10 s) ago; these runs follow each other within seconds, so this
// scheduler has the cooldown at 0 (a forced run minutes or days later needs no such setting).

let db: TestDatabase;
let scheduler: TestScheduler;
const [service, day] = ["margies-travel", "2026-11-22"];
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  scheduler = await startTestScheduler({ databaseUrl: db.url, scheduler: { stable_done_cooldown_secs: 0 } });
  env = demoEnv(db.url);
  dir = dayDir(env, service, day);
  const first = await runDaily(scheduler.url, service, day, env);
  expect(first.code, first.output).toBe(0);
}, 90_000);
afterAll(async () => {
  await scheduler?.close();
  await db?.drop();
});

const markers = async () => Object.fromEntries((await db.pool.query("SELECT update_id, inserted FROM demo.table_updates")).rows.map((r) => [familyOf(r.update_id), r.inserted.getTime()]));
const accountRows = async () => (await db.pool.query("SELECT count(*)::int AS n FROM demo.account_daily WHERE service_id = $1 AND day = $2", [service, day])).rows[0].n;

describe("forcing the demo daily pipeline", () => {
  it("--force-task re-runs the chosen task and what depends on it, nothing upstream", async () => {
    const before = mtimes(dir);
    const markersBefore = await markers();
    const rowsBefore = await accountRows();
    const r = await runDaily(scheduler.url, service, day, env, ["--force-task", "Sessionize"]);
    expect(r.code, r.output).toBe(0);
    expect(ranTaskIds(r.output).map(familyOf).sort()).toEqual(["AggregateAccounts", "AllDailyTask", "ComputeMetrics", "LoadAccountDaily", "LoadServiceMetrics", "PublishReport", "Sessionize"]);
    const after = mtimes(dir);
    expect(after["events.csv.gz"]).toBe(before["events.csv.gz"]);
    expect(after["clean-events.csv.gz"]).toBe(before["clean-events.csv.gz"]);
    for (const f of ["sessions/_SUCCESS", "accounts.json", "metrics.json", "report.html"]) expect(after[f], f).toBeGreaterThan(before[f]);
    const markersAfter = await markers();
    expect(markersAfter.LoadAccountDaily).toBeGreaterThan(markersBefore.LoadAccountDaily);
    expect(markersAfter.LoadServiceMetrics).toBeGreaterThan(markersBefore.LoadServiceMetrics);
    expect(await accountRows()).toBe(rowsBefore); // replaced, not appended
  }, 60_000);

  it("--force-task accepts a task id", async () => {
    const done = Object.keys(await scheduler.rpc("task_list", { status: "DONE", upstream_status: "", search: `${service} ${day}` }));
    const load = done.find((id) => id.startsWith("LoadServiceMetrics_"))!;
    const r = await runDaily(scheduler.url, service, day, env, ["--force-task", load]);
    expect(r.code, r.output).toBe(0);
    expect(ranTaskIds(r.output).map(familyOf).sort()).toEqual(["AllDailyTask", "LoadServiceMetrics", "PublishReport"]);
  }, 60_000);

  it("--force re-runs the root and everything under it, replacing outputs with identical data", async () => {
    const events = path.join(dir, "events.csv.gz");
    const bytes = fs.readFileSync(events);
    const before = mtimes(dir);
    const r = await runDaily(scheduler.url, service, day, env, ["--force", "--workers", "2"]);
    expect(r.code, r.output).toBe(0);
    expect(ranTaskIds(r.output).map(familyOf).sort()).toEqual([...dailyFamilies].sort());
    const after = mtimes(dir);
    for (const f of Object.keys(before)) expect(after[f], f).toBeGreaterThan(before[f]);
    expect(fs.readFileSync(events).equals(bytes)).toBe(true); // deterministic from (service, day)
    expect(fs.readdirSync(dir).filter((n) => n.startsWith("."))).toEqual([]); // no temp files left behind
  }, 60_000);
});
