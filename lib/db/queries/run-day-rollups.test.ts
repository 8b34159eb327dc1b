import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedRun, seedService } from "@/lib/presenters/testing/seed";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// run_day_rollups is kept by triggers on runs (migration 20261205060000_run_day_rollups): after
// any mix of inserts, status changes and deletes it must equal a rollup computed from scratch.

let db: TestDatabase;
let alpha: number;
let beta: number;

const FROM_SCRATCH = `
SELECT period_date::text AS date, service_id,
       count(*) FILTER (WHERE status = 'done')::int AS done, count(*) FILTER (WHERE status = 'failed')::int AS failed,
       count(*) FILTER (WHERE status = 'lost')::int AS lost, count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
       (array_agg(extract(epoch FROM finished_at - started_at)::float8 ORDER BY id DESC) FILTER (WHERE status = 'done'))[1] AS done_seconds
  FROM runs WHERE kind = 'daily' GROUP BY 1, 2`;

/** Rows with something in them, by "date/service", from the table or from scratch. */
async function rollups(sql: string) {
  const r = await db.pool.query<{ date: string; service_id: number; done: number; failed: number; lost: number; cancelled: number; done_seconds: number | null }>(sql);
  const out: Record<string, unknown> = {};
  for (const { date, service_id, ...counts } of r.rows) if (counts.done + counts.failed + counts.lost + counts.cancelled > 0) out[`${date}/${service_id}`] = counts;
  return out;
}
const table = () => rollups("SELECT period_date::text AS date, service_id, done, failed, lost, cancelled, done_seconds FROM run_day_rollups");

beforeAll(async () => {
  db = await createTestDatabase();
  alpha = await seedService(db.pool, { name: "alpha" });
  beta = await seedService(db.pool, { name: "beta" });
});
afterAll(() => db?.drop());

describe("daily run rollups", () => {
  it("counts finished runs as they are inserted, and ignores hourly runs", async () => {
    await seedRun(db.pool, { serviceId: alpha, date: "2026-12-01", status: "failed", startedAt: "2026-12-02T02:00:00Z", finishedAt: "2026-12-02T02:05:00Z" });
    await seedRun(db.pool, { serviceId: alpha, date: "2026-12-01", attempt: 2, status: "done", startedAt: "2026-12-02T03:00:00Z", finishedAt: "2026-12-02T03:10:00Z" });
    await seedRun(db.pool, { serviceId: beta, date: "2026-12-01", kind: "hourly", hour: 3, status: "failed", startedAt: "2026-12-01T03:00:00Z", finishedAt: "2026-12-01T03:01:00Z" });
    expect(await table()).toEqual({ [`2026-12-01/${alpha}`]: { done: 1, failed: 1, lost: 0, cancelled: 0, done_seconds: 600 } });
    expect(await table()).toEqual(await rollups(FROM_SCRATCH));
  });

  it("follows a run from the queue to its end, a re-run, a lost run and a deleted run", async () => {
    const id = await seedRun(db.pool, { serviceId: beta, date: "2026-12-02", status: "queued" });
    expect(await table()).not.toHaveProperty(`2026-12-02/${beta}`);
    await db.pool.query("UPDATE runs SET status = 'running', started_at = '2026-12-03T02:00:00Z' WHERE id = $1", [id]);
    await db.pool.query("UPDATE runs SET status = 'done', finished_at = '2026-12-03T02:30:00Z' WHERE id = $1", [id]);
    expect(await table()).toMatchObject({ [`2026-12-02/${beta}`]: { done: 1, done_seconds: 1800 } });
    // a forced re-run done later: the period's duration is the latest done run's
    await seedRun(db.pool, { serviceId: beta, date: "2026-12-02", attempt: 2, status: "done", startedAt: "2026-12-03T05:00:00Z", finishedAt: "2026-12-03T05:01:00Z" });
    expect(await table()).toMatchObject({ [`2026-12-02/${beta}`]: { done: 2, done_seconds: 60 } });
    const lost = await seedRun(db.pool, { serviceId: alpha, date: "2026-12-02", status: "running", startedAt: "2026-12-03T02:00:00Z" });
    await db.pool.query("UPDATE runs SET status = 'lost', finished_at = now() WHERE id = $1", [lost]);
    expect(await table()).toMatchObject({ [`2026-12-02/${alpha}`]: { lost: 1, done_seconds: null } });
    await db.pool.query("DELETE FROM runs WHERE id = $1", [lost]);
    expect(await table()).not.toHaveProperty(`2026-12-02/${alpha}`);
    expect(await table()).toEqual(await rollups(FROM_SCRATCH));
  });

  it("goes with a deleted service", async () => {
    await db.pool.query("DELETE FROM services WHERE id = $1", [alpha]);
    expect(Object.keys(await table()).some((k) => k.endsWith(`/${alpha}`))).toBe(false);
    expect(await table()).toEqual(await rollups(FROM_SCRATCH));
  });
});
