import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/roles";
import { backfill, type BackfillAnswer } from "@/lib/control/backfill";
import { enqueueRun } from "@/lib/control/enqueue-run";
import { createPool } from "@/lib/db/pool";
import { claimRuns } from "@/lib/db/runs/claim-runs";
import { enqueueRuns } from "@/lib/db/runs/enqueue-runs";
import { finishRun } from "@/lib/db/runs/finish-run";
import { triggerPeriods } from "@/lib/db/runs/trigger-periods";
import { repoRoot } from "@/lib/paths";
import { addService } from "@/lib/runner/testing/runner-harness";
import { periodsOnDates } from "@/lib/runner/schedule/periods";
import { backfillSchema, enqueueRunSchema } from "@/lib/schemas/runs";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// One active (queued or running) run per service, kind and period, enforced by PostgreSQL's
// runs_one_active_per_period index: concurrent enqueues from separate connections, a backfill
// racing the trigger, a retry, and the migration that resolves duplicates an old database holds.

const alice: Actor = { kind: "user", id: "u1", name: "alice@example.com", role: "operator" };
let db: TestDatabase;
let serviceId: number;
const pools: ReturnType<typeof createPool>[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  serviceId = await addService(db.pool, { name: "race", dailyCommand: "true", retry: { attempts: 1, backoffSeconds: 0 } });
  // Twenty separate connections, as twenty web processes or runners would have.
  for (let i = 0; i < 20; i++) pools.push(createPool(db.url, { max: 1 }));
});
afterAll(async () => {
  for (const p of pools) await p.end();
  await db?.drop();
});

const activeRuns = async (from: string, to: string) =>
  (await db.pool.query("SELECT period_date::text AS day, trigger, id FROM runs WHERE period_date BETWEEN $1 AND $2 AND status IN ('queued', 'running') ORDER BY period_date", [from, to])).rows;

describe("one active run per period", () => {
  it("20 re-runs with no request keys from 20 connections at once: exactly one run", async () => {
    const input = enqueueRunSchema.parse({ service: "race", kind: "daily", period: "2026-02-10" });
    const answers = await Promise.all(pools.map((p) => enqueueRun(p, alice, input)));
    expect(new Set(answers.map((a) => a.run.id)).size).toBe(1);
    expect(answers.filter((a) => a.created)).toHaveLength(1);
    expect(await activeRuns("2026-02-10", "2026-02-10")).toHaveLength(1);
  });

  it("a backfill over a range racing the trigger from 20 connections: one active run per period", async () => {
    const from = "2026-03-01";
    const to = "2026-03-07";
    const schedule = { timeZone: "UTC", dailyTime: "02:00", hourlyEnabled: false, hourlyMinute: 5 };
    const due = periodsOnDates(schedule, "daily", from, to).map((p) => ({ serviceId, kind: "daily" as const, periodStart: p.start, periodDate: p.date, periodHour: null }));
    const work = pools.map((p, i) => (i % 2 === 0 ? backfill(p, alice, backfillSchema.parse({ service: "race", kind: "daily", from, to })) : triggerPeriods(p, due)));
    const answers = await Promise.all(work);
    const active = await activeRuns(from, to);
    expect(active.map((r) => r.day)).toEqual(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07"]);
    // Every backfill answer accounts for every period: queued by it, or already held by another run.
    for (const answer of answers.filter((a): a is BackfillAnswer => typeof a === "object")) {
      const mine = answer.runs.map((r) => r.periodDate);
      const held = answer.alreadyActive.map((a) => a.period);
      expect([...mine, ...held].sort()).toEqual(answer.periods);
      for (const a of answer.alreadyActive) expect(active.find((r) => r.day === a.period)!.id).toBe(a.runId);
    }
    const total = (await db.pool.query("SELECT count(*)::int AS n FROM runs WHERE period_date BETWEEN $1 AND $2", [from, to])).rows[0].n;
    expect(total).toBe(7);
  });

  it("the trigger and an enqueue insert a batch in period order, so two racing for the same periods cannot deadlock", async () => {
    const schedule = { timeZone: "UTC", dailyTime: "02:00", hourlyEnabled: false, hourlyMinute: 5 };
    const due = periodsOnDates(schedule, "daily", "2026-04-01", "2026-04-07").map((p) => ({ serviceId, kind: "daily" as const, periodStart: p.start, periodDate: p.date, periodHour: null }));
    expect(await triggerPeriods(db.pool, due)).toBe(7);
    const may = periodsOnDates(schedule, "daily", "2026-05-01", "2026-05-07").reverse();
    const manual = { serviceId, kind: "daily" as const, trigger: "backfill" as const, queuePriority: 0, force: false, fromTask: null, requestKey: null, requestedBy: "test", reason: null };
    await enqueueRuns(db.pool, may.map((p) => ({ ...manual, periodStart: p.start, periodDate: p.date, periodHour: null })));
    // ids are taken in insertion order: ascending ids over ascending periods
    for (const month of ["04", "05"]) {
      const rows = (await db.pool.query("SELECT id FROM runs WHERE period_date BETWEEN $1 AND $2 ORDER BY period_date", [`2026-${month}-01`, `2026-${month}-07`])).rows;
      const ids = rows.map((r) => Number(r.id));
      expect(ids, `2026-${month}`).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it("a failed run's retry is queued in the statement that ends it (the ended run no longer holds the period)", async () => {
    const { run } = await enqueueRun(db.pool, alice, enqueueRunSchema.parse({ service: "race", kind: "daily", period: "2026-02-20" }));
    const claimed = await claimRuns(db.pool, { runnerId: "r1", host: "h1", wanted: 10, hostLimit: null });
    expect(claimed.map((c) => c.id)).toContain(run.id);
    const ended = await finishRun(db.pool, { runId: run.id, runnerId: "r1", status: "failed", exitCode: 1, error: "boom", rootTaskId: null, cpuSeconds: null, peakMemoryBytes: null });
    expect(ended.finished).toBe(true);
    expect(ended.retryRunId).not.toBeNull();
    expect((await activeRuns("2026-02-20", "2026-02-20")).map((r) => [r.id, r.trigger])).toEqual([[ended.retryRunId, "retry"]]);
  });
});

describe("the migration", () => {
  it("resolves duplicates an existing database holds, deterministically, and records each in the audit log", async () => {
    const fresh = await createTestDatabase();
    try {
      const id = await addService(fresh.pool, { name: "old", dailyCommand: "true" });
      await fresh.pool.query("DROP INDEX runs_one_active_per_period");
      const insert = (day: string, status: string) =>
        fresh.pool.query<{ id: number }>("INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status) VALUES ($1, 'daily', $2, $3, 'manual', $4) RETURNING id", [id, `${day}T00:00:00Z`, day, status]);
      const a1 = (await insert("2026-01-01", "queued")).rows[0].id;
      const a2 = (await insert("2026-01-01", "running")).rows[0].id;
      const a3 = (await insert("2026-01-01", "queued")).rows[0].id;
      const b1 = (await insert("2026-01-02", "queued")).rows[0].id;
      const b2 = (await insert("2026-01-02", "queued")).rows[0].id;
      const c1 = (await insert("2026-01-03", "done")).rows[0].id;
      const c2 = (await insert("2026-01-03", "queued")).rows[0].id;
      await fresh.pool.query(fs.readFileSync(path.join(repoRoot, "prisma/migrations/20261204010000_one_active_run/migration.sql"), "utf8"));
      const status = Object.fromEntries((await fresh.pool.query("SELECT id, status FROM runs")).rows.map((r) => [r.id, r.status]));
      // a running run is kept over queued ones, then the oldest
      expect([status[a1], status[a2], status[a3]]).toEqual(["cancelled", "running", "cancelled"]);
      expect([status[b1], status[b2]]).toEqual(["queued", "cancelled"]);
      expect([status[c1], status[c2]]).toEqual(["done", "queued"]);
      const audit = await fresh.pool.query("SELECT actor, target_id, result FROM audit_log WHERE action = 'run.cancel' ORDER BY target_id::int");
      expect(audit.rows.map((r) => [r.actor, Number(r.target_id), r.result.keptRunId])).toEqual([
        ["system:migration", a1, a2],
        ["system:migration", a3, a2],
        ["system:migration", b2, b1],
      ]);
      await expect(insert("2026-01-02", "queued")).rejects.toThrow(/runs_one_active_per_period/);
    } finally {
      await fresh.drop();
    }
  });
});
