import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimRuns } from "@/lib/db/runs/claim-runs";
import { enqueueRuns, type NewRun } from "@/lib/db/runs/enqueue-runs";
import { triggerPeriods } from "@/lib/db/runs/trigger-periods";
import { triggerPass } from "@/lib/runner/trigger/trigger-pass";
import { addService } from "@/lib/runner/testing/runner-harness";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The claim statement's contract: queue order (manual, retry, scheduled, backfill), and every
// limit — fleet-wide, per host, per service, per concurrency group — exact under concurrency.
// And the trigger's: one scheduled run per service and period, however many runners insert it.

let db: TestDatabase;
const ids: Record<string, number> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query("INSERT INTO concurrency_groups (name, max_running) VALUES ('warehouse', 2)");
  ids.a = await addService(db.pool, { name: "a", dailyCommand: "true" });
  ids.b = await addService(db.pool, { name: "b", dailyCommand: "true", maxRunning: 1 });
  ids.g1 = await addService(db.pool, { name: "g1", dailyCommand: "true", concurrencyGroup: "warehouse" });
  ids.g2 = await addService(db.pool, { name: "g2", dailyCommand: "true", concurrencyGroup: "warehouse" });
});
afterAll(() => db?.drop());
beforeEach(async () => {
  await db.pool.query("DELETE FROM runs");
  await db.pool.query("UPDATE runner_control SET max_running = NULL, paused = false");
});

let day = 0;
function run(service: string, trigger: NewRun["trigger"] | "scheduled", priority: number): NewRun {
  const start = new Date(Date.UTC(2026, 0, 1) + day++ * 86_400_000);
  return { serviceId: ids[service], kind: "daily", periodStart: start, periodDate: start.toISOString().slice(0, 10), periodHour: null, trigger: trigger as NewRun["trigger"], queuePriority: priority, force: false, fromTask: null, requestKey: null, requestedBy: "test", reason: null };
}
const claim = (wanted: number, host = "h1", hostLimit: number | null = null) => claimRuns(db.pool, { runnerId: `r-${host}`, host, wanted, hostLimit });

describe("claim", () => {
  it("takes manual runs before scheduled ones, and scheduled before backfill", async () => {
    await enqueueRuns(db.pool, [run("a", "backfill", 3), run("a", "scheduled", 2), run("a", "manual", 0)]);
    const claimed = await claim(3);
    expect(claimed.map((r) => r.trigger)).toEqual(["manual", "scheduled", "backfill"]);
    expect(claimed.every((r) => r.status === "running" && r.service.dailyCommand === "true")).toBe(true);
  });

  it("keeps each service's and each group's limit", async () => {
    await enqueueRuns(db.pool, [run("b", "manual", 0), run("b", "manual", 0), run("g1", "manual", 0), run("g1", "manual", 0), run("g2", "manual", 0)]);
    const first = await claim(10);
    expect(first.filter((r) => r.serviceName === "b")).toHaveLength(1);
    expect(first.filter((r) => r.serviceName.startsWith("g"))).toHaveLength(2);
    expect(await claim(10)).toEqual([]);
    await db.pool.query("UPDATE runs SET status = 'done' WHERE id = $1", [first.find((r) => r.serviceName === "b")!.id]);
    expect((await claim(10)).map((r) => r.serviceName)).toEqual(["b"]);
  });

  it("keeps the fleet-wide and the per-host limits, exactly, when many runners claim at once", async () => {
    await db.pool.query("UPDATE runner_control SET max_running = 5");
    await enqueueRuns(db.pool, Array.from({ length: 30 }, () => run("a", "manual", 0)));
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claim(3, `h${i % 2}`, 2)));
    const all = claims.flat();
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    // two hosts × host limit 2 = 4, under the fleet's 5
    expect(all).toHaveLength(4);
    await db.pool.query("UPDATE runner_control SET max_running = 5");
    expect(await claim(10, "h9", null)).toHaveLength(1);
  });

  it("claims nothing while the runner fleet or the service is paused", async () => {
    await enqueueRuns(db.pool, [run("a", "manual", 0)]);
    await db.pool.query("UPDATE runner_control SET paused = true");
    expect(await claim(5)).toEqual([]);
    await db.pool.query("UPDATE runner_control SET paused = false");
    await db.pool.query("UPDATE services SET paused = true WHERE name = 'a'");
    expect(await claim(5)).toEqual([]);
    await db.pool.query("UPDATE services SET paused = false WHERE name = 'a'");
    expect(await claim(5)).toHaveLength(1);
  });
});

describe("trigger", () => {
  it("queues one scheduled run per service and period, with several runners triggering at once and again after downtime", async () => {
    await db.pool.query("UPDATE services SET hourly_enabled = true, hourly_command = 'true', time_zone = 'Europe/London' WHERE name = 'a'");
    const now = new Date("2026-03-30T12:00:00Z"); // the day after London springs forward
    const catchUp = { days: 3, hours: 48 };
    const counts = await Promise.all(Array.from({ length: 4 }, () => triggerPass(db.pool, { lastUntil: null }, now, catchUp)));
    const total = counts.reduce((a, b) => a + b, 0);
    const rows = (await db.pool.query("SELECT s.name, r.kind, r.period_start FROM runs r JOIN services s ON s.id = r.service_id WHERE r.trigger = 'scheduled'")).rows;
    expect(rows.length).toBe(total);
    const hourlyA = rows.filter((r) => r.name === "a" && r.kind === "hourly");
    // 48 h of hours due, spanning the spring-forward night: every due hour once.
    expect(new Set(hourlyA.map((r) => r.period_start.getTime())).size).toBe(hourlyA.length);
    expect(hourlyA.length).toBeGreaterThanOrEqual(46);
    // 4 services, daily periods due in the last 3 days (London and UTC, 02:00): 3 each
    expect(rows.filter((r) => r.kind === "daily")).toHaveLength(12);
    // after "downtime", a pass over the same window queues nothing again
    expect(await triggerPass(db.pool, { lastUntil: null }, now, catchUp)).toBe(0);
    expect(await triggerPeriods(db.pool, [])).toBe(0);
  });
});
