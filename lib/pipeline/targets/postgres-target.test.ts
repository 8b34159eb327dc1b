import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/database";
import { closeSharedPools, PostgresMarkerTarget } from "./postgres-target";

// Against a real PostgreSQL (a fresh database for this file): the marker and the rows commit
// together, so a failed load leaves neither.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await closeSharedPools();
  await db.drop();
});

const ddl = ["CREATE SCHEMA IF NOT EXISTS t", "CREATE TABLE IF NOT EXISTS t.rows (day DATE, n INT)"];

function target(updateId: string) {
  return new PostgresMarkerTarget({ updateId, table: "t.rows", databaseUrl: db.url, markerTable: "t.table_updates" });
}

describe("PostgresMarkerTarget", () => {
  it("does not exist before the marker table does", async () => {
    expect(await target("Load_1").exists()).toBe(false);
  });

  it("records the update id in the same transaction as the rows", async () => {
    const t = target("Load_2026_11_22");
    await t.prepare(ddl);
    await t.load(async (c) => {
      await c.query("INSERT INTO t.rows VALUES ('2026-11-22', 1), ('2026-11-22', 2)");
    });
    expect(await t.exists()).toBe(true);
    const marker = await db.pool.query("SELECT target_table FROM t.table_updates WHERE update_id = $1", ["Load_2026_11_22"]);
    expect(marker.rows).toEqual([{ target_table: "t.rows" }]);
  });

  it("leaves neither rows nor marker when the load fails", async () => {
    const t = target("Load_2026_11_23");
    await expect(
      t.load(async (c) => {
        await c.query("INSERT INTO t.rows VALUES ('2026-11-23', 1)");
        throw new Error("load failed half way");
      }),
    ).rejects.toThrow("half way");
    expect(await t.exists()).toBe(false);
    const rows = await db.pool.query("SELECT count(*)::int AS n FROM t.rows WHERE day = '2026-11-23'");
    expect(rows.rows[0].n).toBe(0);
  });

  it("replaces rows and refreshes the marker on a forced re-run", async () => {
    const t = target("Load_2026_11_22");
    const before = await db.pool.query("SELECT inserted FROM t.table_updates WHERE update_id = 'Load_2026_11_22'");
    await t.load(async (c) => {
      await c.query("DELETE FROM t.rows WHERE day = '2026-11-22'");
      await c.query("INSERT INTO t.rows VALUES ('2026-11-22', 3)");
    });
    const rows = await db.pool.query("SELECT n FROM t.rows WHERE day = '2026-11-22'");
    expect(rows.rows).toEqual([{ n: 3 }]);
    const after = await db.pool.query("SELECT inserted FROM t.table_updates WHERE update_id = 'Load_2026_11_22'");
    expect(after.rows[0].inserted.getTime()).toBeGreaterThan(before.rows[0].inserted.getTime());
  });

  it("creates tables safely from many loads at once", async () => {
    const targets = Array.from({ length: 6 }, (_, i) => new PostgresMarkerTarget({ updateId: `P_${i}`, table: "u.rows", databaseUrl: db.url, markerTable: "u.table_updates" }));
    await Promise.all(targets.map((t) => t.prepare(["CREATE SCHEMA IF NOT EXISTS u", "CREATE TABLE IF NOT EXISTS u.rows (i INT)"])));
    await Promise.all(targets.map((t, i) => t.load((c) => c.query("INSERT INTO u.rows VALUES ($1)", [i]))));
    const done = await Promise.all(targets.map((t) => t.exists()));
    expect(done).toEqual(Array(6).fill(true));
  });
});
