import { describe, expect, it } from "vitest";
import { aggregateAccounts, cleanEvents, sessionize } from "./analytics";
import { AllDailyTask } from "./daily";
import { failingAttempts, failureConfig } from "./failures";
import { demoCommands, demoRootTaskId, demoServices } from "./fleet";
import { AllHourlyTask } from "./hourly";
import type { DemoEvent } from "./records";
import { generateDay, generateLocalHour, population } from "./synthetic-events";
import { isValidTimeZone, localDayBounds, localHourBounds } from "./zones";

describe("the demo fleet", () => {
  it("has 24 distinct services by default, each in a real time zone", () => {
    const services = demoServices();
    expect(services).toHaveLength(24);
    expect(new Set(services.map((s) => s.name)).size).toBe(24);
    expect(new Set(services.map((s) => s.timeZone)).size).toBe(24);
    for (const s of services) {
      expect(isValidTimeZone(s.timeZone), s.timeZone).toBe(true);
      expect(s.dailyTime).toMatch(/^0[0-3]:[0-5]\d$/);
      expect(s.name).toMatch(/^[a-z0-9-]+$/);
    }
    expect(services.filter((s) => s.hourly)).toHaveLength(8);
  });

  it("grows on demand with unique names", () => {
    const many = demoServices(300);
    expect(new Set(many.map((s) => s.name)).size).toBe(300);
    expect(demoServices(30).slice(0, 24)).toEqual(demoServices());
  });

  it("names root task ids the worker will use", () => {
    expect(demoRootTaskId("daily", "northwind-traders", "2026-11-22")).toBe(new AllDailyTask({ service_id: "northwind-traders", day: "2026-11-22" }).taskId);
    expect(demoRootTaskId("hourly", "relecloud", "2026-11-22T07")).toBe(new AllHourlyTask({ service_id: "relecloud", hour: "2026-11-22T07" }).taskId);
    expect(demoCommands.daily).toContain("--service-id {service} --day {day} --scheduler-url {scheduler_url}");
  });
});

describe("time zones", () => {
  it("knows local days of 23 and 25 hours and half-hour offsets", () => {
    const len = (day: string, tz: string) => {
      const b = localDayBounds(new Date(`${day}T00:00:00Z`), tz);
      return (b.end - b.start) / 3_600_000;
    };
    expect(len("2026-03-08", "America/New_York")).toBe(23);
    expect(len("2026-11-01", "America/New_York")).toBe(25);
    expect(len("2026-11-22", "Asia/Kolkata")).toBe(24);
    expect(new Date(localDayBounds(new Date("2026-11-22T00:00:00Z"), "Asia/Kolkata").start).toISOString()).toBe("2026-11-21T18:30:00.000Z");
    expect(new Date(localHourBounds(new Date("2026-11-22T07:00:00Z"), "Asia/Tokyo").start).toISOString()).toBe("2026-11-21T22:00:00.000Z");
  });
});

describe("synthetic events", () => {
  const pop = population("northwind-traders");
  const day = new Date("2026-11-22T00:00:00Z");

  it("are deterministic and number in the tens of thousands", () => {
    const a = generateDay(pop, day).events;
    const b = generateDay(pop, day).events;
    expect(a.length).toBeGreaterThan(10_000);
    expect(a.length).toBeLessThan(100_000);
    expect(a).toEqual(b);
  });

  it("agree between the hourly and the daily log", () => {
    const { events, start } = generateDay(pop, day);
    const hourStart = start + 10 * 3_600_000;
    const daySlice = events.filter((e) => e.ts >= hourStart && e.ts < hourStart + 3_600_000);
    expect(generateLocalHour(pop, hourStart)).toEqual(daySlice);
  });
});

describe("demo computations", () => {
  const ev = (id: string, user: string, minute: number, type = "page_view", amount = 0): DemoEvent => ({
    id,
    ts: Date.UTC(2026, 10, 22, 10, minute),
    account: "acct-1",
    user,
    type,
    durationMs: 10,
    amountCents: amount,
    country: "US",
    device: "ios",
  });

  it("cleans duplicates, missing users and rows outside the day", () => {
    const start = Date.UTC(2026, 10, 22);
    const { events, stats } = cleanEvents([ev("a", "u1", 0), ev("a", "u1", 0), ev("b", "", 1), { ...ev("c", "u1", 2), ts: start - 1 }], start, start + 86_400_000, 2);
    expect(events.map((e) => e.id)).toEqual(["a"]);
    expect(stats).toEqual({ input: 6, kept: 1, duplicates: 1, missingUser: 1, outOfRange: 1, malformed: 2 });
  });

  it("splits sessions at 30 idle minutes and aggregates accounts", () => {
    const sessions = sessionize([ev("1", "u1", 0), ev("2", "u1", 29), ev("3", "u1", 59, "purchase", 1250), ev("4", "u2", 5)]);
    expect(sessions.map((s) => [s.user, s.events, s.purchases])).toEqual([
      ["u1", 2, 0],
      ["u1", 1, 1],
      ["u2", 1, 0],
    ]);
    expect(aggregateAccounts(sessions)).toEqual([
      { account: "acct-1", users: 2, sessions: 3, events: 4, purchases: 1, revenueCents: 1250, avgSessionSeconds: 580, conversionRate: 0.3333, errors: 0 },
    ]);
  });
});

describe("failure injection", () => {
  it("is deterministic by seed and hits a small share of tasks", () => {
    const config = failureConfig({ SWITCHYARD_DEMO_SEED: "s1" });
    const hits = demoServices().flatMap((s) =>
      ["GenerateEvents", "CleanEvents", "Sessionize", "LoadAccountDaily"].map((family) => failingAttempts({ taskId: "x", family, service: s.name, period: "2026-11-22" }, config)),
    );
    const again = demoServices().flatMap((s) =>
      ["GenerateEvents", "CleanEvents", "Sessionize", "LoadAccountDaily"].map((family) => failingAttempts({ taskId: "x", family, service: s.name, period: "2026-11-22" }, config)),
    );
    expect(hits).toEqual(again);
    expect(hits.filter((n) => n > 0).length).toBeLessThan(hits.length * 0.1);
  });

  it("can be pointed at a task for demos and tests, and rejects bad rates", () => {
    const config = failureConfig({ SWITCHYARD_DEMO_FLAKY_TASKS: "Sessionize@relecloud", SWITCHYARD_DEMO_FLAKY_RATE: "0", SWITCHYARD_DEMO_FAIL_RATE: "0" });
    expect(failingAttempts({ taskId: "x", family: "Sessionize", service: "relecloud", period: "p" }, config)).toBe(1);
    expect(failingAttempts({ taskId: "x", family: "Sessionize", service: "coho-winery", period: "p" }, config)).toBe(0);
    expect(() => failureConfig({ SWITCHYARD_DEMO_FLAKY_RATE: "lots" })).toThrow('SWITCHYARD_DEMO_FLAKY_RATE must be a number from 0 to 1 (got "lots")');
  });
});
