import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/roles";
import { rerunFailed } from "@/lib/control/rerun-failed";
import { seedRun, seedService } from "@/lib/presenters/testing/seed";
import { rerunFailedSchema } from "@/lib/schemas/runs";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Re-running every recent failure at once, against a real database: which periods count (the
// latest run failed or lost, finished within the window, service enabled), what a dry run says,
// what is queued and audited, and that a repeat queues nothing new.

const bob: Actor = { kind: "user", id: "u2", name: "bob@example.com", role: "operator" };
const NOW = new Date("2026-11-22T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
let db: TestDatabase;
const runs: Record<string, number> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  const p = db.pool;
  const acme = await seedService(p, { name: "acme", hourlyEnabled: true });
  const kiwi = await seedService(p, { name: "kiwi" });
  const retired = await seedService(p, { name: "retired" });
  await p.query("UPDATE services SET enabled = false WHERE id = $1", [retired]);
  runs.acmeDaily = await seedRun(p, { serviceId: acme, date: "2026-11-21", status: "failed", finishedAt: hoursAgo(3) });
  runs.acmeHour = await seedRun(p, { serviceId: acme, kind: "hourly", date: "2026-11-22", hour: 9, status: "lost", finishedAt: hoursAgo(2) });
  runs.kiwiDaily = await seedRun(p, { serviceId: kiwi, date: "2026-11-21", status: "failed", finishedAt: hoursAgo(5) });
  // fixed already: a later run of the period succeeded
  await seedRun(p, { serviceId: kiwi, date: "2026-11-20", status: "failed", finishedAt: hoursAgo(20) });
  await seedRun(p, { serviceId: kiwi, date: "2026-11-20", status: "done", finishedAt: hoursAgo(19), attempt: 2 });
  // too old for the default 24 hours
  runs.old = await seedRun(p, { serviceId: kiwi, date: "2026-11-18", status: "failed", finishedAt: hoursAgo(30) });
  // a disabled service's failure cannot be re-run
  await seedRun(p, { serviceId: retired, date: "2026-11-21", status: "failed", finishedAt: hoursAgo(1) });
});
afterAll(() => db?.drop());

const input = (over: object = {}) => rerunFailedSchema.parse({ reason: "warehouse back", ...over });

describe("re-run failed", () => {
  it("a dry run lists the latest failures of enabled services in the window, oldest first, and writes nothing", async () => {
    const dry = await rerunFailed(db.pool, bob, input({ dryRun: true }), NOW);
    expect(dry.periods.map((p) => [p.failedRunId, p.service, p.kind, p.period, p.status])).toEqual([
      [runs.kiwiDaily, "kiwi", "daily", "2026-11-21", "failed"],
      [runs.acmeDaily, "acme", "daily", "2026-11-21", "failed"],
      [runs.acmeHour, "acme", "hourly", "2026-11-22T09", "lost"],
    ]);
    expect(dry.message).toBe("3 failed periods would be re-run");
    expect((await rerunFailed(db.pool, bob, input({ dryRun: true, hours: 48 }), NOW)).periods.map((p) => p.failedRunId)).toContain(runs.old);
    expect((await rerunFailed(db.pool, bob, input({ dryRun: true, kind: "hourly" }), NOW)).periods.map((p) => p.failedRunId)).toEqual([runs.acmeHour]);
    expect((await rerunFailed(db.pool, bob, input({ dryRun: true, service: "kiwi" }), NOW)).periods.map((p) => p.failedRunId)).toEqual([runs.kiwiDaily]);
    // the dashboard confirms the list it showed: a failure outside it (or no longer failed) is left alone
    expect((await rerunFailed(db.pool, bob, input({ dryRun: true, failedRuns: [runs.acmeHour, runs.old] }), NOW)).periods.map((p) => p.failedRunId)).toEqual([runs.acmeHour]);
    await expect(rerunFailed(db.pool, bob, input({ dryRun: true, service: "nope" }), NOW)).rejects.toMatchObject({ kind: "not_found" });
    expect((await db.pool.query("SELECT count(*)::int AS n FROM runs WHERE status = 'queued'")).rows[0].n).toBe(0);
    expect((await db.pool.query("SELECT count(*)::int AS n FROM audit_log")).rows[0].n).toBe(0);
  });

  it("queues one manual re-run per period, audited once; asked again, those periods are no longer failed", async () => {
    const done = await rerunFailed(db.pool, bob, input({ requestKey: "after-outage" }), NOW);
    expect(done.runs).toHaveLength(3);
    expect(done.runs.every((r) => r.trigger === "manual" && r.status === "queued" && !r.force && r.requestedBy === "user:bob@example.com" && r.reason === "warehouse back")).toBe(true);
    expect(done.runs.map((r) => [r.serviceName, r.kind, r.periodDate])).toEqual([
      ["kiwi", "daily", "2026-11-21"],
      ["acme", "daily", "2026-11-21"],
      ["acme", "hourly", "2026-11-22"],
    ]);
    expect(done.message).toBe("Queued 3 re-runs of 3 failed periods");
    const audit = (await db.pool.query("SELECT actor, action, target_id, reason, result FROM audit_log")).rows;
    expect(audit).toEqual([
      {
        actor: "user:bob@example.com",
        action: "run.rerun-failed",
        target_id: "all",
        reason: "warehouse back",
        result: expect.objectContaining({ periods: 3, runIds: done.runs.map((r) => r.id), alreadyActive: [] }),
      },
    ]);
    // the re-runs are the latest runs of their periods now: nothing is failed any more
    const again = await rerunFailed(db.pool, bob, input(), NOW);
    expect(again).toMatchObject({ periods: [], runs: [], message: "No failed period in the last 24 hours: nothing was queued" });
  });

  it("says which re-runs will wait because their service is paused (queued all the same)", async () => {
    const p = db.pool;
    const paused = await seedService(p, { name: "paused-co" });
    await p.query("UPDATE services SET paused = true WHERE id = $1", [paused]);
    const a = await seedRun(p, { serviceId: paused, date: "2026-11-21", status: "failed", finishedAt: hoursAgo(4) });
    const b = await seedRun(p, { serviceId: paused, date: "2026-11-20", status: "lost", finishedAt: hoursAgo(3) });
    const dry = await rerunFailed(p, bob, input({ dryRun: true, service: "paused-co" }), NOW);
    expect(dry.periods.map((x) => [x.failedRunId, x.servicePaused])).toEqual([
      [a, true],
      [b, true],
    ]);
    expect(dry.message).toBe("2 failed periods would be re-run; 2 would wait until their service is resumed (paused: paused-co)");
    const done = await rerunFailed(p, bob, input({ failedRuns: [a] }), NOW);
    expect(done.runs.map((r) => [r.serviceName, r.status])).toEqual([["paused-co", "queued"]]);
    expect(done.message).toBe("Queued 1 re-run of 1 failed period; 1 waits until its service is resumed (paused: paused-co)");
  });

  it("refuses hours out of range and unknown fields with what was wrong", () => {
    expect(() => rerunFailedSchema.parse({ hours: 500 })).toThrow(/at most 168 hours/);
    expect(() => rerunFailedSchema.parse({ hours: 0 })).toThrow(/from 1 to 168/);
    expect(() => rerunFailedSchema.parse({ everything: true })).toThrow();
  });
});
