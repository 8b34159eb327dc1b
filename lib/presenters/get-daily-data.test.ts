import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDailyDayData } from "@/lib/presenters/get-daily-day-data";
import { getDailyListData } from "@/lib/presenters/get-daily-list-data";
import { addDays } from "@/lib/presenters/period-status";
import { seedRun, seedService } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The Daily pages against a real PostgreSQL, "now" pinned at 2026-11-23 12:00 UTC. A day's run
// happens the next morning (daily time 02:00 UTC): runs for date D start at D + 1 02:00.

const NOW = Date.parse("2026-11-23T12:00:00Z");
let db: TestDatabase;
const ids: Record<string, number> = {};

const minutes = (date: string, hh: number, mm: number) => new Date(Date.parse(`${addDays(date, 1)}T00:00:00Z`) + (hh * 60 + mm) * 60_000).toISOString();

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.pool;
  ids.steady = await seedService(p, { name: "steady", expectedDoneBy: "03:00" });
  ids.slow = await seedService(p, { name: "slow", expectedDoneBy: "03:00" });
  ids.idle = await seedService(p, { name: "idle" });
  // added on 2026-11-22 at noon (its 11-21 period was due at 02:00 that morning); one backfill run
  ids.newcomer = await seedService(p, { name: "newcomer", expectedDoneBy: "03:00", createdAt: "2026-11-22T12:00:00Z" });
  ids.resting = await seedService(p, { name: "resting", expectedDoneBy: "03:00", paused: true });
  // 16 days of history before 2026-11-22: steady takes 10 min, slow 20 min; slow's last eight
  // runs failed after 5 min, and must not drag its usual duration down.
  for (let i = 16; i >= 1; i--) {
    const date = addDays("2026-11-22", -i);
    await seedRun(p, { serviceId: ids.steady, date, status: "done", startedAt: minutes(date, 2, 0), finishedAt: minutes(date, 2, 10) });
    const failed = i <= 8;
    await seedRun(p, { serviceId: ids.slow, date, status: failed ? "failed" : "done", startedAt: minutes(date, 2, 0), finishedAt: minutes(date, 2, failed ? 5 : 20) });
  }
  // 2026-11-22: steady done late (03:30 > 03:00) after a failed first attempt; slow still running.
  await seedRun(p, { serviceId: ids.steady, date: "2026-11-22", status: "failed", startedAt: minutes("2026-11-22", 2, 0), finishedAt: minutes("2026-11-22", 2, 5) });
  ids.steadyToday = await seedRun(p, {
    serviceId: ids.steady,
    date: "2026-11-22",
    status: "done",
    attempt: 2,
    startedAt: minutes("2026-11-22", 3, 0),
    lastUpdateAt: minutes("2026-11-22", 3, 29),
    finishedAt: minutes("2026-11-22", 3, 30),
  });
  ids.slowToday = await seedRun(p, { serviceId: ids.slow, date: "2026-11-22", status: "running", startedAt: minutes("2026-11-22", 2, 0) });
});

afterAll(async () => {
  await db?.drop();
});

describe("getDailyDayData", () => {
  it("shows every service's latest run with attempts, duration, usual duration and the expected-done-by verdict", async () => {
    const data = await getDailyDayData(db.pool, "2026-11-22", NOW);
    const row = (name: string) => data.rows.find((r) => r.service.name === name)!;
    expect(data.rows.map((r) => r.service.name)).toEqual(["idle", "newcomer", "resting", "slow", "steady"]);

    expect(row("steady")).toMatchObject({ letter: "D", usualSeconds: 600, usualRuns: 14, doneBy: "missed", expectedDoneAt: "2026-11-23T03:00:00.000Z" });
    expect(row("steady").run).toMatchObject({ runId: ids.steadyToday, attempts: 2, attempt: 2, trigger: "retry", durationSeconds: 1800, lastUpdateAt: "2026-11-23T03:29:00.000Z" });

    // running for 10 hours so far; usual is the median of the latest *successful* runs (8 of them)
    expect(row("slow")).toMatchObject({ letter: "R", usualSeconds: 1200, usualRuns: 8, doneBy: "missed" });
    expect(row("slow").run?.durationSeconds).toBe(36_000);

    expect(row("idle")).toMatchObject({ letter: "M", run: null, usualSeconds: null, doneBy: "none", noRun: null, dueAt: "2026-11-23T02:00:00.000Z" });
    // a paused service expects nothing: no letter M, no missed deadline
    expect(row("resting")).toMatchObject({ letter: "–", run: null, noRun: "paused", doneBy: "none", expectedDoneAt: null });
    expect(data).toMatchObject({ previous: "2026-11-21", next: "2026-11-23", active: true });
  });

  it("promises nothing for a day before the service was added, even when that day was backfilled", async () => {
    const before = await getDailyDayData(db.pool, "2026-11-20", NOW);
    const newcomer = (d: typeof before) => d.rows.find((r) => r.service.name === "newcomer")!;
    expect(newcomer(before)).toMatchObject({ letter: "–", noRun: "added", serviceAddedAt: "2026-11-22T12:00:00.000Z", doneBy: "none", expectedDoneAt: null });
    await seedRun(db.pool, { serviceId: ids.newcomer, date: "2026-11-20", status: "done", trigger: "backfill", startedAt: "2026-11-22T13:00:00Z", finishedAt: "2026-11-22T13:05:00Z" });
    const backfilled = await getDailyDayData(db.pool, "2026-11-20", NOW);
    expect(newcomer(backfilled)).toMatchObject({ letter: "D", noRun: null, doneBy: "none" });
    // its first due period (11-22, due 11-23 02:00) is expected, and missing
    expect(newcomer(await getDailyDayData(db.pool, "2026-11-22", NOW))).toMatchObject({ letter: "M", noRun: null, doneBy: "missed" });
  });

  it("answers for a date a service's time zone skipped (Pacific/Apia, 2011-12-30)", async () => {
    const apia = await seedService(db.pool, { name: "apia", timeZone: "Pacific/Apia", createdAt: "2011-01-01T00:00:00Z" });
    try {
      const row = (await getDailyDayData(db.pool, "2011-12-30", NOW)).rows.find((r) => r.service.name === "apia")!;
      expect(row).toMatchObject({ letter: "–", noRun: "due", dueAt: "", doneBy: "none" });
    } finally {
      await db.pool.query("DELETE FROM services WHERE id = $1", [apia]);
    }
  });

  it("judges a past day by the runs of that day only", async () => {
    const data = await getDailyDayData(db.pool, "2026-11-10", NOW);
    const steady = data.rows.find((r) => r.service.name === "steady")!;
    expect(steady).toMatchObject({ letter: "D", doneBy: "met", usualRuns: 4, usualSeconds: 600 });
    expect(data).toMatchObject({ next: "2026-11-11", active: false });
  });
});

describe("getDailyListData", () => {
  it("counts each day's periods, newest first, and pages back by 14 days", async () => {
    const first = await getDailyListData(db.pool, { now: NOW });
    expect(first.days.map((d) => d.date)).toEqual(Array.from({ length: 14 }, (_, i) => addDays("2026-11-23", -i)));
    // today's data is run tomorrow morning: nothing is due for it yet
    expect(first.days[0].counts).toMatchObject({ notDue: 5, missing: 0, total: 5 });
    // newcomer's first expected day is 11-22; the paused service expects nothing
    expect(first.days[1].counts).toMatchObject({ done: 1, running: 1, missing: 2, notDue: 1, total: 5 });
    expect(first.days[2].counts).toMatchObject({ done: 1, failed: 1, missing: 1, notDue: 2 });
    expect(first.days[6].counts).toMatchObject({ done: 1, failed: 1, missing: 1 });
    expect(first.days[11].counts).toMatchObject({ done: 2, failed: 0, missing: 1 });
    expect(first).toMatchObject({ newer: null, older: "2026-11-10", active: true });

    const second = await getDailyListData(db.pool, { before: first.older, now: NOW });
    expect(second.days[0].date).toBe("2026-11-09");
    expect(second.days[13].date).toBe("2026-10-27");
    // history starts on 2026-11-06: steady and slow are missing before that, like idle
    expect(second.days.find((d) => d.date === "2026-11-05")!.counts).toMatchObject({ missing: 3 });
    expect(second).toMatchObject({ newer: "2026-11-24", active: false });
  });
});
