import type pg from "pg";

/**
 * What a pool of the web app, the runner and the scheduler's audit allows a database that stops answering (a failover, a
 * network cut that sends no reset, a stopped server) — every statement they run takes well under
 * a second. Without these a query on such a connection waits forever: a runner's heartbeat with
 * it, and a transaction that held the claim lock keeps it on the server for hours (the server
 * does not know its client is gone either).
 * - `query_timeout`: a query with no answer after 30 s fails ("Query read timeout", a connection
 *   error to the loops) and its connection is dropped, not returned to the pool;
 * - `idle_in_transaction_session_timeout`: the server ends a session left inside a transaction for
 *   60 s, and with it the transaction's locks;
 * - TCP keepalives from 10 s of quiet, so a connection to a host that is gone ends by itself.
 * Long maintenance (migrations, benchmark seeds) makes its own pool or passes `query_timeout: 0`.
 * (Apart from lib/db/pool.ts, which sets how pg reads bigints for every pool of its process.)
 */
export const POOL_TIMEOUTS = {
  connectionTimeoutMillis: 5_000,
  query_timeout: 30_000,
  idle_in_transaction_session_timeout: 60_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
} satisfies Partial<pg.PoolConfig>;
