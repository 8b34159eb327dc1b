import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HISTORY_TABLES, listHistoryMonths, monthsAhead } from "@/lib/db/history/history-partitions";
import { createLogger } from "@/lib/log/logger";
import { seedTask } from "@/lib/presenters/testing/seed";
import { startHistoryRetention } from "@/lib/scheduler/history-retention";
import { waitFor } from "@/lib/testing/wait-for";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The scheduler's history maintenance loop on a real database: it creates the months ahead of time
// whether or not retention is on; with retention_days set, history older than that goes; without
// it, nothing is touched.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedTask(db.pool, { taskId: "Old_1_0000000000", family: "Old", params: { day: "2020-01-01" }, events: [["DONE", "2020-01-01 00:00:00"]] });
  await seedTask(db.pool, { taskId: "New_1_1111111111", family: "New", params: { day: "2026-12-01" }, events: [["DONE", new Date().toISOString().replace("T", " ").slice(0, 19)]] });
});
afterAll(() => db?.drop());

const families = async () => (await db.pool.query("SELECT name FROM tasks ORDER BY name")).rows.map((r) => r.name);

describe("history retention loop", () => {
  it("creates the current month and the next two ahead of time, also with retention off", async () => {
    const [, , last] = monthsAhead(new Date());
    for (const { table } of HISTORY_TABLES) await db.pool.query("SELECT switchyard_history_drop_partition($1, $2::date)", [table, last]);
    const has = async () => [...(await listHistoryMonths(db.pool)).values()].every((months) => months.includes(last));
    expect(await has()).toBe(false);
    const loop = startHistoryRetention({ databaseUrl: db.url, retentionDays: 0, intervalSeconds: 60, logger: createLogger("test", "warn"), firstPassMs: 10 });
    try {
      await waitFor(`the partitions of ${last}`, has, 10_000);
    } finally {
      await loop.stop();
    }
    expect(await families()).toEqual(["New", "Old"]);
  });

  it("keeps everything when retention is off", async () => {
    const loop = startHistoryRetention({ databaseUrl: db.url, retentionDays: 0, intervalSeconds: 60, logger: createLogger("test", "warn") });
    await loop.stop();
    expect(await families()).toEqual(["New", "Old"]);
  });

  it("prunes history older than retention_days on its first pass", async () => {
    const loop = startHistoryRetention({ databaseUrl: db.url, retentionDays: 365, intervalSeconds: 60, logger: createLogger("test", "warn"), firstPassMs: 10 });
    try {
      await waitFor("the old task to go", async () => (await families()).length === 1, 10_000);
      expect(await families()).toEqual(["New"]);
    } finally {
      await loop.stop();
    }
  });
});
