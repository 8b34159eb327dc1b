import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeTempDirs, tempDir, waitFor } from "@/lib/runner/testing/runner-harness";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { runSwitchyard, type Proc } from "@/lib/testing/processes";

// A running `switchyard runner --services FILE` re-reads its file on SIGHUP: the change is in the
// database and in the audit log; a broken file changes nothing and the runner keeps running.

let db: TestDatabase;
let runner: Proc | undefined;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await runner?.stop();
  await db?.drop();
  removeTempDirs();
});

describe("SIGHUP", () => {
  it("re-syncs the services file and audits what changed", async () => {
    const dir = tempDir("sighup-");
    const file = path.join(dir, "switchyard.services.json");
    const write = (services: unknown[]) => fs.writeFileSync(file, JSON.stringify({ services }));
    write([{ name: "shop", dailyCommand: "true" }]);
    runner = runSwitchyard(["runner", "--services", file, "--no-trigger", "--scheduler-url", "http://127.0.0.1:9", "--log-dir", dir], { DATABASE_URL: db.url, LOG_LEVEL: "info" });
    const dailyTime = async () => (await db.pool.query("SELECT daily_time FROM services WHERE name = 'shop'")).rows[0]?.daily_time;
    await waitFor("the first sync", async () => (await dailyTime()) === "02:00" && runner!.output().includes("started"), 60_000);

    write([{ name: "shop", dailyCommand: "true", dailyTime: "05:30" }, { name: "shop-eu", dailyCommand: "true" }]);
    runner.child.kill("SIGHUP");
    await waitFor("the re-sync", async () => (await dailyTime()) === "05:30");
    // one audit row per service the sync added or changed, written in the sync's transaction
    const audit = await db.pool.query("SELECT target_id, result FROM audit_log WHERE action = 'service.sync' AND reason = 'SIGHUP' ORDER BY id");
    expect(audit.rows.map((r) => [r.target_id, r.result.created])).toEqual([
      ["shop", false],
      ["shop-eu", true],
    ]);
    expect(Object.keys(audit.rows[0].result.changed)).toEqual(["dailyTime"]);

    fs.writeFileSync(file, "{ not json");
    runner.child.kill("SIGHUP");
    await waitFor("the refusal in the log", async () => runner!.output().includes("SIGHUP: kept the services as they were"));
    expect(await dailyTime()).toBe("05:30");
    expect(runner.child.exitCode).toBeNull();
  });
});
