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
  await db.pool.query("ANALYZE runs");
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
  }, 600_000);
  afterAll(async () => {
    await db?.drop();
  });

  it("stays flat from 10 to 90 days of history", async () => {
    await history(1, 10);
    const short = await measure();
    await history(11, 90);
    const long = await measure();
    const rows = (await db.pool.query("SELECT count(*)::int AS n FROM runs")).rows[0].n;
    console.log(`alert tick, 1000 services: 10 days p50 ${short.p50.toFixed(1)} ms p95 ${short.p95.toFixed(1)} ms; 90 days (${rows} runs) p50 ${long.p50.toFixed(1)} ms p95 ${long.p95.toFixed(1)} ms`);
    expect(long.p95).toBeLessThan(200);
  }, 600_000);
});
