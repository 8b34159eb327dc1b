import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimitStore, pruneRateLimits } from "@/lib/auth/rate-limit-store";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { freePort } from "@/lib/testing/free-port";

// The shared rate-limit count on a real PostgreSQL: two stores stand for two web replicas.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the PostgreSQL rate-limit store", () => {
  it("allows max requests in a window across replicas, even when they all arrive at once", async () => {
    const replicas = [createRateLimitStore(db.pool), createRateLimitStore(db.pool)];
    const rule = { window: 10, max: 3 };
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) => replicas[i % 2].consume("198.51.100.7/sign-in/email", rule)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
    const refused = decisions.filter((d) => !d.allowed);
    expect(refused).toHaveLength(17);
    for (const d of refused) expect(d.retryAfter).toBeGreaterThanOrEqual(9);
    for (const d of refused) expect(d.retryAfter).toBeLessThanOrEqual(10);
    // another address, and another path of the same address, count apart
    expect((await replicas[0].consume("198.51.100.8/sign-in/email", rule)).allowed).toBe(true);
    expect((await replicas[1].consume("198.51.100.7/get-session", rule)).allowed).toBe(true);
  });

  it("starts a new count once the window has passed since the last allowed request; refusals do not move it", async () => {
    const store = createRateLimitStore(db.pool);
    const rule = { window: 2, max: 2 };
    const key = "203.0.113.1/sign-in/email";
    expect((await store.consume(key, rule)).allowed).toBe(true);
    expect((await store.consume(key, rule)).allowed).toBe(true);
    const lastAllowed = Date.now();
    await sleep(500);
    expect((await store.consume(key, rule)).allowed).toBe(false); // the window runs from the second try
    await sleep(lastAllowed + 2100 - Date.now());
    expect((await store.consume(key, rule)).allowed).toBe(true); // 2.1 s after the last allowed one, 1.6 s after the refusal
    const { rows } = await db.pool.query("SELECT count FROM auth_rate_limits WHERE key = $1", [key]);
    expect(rows[0].count).toBe(1);
  });

  it("lets a request through when the database is unreachable (it fails there anyway); other errors are thrown", async () => {
    const down = new pg.Pool({ connectionString: `postgres://nobody@127.0.0.1:${await freePort()}/none`, connectionTimeoutMillis: 2000 });
    try {
      expect(await createRateLimitStore(down).consume("198.51.100.9/sign-in/email", { window: 10, max: 3 })).toEqual({ allowed: true, retryAfter: null });
    } finally {
      await down.end();
    }
    await db.pool.query("ALTER TABLE auth_rate_limits RENAME TO auth_rate_limits_gone");
    try {
      await expect(createRateLimitStore(db.pool).consume("198.51.100.9/sign-in/email", { window: 10, max: 3 })).rejects.toThrow(/auth_rate_limits/);
    } finally {
      await db.pool.query("ALTER TABLE auth_rate_limits_gone RENAME TO auth_rate_limits");
    }
  });

  it("prunes rows idle longer than asked, and keeps the rest", async () => {
    await db.pool.query("INSERT INTO auth_rate_limits (key, count, last_request) VALUES ('old', 3, now() - interval '2 hours'), ('fresh', 1, now())");
    expect(await pruneRateLimits(db.pool, 3600)).toBeGreaterThanOrEqual(1);
    const { rows } = await db.pool.query("SELECT key FROM auth_rate_limits WHERE key IN ('old', 'fresh')");
    expect(rows.map((r) => r.key)).toEqual(["fresh"]);
  });
});
