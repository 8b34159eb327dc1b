import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// /metrics through its real route handler on a real database: the guard and the numbers.

let db: TestDatabase;
let GET: (request: NextRequest) => Promise<Response>;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  const s = await db.pool.query("INSERT INTO services (name, display_name, daily_command) VALUES ('m', 'm', 'true') RETURNING id");
  await db.pool.query(
    `INSERT INTO runs (service_id, kind, period_start, period_date, trigger, status, queued_at, not_before)
     VALUES ($1, 'daily', current_date, current_date, 'manual', 'queued', now() - interval '90 seconds', now() - interval '90 seconds'),
            ($1, 'daily', current_date - 1, current_date - 1, 'manual', 'failed', now(), now())`,
    [s.rows[0].id],
  );
  await db.pool.query("INSERT INTO alert_incidents (key, rule, severity, summary, opened_at) VALUES ('stuck_queue', 'stuck_queue', 'critical', 'x', now())");
  GET = ((await import("@/app/metrics/route")) as unknown as { GET: typeof GET }).GET;
});
afterEach(() => {
  delete process.env.METRICS_TOKEN;
  delete process.env.HOST;
});
afterAll(async () => {
  const { getPool } = await import("@/lib/db/client");
  await getPool().end();
  await db.drop();
});

const scrape = (auth?: string) => GET(new NextRequest("http://127.0.0.1/metrics", { headers: auth ? { authorization: auth } : {} }));

describe("/metrics", () => {
  it("exports runs, the queue, open incidents with HELP text on loopback", async () => {
    const res = await scrape();
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("# HELP switchyard_queue_depth Runs waiting in the queue");
    expect(text).toContain('switchyard_runs{kind="daily",status="failed"} 1');
    expect(text).toContain("switchyard_queue_depth 1");
    expect(Number(/^switchyard_queue_oldest_age_seconds (\S+)$/m.exec(text)![1])).toBeGreaterThanOrEqual(89);
    expect(text).toContain('switchyard_incidents_open{rule="stuck_queue"} 1');
    expect(text).toContain('switchyard_incidents_open{rule="run_failed"} 0');
  });

  it("wants the bearer token when METRICS_TOKEN is set, and a token when the app listens beyond loopback", async () => {
    process.env.METRICS_TOKEN = "s3cret-token";
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer wrong")).status).toBe(401);
    expect((await scrape("Bearer s3cret-token")).status).toBe(200);
    delete process.env.METRICS_TOKEN;
    process.env.HOST = "0.0.0.0";
    expect((await scrape()).status).toBe(403);
  });
});
