import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTask } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { pruneHistory, retentionCutoff } from "./prune-history";

// Retention on a real database: old history goes, recent history and tasks that still have a
// recent event stay whole, and a pass touches only what it deletes.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

const count = async (table: string) => Number((await db.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

describe("pruneHistory", () => {
  it("deletes events older than the cutoff, then the tasks and parameters left with none", async () => {
    for (let i = 0; i < 25; i++) {
      await seedTask(db.pool, { taskId: `Old_${i}_0000000000`, family: "Old", params: { day: "2026-01-01", n: String(i) }, events: [["PENDING", "2026-01-01 01:00:00"], ["DONE", "2026-01-01 02:00:00"]] });
    }
    await seedTask(db.pool, { taskId: "New_1_1111111111", family: "New", params: { day: "2026-12-01" }, events: [["PENDING", "2026-12-01 01:00:00"], ["DONE", "2026-12-01 02:00:00"]] });
    // a task that began before the cutoff and ended after it keeps its row and parameters
    await seedTask(db.pool, { taskId: "Long_1_2222222222", family: "Long", params: { day: "2026-05-31" }, events: [["PENDING", "2026-05-31 23:00:00"], ["DONE", "2026-06-02 01:00:00"]] });

    const result = await pruneHistory(db.pool, new Date("2026-06-01T00:00:00Z"), { batchSize: 7 });
    expect(result).toMatchObject({ events: 51, tasks: 25, parameters: 50 });
    expect(result.batches).toBe(8); // 51 events in batches of 7
    const names = (await db.pool.query("SELECT name FROM tasks ORDER BY name")).rows.map((r) => r.name);
    expect(names).toEqual(["Long", "New"]);
    expect(await count("task_parameters")).toBe(2);
    expect(await count("task_events")).toBe(3);
  });

  it("stops after maxBatches and goes on from there in the next pass", async () => {
    for (let i = 0; i < 10; i++) await seedTask(db.pool, { taskId: `Again_${i}_3333333333`, family: "Again", params: {}, events: [["DONE", "2025-01-01 00:00:00"]] });
    expect(await pruneHistory(db.pool, new Date("2026-01-01T00:00:00Z"), { batchSize: 3, maxBatches: 2 })).toMatchObject({ events: 6, batches: 2 });
    expect(await pruneHistory(db.pool, new Date("2026-01-01T00:00:00Z"), { batchSize: 3 })).toMatchObject({ events: 4, tasks: 4 });
    expect(await count("tasks")).toBe(2);
  });

  it("keeps everything when no retention is set", () => {
    expect(retentionCutoff(null)).toBeNull();
    expect(retentionCutoff(0)).toBeNull();
    expect(retentionCutoff(30, Date.parse("2026-12-04T00:00:00Z"))?.toISOString()).toBe("2026-11-04T00:00:00.000Z");
  });
});
