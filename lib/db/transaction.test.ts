import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTransaction } from "@/lib/db/transaction";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// The one BEGIN/COMMIT/ROLLBACK of the modules that write several statements at once, against a
// real PostgreSQL.

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query("CREATE TABLE tx_probe (n int)");
});
afterAll(async () => {
  await db?.drop();
});

const count = async () => (await db.pool.query("SELECT count(*)::int AS n FROM tx_probe")).rows[0].n as number;

describe("withTransaction", () => {
  it("commits what the work wrote and returns its result", async () => {
    const result = await withTransaction(db.pool, async (c) => {
      await c.query("INSERT INTO tx_probe VALUES (1), (2)");
      return "written";
    });
    expect(result).toBe("written");
    expect(await count()).toBe(2);
  });

  it("rolls everything back when the work throws, and rethrows its error", async () => {
    await expect(
      withTransaction(db.pool, async (c) => {
        await c.query("INSERT INTO tx_probe VALUES (3)");
        throw new Error("half way");
      }),
    ).rejects.toThrow("half way");
    expect(await count()).toBe(2);
  });

  it("holds the advisory lock until it commits, and reads only when asked to", async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = withTransaction(db.pool, async () => { order.push("first in"); await held; order.push("first out"); }, { lock: 4242 }); // prettier-ignore
    await new Promise((r) => setTimeout(r, 100));
    const second = withTransaction(db.pool, async () => void order.push("second in"), { lock: 4242 });
    await new Promise((r) => setTimeout(r, 200));
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first in", "first out", "second in"]);
    await expect(withTransaction(db.pool, (c) => c.query("INSERT INTO tx_probe VALUES (4)"), { readOnly: true })).rejects.toThrow(/read-only transaction/);
    expect(await count()).toBe(2);
  });

  it("a connection that dies between statements fails the call, not the process (no unhandled 'error'), and is not reused", async () => {
    await expect(
      withTransaction(db.pool, async (c) => {
        const pid = (await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
        await db.pool.query("SELECT pg_terminate_backend($1)", [pid]);
        await c.query("SELECT 1");
      }),
    ).rejects.toThrow();
    expect(await count()).toBe(2);
  });
});
