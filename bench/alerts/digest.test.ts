import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDigest, readDigestFacts } from "@/lib/alerts/channels/digest";
import { loadChannels } from "@/lib/alerts/channels/load-channels";
import { toStored } from "@/lib/alerts/channels/stored-channel";
import { insertChannel } from "@/lib/db/alerts/channels";
import { parseAlertChannels } from "@/lib/schemas/alert-channels";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Benchmark: what the channels add to the alert loop over 1,000 services × 90 days of dailies —
// reading 50 stored channels (every pass, every second), and the facts of a daily digest (once per
// tick at which a digest is due) — bounded by services and open incidents, not by history.
//   BENCH_ALERTS=1 npx vitest run bench/alerts/digest.test.ts

let db: TestDatabase;
const now = new Date();

async function time(times: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  out.sort((a, b) => a - b);
  return { p50: +out[Math.floor(times * 0.5)].toFixed(1), p95: +out[Math.floor(times * 0.95)].toFixed(1) };
}

describe.skipIf(!process.env.BENCH_ALERTS)("channels and digest benchmark", () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO services (name, display_name, daily_command, time_zone, labels, created_at)
       SELECT 'svc-' || i, 'svc-' || i, 'true', (ARRAY['UTC', 'Europe/Berlin', 'Asia/Tokyo'])[1 + i % 3], jsonb_build_object('team', 't' || i % 20), now() - interval '1 year'
         FROM generate_series(1, 1000) i`,
    );
    // 90 days of dailies, 1 in 200 failed; the last two days left partly missing
    await db.pool.query(
      `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, started_at, finished_at, queued_at, not_before)
       SELECT s.id, 'daily', d::timestamptz, d, 'scheduled', CASE WHEN (s.id * 7 + g) % 200 = 0 THEN 'failed' ELSE 'done' END::run_status,
              d + interval '26 hours', d + interval '27 hours', d + interval '1 day', d + interval '1 day'
         FROM services s, generate_series(1, 90) g, LATERAL (SELECT current_date - g AS d) x
        WHERE g > 2 OR s.id % 10 <> 0`,
    );
    await db.pool.query("ANALYZE runs");
    for (let i = 0; i < 50; i++) {
      const [c] = parseAlertChannels(JSON.stringify([{ name: `ch-${i}`, type: "slack", url: `https://hooks.example.test/${i}`, services: [`team=t${i % 20}`], digest: { time: "08:00", timeZone: "Europe/Berlin" } }]));
      await insertChannel(db.pool, toStored(c), "api", "bench");
    }
  }, 600_000);
  afterAll(async () => {
    await db?.drop();
  });

  it("reads the channels and a digest's facts in a bounded time", async () => {
    const channels = await time(40, () => loadChannels(db.pool, []));
    const facts = await time(20, () => readDigestFacts(db.pool, now));
    const f = await readDigestFacts(db.pool, now);
    const all = await loadChannels(db.pool, []);
    const build = await time(20, () => Promise.all(all.map((c) => buildDigest(db.pool, c, "http://127.0.0.1:3000", now, "digest", f))));
    console.log(JSON.stringify({ loadChannels50: channels, digestFacts1000x90: facts, build50Digests: build, redDailies: f.dailies.length }));
    expect(channels.p95).toBeLessThan(50);
    expect(facts.p95).toBeLessThan(500);
  });
});
