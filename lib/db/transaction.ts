import type pg from "pg";
import { isUnansweredQuery } from "@/lib/db/outage";

// One transaction on one pooled connection: COMMIT when `work` returns, ROLLBACK when it throws
// (the error is rethrown). A connection that failed (its ROLLBACK failed, or it reported an error
// between statements: the server went away; a query got no answer) is destroyed, not handed to the next caller; while
// checked out, such an error is caught here rather than thrown at the process (node-postgres
// emits it on the client, and the pool listens only to idle ones). `lock` takes a
// transaction-level advisory lock first, for the writers that must not interleave (claims,
// syncs); `readOnly` starts a READ ONLY transaction.

export type TransactionOptions = { lock?: number; readOnly?: boolean };

export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => (broken = error);
  client.on("error", onError);
  try {
    await client.query(options.readOnly ? "BEGIN READ ONLY" : "BEGIN");
    if (options.lock !== undefined) await client.query("SELECT pg_advisory_xact_lock($1)", [options.lock]);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A query that got no answer (query_timeout) leaves the connection waiting for it: a ROLLBACK
    // would queue behind it for another timeout. The connection is dropped instead, and the server
    // rolls back when it sees it go (or idle_in_transaction_session_timeout ends it).
    if (isUnansweredQuery(error)) broken = error as Error;
    else await client.query("ROLLBACK").catch((failed: Error) => (broken = failed));
    throw error;
  } finally {
    client.off("error", onError);
    client.release(broken);
  }
}
