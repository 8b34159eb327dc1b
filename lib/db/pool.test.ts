import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isConnectionError } from "@/lib/db/outage";
import { createPool } from "@/lib/db/pool";
import { POOL_TIMEOUTS } from "@/lib/db/pool-timeouts";
import { withTransaction } from "@/lib/db/transaction";
import { startBlackholeProxy, type BlackholeProxy } from "@/lib/testing/blackhole-proxy";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { waitFor } from "@/lib/testing/wait-for";

// A database that stops answering without refusing (a failover, a network cut that sends no
// reset): the real PostgreSQL behind a proxy that cuts its open connections silently. A pool of
// ours gives up on the dead connection and reaches the database again by a new one; a transaction
// cut off while it held a lock does not keep it on the server. The timeouts are shortened here
// (the same settings as POOL_TIMEOUTS, seconds instead of a minute).

let db: TestDatabase;
let proxy: BlackholeProxy;

beforeAll(async () => {
  db = await createTestDatabase();
  const u = new URL(db.url);
  proxy = await startBlackholeProxy({ host: u.hostname, port: Number(u.port) });
});
afterAll(async () => {
  await proxy?.close();
  await db?.drop();
});

describe("a pool whose database stops answering", () => {
  it("applies the timeouts by default", () => {
    const pool = createPool(db.url);
    expect(pool.options).toMatchObject(POOL_TIMEOUTS);
    expect(createPool(db.url, { query_timeout: 0 }).options.query_timeout).toBe(0);
  });

  it("fails a query that gets no answer as a lost connection, drops that connection, and answers again on a new one", async () => {
    const pool = createPool(proxy.urlFor(db.url), { max: 2, query_timeout: 1_000 });
    try {
      expect((await pool.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
      proxy.cut();
      const started = Date.now();
      const error = await pool.query("SELECT 2").catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe("Query read timeout");
      expect(isConnectionError(error)).toBe(true);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await pool.query("SELECT 3 AS three")).rows).toEqual([{ three: 3 }]);
      expect(pool.totalCount).toBe(1); // the dead connection was not handed out again
    } finally {
      await pool.end();
    }
  }, 30_000);

  it("lets go of a transaction's lock when its client is cut off inside it", async () => {
    const LOCK = 0x7e57_0001;
    const pool = createPool(proxy.urlFor(db.url), { max: 2, query_timeout: 1_000, idle_in_transaction_session_timeout: 2_000 });
    try {
      const cutInside = withTransaction(
        pool,
        async (client) => {
          proxy.cut();
          await client.query("SELECT 1"); // no answer: the lock is held on the server
        },
        { lock: LOCK },
      ).catch((e: Error) => e);
      expect(((await cutInside) as Error).message).toBe("Query read timeout");
      const cutAt = Date.now();
      // another connection, straight to the database, gets the lock once the server ended the cut-off session
      await waitFor("the lock to be free", async () => (await db.pool.query("SELECT pg_try_advisory_xact_lock($1) AS got", [LOCK])).rows[0].got === true, 10_000);
      expect(Date.now() - cutAt).toBeLessThan(8_000);
      // and the pool works again
      expect((await withTransaction(pool, async (c) => (await c.query("SELECT 4 AS four")).rows, { lock: LOCK }))).toEqual([{ four: 4 }]);
    } finally {
      await pool.end();
    }
  }, 30_000);
});
