import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listServiceRecords } from "@/lib/db/services/service-record";
import { createLogger } from "@/lib/log/logger";
import { repoRoot } from "@/lib/paths";
import { ExternalWatcher } from "@/lib/runner/external/external-watcher";
import { loadServicesFile } from "@/lib/runner/services/load-services-file";
import { syncServicesFile } from "@/lib/runner/services/sync-services-file";
import { removeTempDirs, tempDir, waitFor } from "@/lib/runner/testing/runner-harness";
import { startDaemon, type Daemon } from "@/lib/scheduler/testing/daemon-process";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { runSwitchyard } from "@/lib/testing/processes";

// The shipped example: its services file is valid and synced as written (working directory =
// this folder), and a worker "started by cron" for each service — shop-worker.ts, shop.py's
// twin — shows up as that period's run: shop-ok done, shop-bad failed although the worker exits 0.

const file = path.join(repoRoot, "examples/python-shop/switchyard.services.json");

describe("examples/python-shop", () => {
  let db: TestDatabase;
  let scheduler: Daemon;

  beforeAll(async () => {
    db = await createTestDatabase();
    scheduler = await startDaemon({ databaseUrl: db.url, config: "[scheduler]\nworker_disconnect_delay = 5\n[switchyard]\nprune_interval = 0.3\n" });
  }, 60_000);
  afterAll(async () => {
    await scheduler?.kill("SIGTERM");
    await db?.drop();
    removeTempDirs();
  });

  it("its services file syncs as written, commands running in the example's folder", async () => {
    const loaded = loadServicesFile(file);
    const report = await syncServicesFile(db.pool, loaded, { actor: "system:test", source: file });
    expect(report.changes.map((c) => `${c.service}:${c.change}`)).toEqual(["shop-ok:added", "shop-bad:added"]);
    const services = await listServiceRecords(db.pool);
    expect(services.map((s) => [s.name, s.workingDirectory, s.launch])).toEqual([
      ["shop-bad", path.dirname(file), false],
      ["shop-ok", path.dirname(file), true],
    ]);
  });

  it("runs started elsewhere appear: shop-ok done, shop-bad failed", async () => {
    const watcher = new ExternalWatcher({ pool: db.pool, logger: createLogger("python-shop-test", "warn"), lookbackHours: 1 });
    const out = tempDir("python-shop-");
    const cron = (service: string) =>
      runSwitchyard(["run", "--module", "examples/python-shop/shop-worker.ts", "AllDaily", "--service", service, "--day", "2026-12-03", "--scheduler-url", scheduler.url], { SHOP_OUT: out });
    await Promise.all([cron("shop-ok").exited, cron("shop-bad").exited]);
    const statuses = await waitFor("both external runs to end", async () => {
      await watcher.pass();
      const r = await db.pool.query("SELECT s.name, r.status, r.trigger FROM runs r JOIN services s ON s.id = r.service_id WHERE r.period_date = '2026-12-03' ORDER BY s.name");
      return r.rows.length === 2 && r.rows.every((x) => x.status !== "running") ? r.rows : null;
    });
    expect(statuses).toEqual([
      { name: "shop-bad", status: "failed", trigger: "external" },
      { name: "shop-ok", status: "done", trigger: "external" },
    ]);
  });
});
