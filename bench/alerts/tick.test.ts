import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAlertSettings, evaluateAlerts } from "@/lib/alerts/evaluate";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Benchmark: one alert evaluation tick over 1,000 services, first with 10 days of daily history,
// then with 90 days: p95 should stay well under 200 ms and not grow with the history.
//   BENCH_ALERTS=1 npx vitest run bench/alerts/tick.test.ts

const ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Lord_Howe"];
let db: TestDatabase;
const now = new Date();

async function history(fromDay: number, toDay: number) {
  // day offsets back from today; 1 in 200 periods failed with no retry left
  await db.pool.query(
    `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, started_at, finished_at, queued_at, not_before, error)
     SELECT s.id, 'daily', d::timestamptz, d, 'scheduled',
            CASE WHEN (s.id * 7 + g) % 200 = 0 THEN 'failed' ELSE 'done' END::run_status,
            d + interval '1 day 2 hours', d + interval '1 day 2 hours' + (s.id % 30 + 5) * interval '1 minute', d + interval '1 day', d + interval '1 day',
            CASE WHEN (s.id * 7 + g) % 200 = 0 THEN 'boom' END
       FROM services s, generate_series($1::int, $2::int) g, LATERAL (SELECT current_date - g AS d) x`,
    [fromDay, toDay],
  );
  // the scheduler's side of the same history (task_disabled walks it): each run's root task and
  // one dependency, both DONE, and the edge between them
  await db.pool.query(
    `WITH r AS (UPDATE runs SET root_task_id = 'Root_' || service_id || '_' || period_date
                 WHERE kind = 'daily' AND period_date BETWEEN current_date - $2::int AND current_date - $1::int RETURNING root_task_id),
          t AS (INSERT INTO scheduler_tasks (task_id, seq, status, family, priority, first_added, last_updated, data)
                SELECT id, 0, 'DONE', f, 0, 0, 0, '{}' FROM r, LATERAL (VALUES (r.root_task_id, 'Root'), ('Leaf' || r.root_task_id, 'Leaf')) v(id, f))
     INSERT INTO task_dependencies (task_id, dep_task_id) SELECT root_task_id, 'Leaf' || root_task_id FROM r`,
    [fromDay, toDay],
  );
  await db.pool.query("ANALYZE runs");
  await db.pool.query("ANALYZE scheduler_tasks");
  await db.pool.query("ANALYZE task_dependencies");
}

async function measure(): Promise<{ p50: number; p95: number }> {
  const settings = { ...defaultAlertSettings, channels: [], publicUrl: "http://127.0.0.1:3000" };
  await evaluateAlerts(db.pool, settings, now); // warm: opens what is firing once
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    await evaluateAlerts(db.pool, settings, new Date(now.getTime() + i * 1000));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)], p95: times[Math.floor(times.length * 0.95)] };
}

describe.skipIf(!process.env.BENCH_ALERTS)("alert tick benchmark", () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO services (name, display_name, daily_command, time_zone, expected_done_by, created_at)
       SELECT 'svc-' || i, 'svc-' || i, 'true', ($1::text[])[1 + i % 5], CASE WHEN i % 2 = 0 THEN '06:00' END, now() - interval '1 year'
         FROM generate_series(1, 1000) i`,
      [ZONES],
    );
    // what is open right now: 50 running, 20 queued
    await db.pool.query(
      `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, started_at, queued_at, not_before)
       SELECT id, 'daily', current_date::timestamptz, current_date, 'manual', CASE WHEN id <= 50 THEN 'running' ELSE 'queued' END::run_status,
              CASE WHEN id <= 50 THEN now() - interval '20 minutes' END, now(), now()
         FROM services WHERE id <= 70`,
    );
    // live runners with their scheduler contact (scheduler_unreachable reads them): one failing
    await db.pool.query("INSERT INTO hosts (name) VALUES ('h1')");
    await db.pool.query("INSERT INTO runners (id, host_id, pid) SELECT 'r' || i, 1, i FROM generate_series(1, 4) i");
    await db.pool.query("INSERT INTO runner_scheduler_contact (runner_id, ok_at, error_at, error) SELECT id, now() - interval '1 hour', now(), 'ECONNREFUSED' FROM runners WHERE id = 'r1'");
  }, 600_000);
  afterAll(async () => {
    await db?.drop();
  });

  it("stays flat from 10 to 90 days of history", async () => {
    await history(1, 10);
    const short = await measure();
    await history(11, 90);
    // 20 dependencies of recent failed periods disabled by the scheduler (task_disabled opens)
    await db.pool.query(
      `UPDATE scheduler_tasks SET status = 'DISABLED' WHERE task_id IN (
         SELECT 'Leaf' || root_task_id FROM runs WHERE status = 'failed' AND period_date > current_date - 3 ORDER BY id LIMIT 20)`,
    );
    const long = await measure();
    const disabled = (await db.pool.query("SELECT count(*)::int AS n FROM alert_incidents WHERE rule = 'task_disabled' AND status = 'open'")).rows[0].n;
    expect(disabled).toBeGreaterThan(0);
    const rows = (await db.pool.query("SELECT count(*)::int AS n FROM runs")).rows[0].n;
    console.log(`alert tick, 1000 services: 10 days p50 ${short.p50.toFixed(1)} ms p95 ${short.p95.toFixed(1)} ms; 90 days (${rows} runs) p50 ${long.p50.toFixed(1)} ms p95 ${long.p95.toFixed(1)} ms`);
    expect(long.p95).toBeLessThan(200);
  }, 600_000);
});
