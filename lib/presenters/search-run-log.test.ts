import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedRun, seedService } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { getRunLog } from "./get-run-log";
import { searchRunLog } from "./search-run-log";

// Searching a run's whole log file on the server, streamed line by line.

let db: TestDatabase;
let dir: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-log-search-"));
  process.env.SWITCHYARD_LOG_DIR = dir; // the runners' log folder: logs are read only from there
  const lines = Array.from({ length: 50_000 }, (_, i) => `2026-12-04 01:00:00 INFO step ${i} of customer-${i % 1000}`);
  lines[41_234] = "Traceback (most recent call last):";
  lines[41_235] = 'InjectedFailure: injected failure of PublishReport(service=acme, day=2026-12-03)';
  const log = path.join(dir, "run.log");
  fs.writeFileSync(log, lines.join("\n") + "\n");
  const svc = await seedService(db.pool, { name: "acme" });
  ids.withLog = await seedRun(db.pool, { serviceId: svc, date: "2026-12-03", status: "failed", startedAt: "2026-12-04T01:00:00Z", finishedAt: "2026-12-04T01:05:00Z", logPath: log });
  // a row naming a file outside the log folder, directly or through a symlink planted inside it
  fs.writeFileSync(path.join(os.tmpdir(), "switchyard-not-a-log.txt"), "secret line\n");
  fs.symlinkSync(path.join(os.tmpdir(), "switchyard-not-a-log.txt"), path.join(dir, "planted.log"));
  ids.outside = await seedRun(db.pool, { serviceId: svc, date: "2026-12-01", status: "done", startedAt: "2026-12-02T01:00:00Z", finishedAt: "2026-12-02T01:05:00Z", logPath: "/etc/passwd" });
  ids.planted = await seedRun(db.pool, { serviceId: svc, date: "2026-11-30", status: "done", startedAt: "2026-12-01T01:00:00Z", finishedAt: "2026-12-01T01:05:00Z", logPath: path.join(dir, "planted.log") });
  ids.noFile = await seedRun(db.pool, { serviceId: svc, date: "2026-12-02", status: "done", startedAt: "2026-12-03T01:00:00Z", finishedAt: "2026-12-03T01:05:00Z", logPath: path.join(dir, "gone.log") });
});
afterAll(async () => {
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(path.join(os.tmpdir(), "switchyard-not-a-log.txt"), { force: true });
});

describe("searchRunLog", () => {
  it("finds a line deep in a large log, case-insensitively, with its line number", async () => {
    const found = await searchRunLog(db.pool, ids.withLog, "injectedfailure");
    expect(found).toMatchObject({ lines: 50_000, truncated: false, missing: false });
    expect(found?.matches).toEqual([{ line: 41_236, text: "InjectedFailure: injected failure of PublishReport(service=acme, day=2026-12-03)" }]);
  });

  it("caps a common word's matches and says so", async () => {
    const found = await searchRunLog(db.pool, ids.withLog, "customer-7", 25);
    expect(found?.matches).toHaveLength(25);
    expect(found?.truncated).toBe(true);
    expect(found?.matches[0]).toEqual({ line: 8, text: "2026-12-04 01:00:00 INFO step 7 of customer-7" });
  });

  it("reads nothing outside the runners' log folder, nor through a symlink that leads out of it", async () => {
    expect(await searchRunLog(db.pool, ids.outside, "root")).toMatchObject({ missing: true, matches: [] });
    expect(await searchRunLog(db.pool, ids.planted, "secret")).toMatchObject({ missing: true, matches: [] });
    const log = await getRunLog(db.pool, ids.outside, null);
    expect(log).toMatchObject({ missing: true, text: "" });
    expect(log?.refused).toMatch(/outside the runners' log folder/);
  });

  it("says the file is missing, and null for an unknown run", async () => {
    expect(await searchRunLog(db.pool, ids.noFile, "x")).toMatchObject({ missing: true, matches: [] });
    expect(await searchRunLog(db.pool, 999_999, "x")).toBeNull();
  });
});
