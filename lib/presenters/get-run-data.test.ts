import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRunData } from "@/lib/presenters/get-run-data";
import { getRunLog, LOG_TAIL_BYTES } from "@/lib/presenters/get-run-log";
import { seedRun, seedService, seedTask } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The Run page's read model: attempts of the period, the run's tasks found in Luigi's history
// (root task id, the run's time window, parameters that agree with the root's), and its log.

let db: TestDatabase;
let dir: string;
const ids: Record<string, number> = {};
const ROOT = "AllDailyTask_2026_11_22_7_aaaaaaaaaa";

beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-run-log-"));
  process.env.SWITCHYARD_LOG_DIR = dir; // the runners' log folder: logs are read only from there
  const p = db.pool;
  const svc = await seedService(p, { name: "acme" });
  ids.first = await seedRun(p, {
    serviceId: svc,
    date: "2026-11-22",
    status: "failed",
    startedAt: "2026-11-22T02:00:00Z",
    finishedAt: "2026-11-22T02:10:00Z",
    rootTaskId: ROOT,
    error: "Traceback (most recent call last):\n  ValueError: bad row 42",
  });
  ids.second = await seedRun(p, {
    serviceId: svc,
    date: "2026-11-22",
    status: "running",
    attempt: 2,
    startedAt: "2026-11-22T05:00:00Z",
    rootTaskId: ROOT,
    logPath: path.join(dir, "run.log"),
  });
  ids.queued = await seedRun(p, { serviceId: svc, date: "2026-11-21", status: "queued", trigger: "backfill" });
  ids.rootRow = await seedTask(p, {
    taskId: ROOT,
    family: "AllDailyTask",
    params: { service_id: "7", day: "2026-11-22" },
    // luigid reuses a task row within one process lifetime: both attempts' events land here
    events: [
      ["PENDING", "2026-11-22 02:00:01"],
      ["FAILED", "2026-11-22 02:09:59"],
      ["PENDING", "2026-11-22 05:00:01"],
      ["RUNNING", "2026-11-22 05:00:03"],
    ],
  });
  ids.extract = await seedTask(p, {
    taskId: "Extract_2026_11_22_0_7_bbbbbbbbbb",
    family: "Extract",
    host: "worker-1",
    params: { service_id: "7", day: "2026-11-22", shard: "0" },
    events: [
      ["PENDING", "2026-11-22 05:00:02"],
      ["RUNNING", "2026-11-22 05:00:04"],
      ["DONE", "2026-11-22 05:03:00"],
    ],
  });
  // another service's task in the same window: a parameter disagrees, so it is not ours
  await seedTask(p, { taskId: "Extract_other", family: "Extract", params: { service_id: "8", day: "2026-11-22", shard: "0" }, events: [["RUNNING", "2026-11-22 05:01:00"]] });
  // a task with no parameter in common with the root cannot be attributed
  await seedTask(p, { taskId: "Unrelated", family: "Cleanup", params: { bucket: "x" }, events: [["DONE", "2026-11-22 05:02:00"]] });
  // ours by parameters, but from the first attempt's window
  await seedTask(p, { taskId: "Load_first", family: "Load", params: { service_id: "7", day: "2026-11-22" }, events: [["FAILED", "2026-11-22 02:09:00"]] });
});

afterAll(async () => {
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("getRunData", () => {
  it("returns null for a run that does not exist", async () => {
    expect(await getRunData(db.pool, 999_999)).toBeNull();
  });

  it("lists every attempt of the period, oldest first", async () => {
    const data = (await getRunData(db.pool, ids.second, Date.parse("2026-11-22T05:05:00Z")))!;
    expect(data.attempts.map((a) => [a.id, a.attempt, a.status])).toEqual([
      [ids.first, 1, "failed"],
      [ids.second, 2, "running"],
    ]);
    expect(data.run).toMatchObject({ serviceName: "acme", periodDate: "2026-11-22", status: "running" });
    expect(data.active).toBe(true);
  });

  it("finds the running attempt's tasks: the root and tasks whose parameters agree with it, within its window", async () => {
    const data = (await getRunData(db.pool, ids.second, Date.parse("2026-11-22T05:05:00Z")))!;
    expect(data.tasks.map((t) => [t.id, t.family, t.isRoot, t.status])).toEqual([
      [ids.rootRow, "AllDailyTask", true, "RUNNING"],
      [ids.extract, "Extract", false, "DONE"],
    ]);
    expect(data.tasks[1].params).toEqual({ day: "2026-11-22", service_id: "7", shard: "0" });
    expect(data.tasks[0].events.map((e) => e.name)).toEqual(["PENDING", "RUNNING"]);
    expect(data.timeline.map((e) => `${e.family}:${e.name}`)).toEqual([
      "AllDailyTask:PENDING",
      "Extract:PENDING",
      "AllDailyTask:RUNNING",
      "Extract:RUNNING",
      "Extract:DONE",
    ]);
    expect(data.timeline[0].ts).toBe("2026-11-22T05:00:01.000Z");
  });

  it("shows the failed attempt its own events and traceback", async () => {
    const data = (await getRunData(db.pool, ids.first))!;
    expect(data.tasks.map((t) => [t.family, t.status])).toEqual([
      ["AllDailyTask", "FAILED"],
      ["Load", "FAILED"],
    ]);
    expect(data.run.error).toContain("ValueError: bad row 42");
    expect(data.active).toBe(false);
  });

  it("has no tasks before a run starts", async () => {
    const data = (await getRunData(db.pool, ids.queued))!;
    expect(data.tasks).toEqual([]);
    expect(data.tasksWindow).toBeNull();
  });
});

describe("getRunLog", () => {
  it("returns the tail first, then only what was appended since the offset", async () => {
    const file = path.join(dir, "run.log");
    const head = "x".repeat(LOG_TAIL_BYTES + 100);
    fs.writeFileSync(file, head + "line one\n");
    const first = (await getRunLog(db.pool, ids.second, null))!;
    expect(first.text.endsWith("line one\n")).toBe(true);
    expect(first.text.length).toBe(LOG_TAIL_BYTES);
    expect(first).toMatchObject({ missing: false, running: true, size: head.length + 9 });

    fs.appendFileSync(file, "line two\n");
    const next = (await getRunLog(db.pool, ids.second, first.size))!;
    expect(next.text).toBe("line two\n");
    expect(next.start).toBe(first.size);
  });

  it("says the log is missing when the run has no log file", async () => {
    expect(await getRunLog(db.pool, ids.first, null)).toMatchObject({ missing: true, text: "" });
    expect(await getRunLog(db.pool, 999_999, null)).toBeNull();
  });
});
