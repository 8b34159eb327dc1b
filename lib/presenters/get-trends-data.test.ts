import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getServicesData } from "@/lib/presenters/get-services-data";
import { seedRun, seedService } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { getTrendsData } from "./get-trends-data";

// Fleet trends from real runs in a real database: what finished in each hour, how deep the queue
// was, each group's median duration, and each service's weekly failure rate.

let db: TestDatabase;
const NOW = Date.parse("2026-12-04T12:30:00Z");

beforeAll(async () => {
  db = await createTestDatabase();
  const a = await seedService(db.pool, { name: "alpha" });
  const b = await seedService(db.pool, { name: "beta" });
  await db.pool.query("UPDATE services SET concurrency_group = 'warehouse' WHERE id = $1", [a]);
  // 10:00-11:00: alpha done (queued 09:50, ran 10:00-10:10), beta failed (queued 10:05, ran 10:20-10:50)
  await seedRun(db.pool, { serviceId: a, date: "2026-12-03", status: "done", queuedAt: "2026-12-04T09:50:00Z", startedAt: "2026-12-04T10:00:00Z", finishedAt: "2026-12-04T10:10:00Z" });
  await seedRun(db.pool, { serviceId: b, date: "2026-12-03", status: "failed", queuedAt: "2026-12-04T10:05:00Z", startedAt: "2026-12-04T10:20:00Z", finishedAt: "2026-12-04T10:50:00Z" });
  // beta's retry, queued 11:00 and still waiting
  await seedRun(db.pool, { serviceId: b, date: "2026-12-03", attempt: 2, status: "queued", queuedAt: "2026-12-04T11:00:00Z" });
  // two days ago: alpha done in 20 min; a week ago: beta done (outside the day window)
  await seedRun(db.pool, { serviceId: a, date: "2026-12-01", status: "done", queuedAt: "2026-12-02T02:00:00Z", startedAt: "2026-12-02T02:00:00Z", finishedAt: "2026-12-02T02:20:00Z" });
  await seedRun(db.pool, { serviceId: b, date: "2026-11-26", status: "done", queuedAt: "2026-11-27T02:00:00Z", startedAt: "2026-11-27T02:00:00Z", finishedAt: "2026-11-27T02:01:00Z" });
  // history older than 90 days counts nowhere
  await seedRun(db.pool, { serviceId: b, date: "2026-08-01", status: "failed", queuedAt: "2026-08-02T02:00:00Z", startedAt: "2026-08-02T02:00:00Z", finishedAt: "2026-08-02T02:01:00Z" });
});
afterAll(() => db?.drop());

describe("fleet trends", () => {
  it("counts the runs finished in each hour of the last day by status, with empty hours present", async () => {
    const data = await getTrendsData(db.pool, "day", NOW);
    expect(data.finished).toHaveLength(24);
    expect(data.finished.find((b) => b.at === "2026-12-04T10:00:00.000Z")).toEqual({ at: "2026-12-04T10:00:00.000Z", done: 1, failed: 1, cancelled: 0, lost: 0 });
    expect(data.totals).toEqual({ done: 1, failed: 1, cancelled: 0, lost: 0 });
    const week = await getTrendsData(db.pool, "week", NOW);
    expect(week.finished).toHaveLength(168);
    expect(week.totals).toEqual({ done: 2, failed: 1, cancelled: 0, lost: 0 }); // beta's 11-27 run ended 10 h before the week began
  });

  it("follows the queue's depth and the running runs through the day", async () => {
    const { queue } = await getTrendsData(db.pool, "day", NOW);
    const at = (iso: string) => queue.find((q) => q.at === iso);
    expect(at("2026-12-04T09:40:00.000Z")).toMatchObject({ depth: 0, running: 0 });
    expect(at("2026-12-04T09:50:00.000Z")).toMatchObject({ depth: 1 }); // alpha queued
    expect(at("2026-12-04T10:00:00.000Z")).toMatchObject({ depth: 1, running: 1 }); // alpha starts, beta queued at 10:05
    expect(at("2026-12-04T10:20:00.000Z")).toMatchObject({ depth: 1, running: 1 }); // beta starts: peak queue 1 in the bucket
    expect(at("2026-12-04T10:30:00.000Z")).toMatchObject({ depth: 0, running: 1 }); // carried forward, no event
    expect(at("2026-12-04T10:50:00.000Z")).toMatchObject({ depth: 0, running: 1 }); // beta ends
    expect(at("2026-12-04T11:00:00.000Z")).toMatchObject({ depth: 1, running: 0 }); // the retry waits
    expect(at("2026-12-04T12:30:00.000Z")).toMatchObject({ depth: 1, running: 0 });
  });

  it("draws each concurrency group's median daily duration", async () => {
    const { groupDurations } = await getTrendsData(db.pool, "day", NOW);
    expect(groupDurations.groups).toEqual(["(no group)", "warehouse"]);
    expect(groupDurations.points).toEqual([
      { date: "2026-11-26", "(no group)": 60 },
      { date: "2026-12-01", warehouse: 1200 },
      { date: "2026-12-03", warehouse: 600 },
    ]);
  });

  it("gives each service its weekly failure counts over 13 weeks in the services table", async () => {
    const data = await getServicesData(db.pool, NOW);
    const beta = data.rows.find((r) => r.service.name === "beta")!;
    expect(beta.failureWeeks).toHaveLength(13);
    expect(beta.failureWeeks.reduce((n, [f]) => n + f, 0)).toBe(1);
    expect(beta.failureWeeks.reduce((n, [, total]) => n + total, 0)).toBe(2);
    expect(beta.failureWeeks.at(-1)).toEqual([1, 1]);
  });
});
