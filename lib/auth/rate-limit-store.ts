import type pg from "pg";
import { isConnectionError } from "@/lib/db/outage";
import { createLogger } from "@/lib/log/logger";

// better-auth's rate limit (3 sign-in tries in 10 s per client address) counted in PostgreSQL, so
// the web's replicas share one count and a restart does not reset it. Its default store is each
// process's memory: behind a Service with two web pods, an attacker had twice the tries.
//
// One statement decides and counts, so concurrent requests on any replica cannot all pass a stale
// read. The rule is better-auth's own (its memory store's): a request more than `window` seconds
// after the last allowed one starts a new count; otherwise it is allowed while the count is below
// `max`, and a refused one does not move the window.
//
// With the database unreachable the request is let through: it cannot sign anyone in without the
// database either, and fails there the way better-auth reports an outage (a thrown error here
// would be a stack trace per request). Any other error is thrown: a limit that silently stopped
// counting would be a hole.

export type RateLimitRule = { window: number; max: number };
export type RateLimitDecision = { allowed: boolean; retryAfter: number | null };

/** Rows idle this long are deleted (longer than any rule's window: better-auth's longest is 60 s). */
const KEEP_IDLE_SECONDS = 60 * 60;
const PRUNE_EVERY_MS = 10 * 60 * 1000;
const log = createLogger("web/auth");

export function createRateLimitStore(pool: pg.Pool) {
  let lastPrune = 0;

  async function consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    try {
      return await count(key, rule);
    } catch (error) {
      if (isConnectionError(error)) return { allowed: true, retryAfter: null };
      throw error;
    }
  }

  async function count(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      pruneRateLimits(pool).catch((error: unknown) => {
        if (!isConnectionError(error)) log.warn("could not prune old rate-limit rows", { error });
      });
    }
    const { rows } = await pool.query<{ count: number }>(
      `INSERT INTO auth_rate_limits AS r (key, count, last_request) VALUES ($1, 1, clock_timestamp())
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN r.last_request <= clock_timestamp() - make_interval(secs => $2) THEN 1 ELSE r.count + 1 END,
         last_request = clock_timestamp()
       WHERE r.last_request <= clock_timestamp() - make_interval(secs => $2) OR r.count < $3
       RETURNING count`,
      [key, rule.window, rule.max],
    );
    if (rows.length > 0) return { allowed: true, retryAfter: null };
    const refused = await pool.query<{ retry_after: number }>(
      `SELECT greatest(1, ceil(extract(epoch FROM last_request + make_interval(secs => $2) - clock_timestamp())))::int AS retry_after
         FROM auth_rate_limits WHERE key = $1`,
      [key, rule.window],
    );
    return { allowed: false, retryAfter: refused.rows[0]?.retry_after ?? rule.window };
  }

  return { consume };
}

export async function pruneRateLimits(pool: pg.Pool, keepIdleSeconds = KEEP_IDLE_SECONDS): Promise<number> {
  const { rowCount } = await pool.query("DELETE FROM auth_rate_limits WHERE last_request < clock_timestamp() - make_interval(secs => $1)", [keepIdleSeconds]);
  return rowCount ?? 0;
}
