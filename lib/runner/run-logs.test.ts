import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pruneRunLogs } from "@/lib/runner/run-logs";
import { testRunner, waitFor } from "@/lib/runner/testing/runner-harness";
import { createTestDatabase } from "@/lib/testing/database";

// Real files in a real folder, their mtimes set as a month of runs would leave them; then a real
// runner (real PostgreSQL) doing it on its own, at start and every logPruneMs.

let dir: string;
const DAY = 86_400_000;
const now = Date.now();

function write(name: string, ageDays: number, bytes = 10): void {
  const file = path.join(dir, name);
  fs.writeFileSync(file, "x".repeat(bytes));
  const at = new Date(now - ageDays * DAY);
  fs.utimesSync(file, at, at);
}
const left = () => fs.readdirSync(dir).sort();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-logs-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("pruneRunLogs", () => {
  it("deletes run logs (rotated parts too) last written more than `days` ago, and nothing else", async () => {
    write("run-1.log", 40, 100);
    write("run-1.log.1", 41, 1000);
    write("run-2.log", 31);
    write("run-3.log", 29); // inside the 30 days
    write("run-4.log", 1);
    write("notes.txt", 400); // not a run log
    write("run-5.log.bak", 400); // not one either
    fs.mkdirSync(path.join(dir, "run-6.log")); // a folder named like one
    fs.symlinkSync("/etc/hostname", path.join(dir, "run-7.log"));
    expect(await pruneRunLogs(dir, 30, new Set(), now)).toEqual({ deleted: 3, bytes: 1110 });
    expect(left()).toEqual(["notes.txt", "run-3.log", "run-4.log", "run-5.log.bak", "run-6.log", "run-7.log"]);
  });

  it("keeps the logs of runs the runner still has, however old", async () => {
    write("run-8.log", 90);
    write("run-9.log", 90);
    expect(await pruneRunLogs(dir, 30, new Set([8]), now)).toEqual({ deleted: 1, bytes: 10 });
    expect(left()).toEqual(["run-8.log"]);
  });

  it("answers nothing deleted for a folder no run has written to yet", async () => {
    expect(await pruneRunLogs(path.join(dir, "absent"), 30, new Set(), now)).toEqual({ deleted: 0, bytes: 0 });
  });
});

describe("a runner", () => {
  it("deletes its folder's old run logs when it starts and again on every pass", async () => {
    const db = await createTestDatabase();
    write("run-901.log", 40);
    write("run-902.log", 0);
    const runner = testRunner(db.pool, { logDir: dir, runLogDays: 30, logPruneMs: 300 });
    try {
      await runner.start();
      await waitFor("the old log deleted at start", async () => !fs.existsSync(path.join(dir, "run-901.log")), 5_000);
      write("run-903.log", 31); // turned old while the runner was up
      await waitFor("the next pass", async () => !fs.existsSync(path.join(dir, "run-903.log")), 5_000);
      expect(left()).toEqual(["run-902.log"]);
    } finally {
      await runner.stop();
      await db.drop();
    }
  }, 30_000);
});
