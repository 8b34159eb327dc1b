import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { ensureAppRole, grantAppRole, urlAs } from "@/lib/db/roles";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";
import { addMonths, ensureHistoryPartitions, listHistoryMonths, monthOf } from "./history-partitions";
import { pruneHistory } from "./prune-history";

// The migration that partitions the history, on a database that already has history rows (built
// by the migrations before it, applied as plain SQL like bench/dashboard/generate.ts does): every
// row is kept with its id, the sequences go on, running it again changes nothing, and the app role
// the scheduler connects as can create and drop months but still not create tables.

const dir = path.resolve("prisma/migrations");
const MIGRATION = "20261205050000_history_partitions";
const LATER = "20261205080000_tasks_unpartitioned";
const sqlOf = (name: string) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
const role = `switchyard_app_hist_${randomBytes(4).toString("hex")}`;
const password = randomBytes(12).toString("hex");

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  for (const name of fs.readdirSync(dir).filter((d) => /^\d{14}_/.test(d) && d < MIGRATION).sort()) await db.pool.query(sqlOf(name));
  await db.pool.query(`
    INSERT INTO tasks (id, task_id, name, host) VALUES (1, 'A_1', 'A', 'h1'), (2, 'B_1', 'B', NULL), (3, 'C_1', 'C', NULL);
    INSERT INTO task_parameters (task_id, name, value) VALUES (1, 'day', '2026-10-30'), (1, 'n', '1'), (2, 'day', '2026-11-02');
    INSERT INTO task_events (id, task_id, event_name, ts) VALUES (1, 1, 'PENDING', '2026-10-30 23:00:00'), (2, 1, 'DONE', '2026-11-01 01:00:00'),
                                                                (3, 2, 'PENDING', '2026-11-02 01:00:00'), (4, 2, 'FAILED', '2026-11-02 02:00:00');
    INSERT INTO task_dependencies (task_id, dep_task_id, first_seen_at) VALUES ('B_1', 'A_1', '2026-11-02 01:00:00+00');
    INSERT INTO task_failures (task_id, ts, explanation) VALUES ('B_1', '2026-11-02 02:00:00', '"boom"');
    SELECT setval('tasks_id_seq', 3), setval('task_events_id_seq', 4)`);
});
afterAll(async () => {
  await db?.drop();
  const admin = new pg.Client(inject("testAdminUrl") ?? process.env.SWITCHYARD_TEST_ADMIN_URL);
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${role}`).finally(() => admin.end());
});

const snapshot = async () => {
  const q = async (sql: string) => (await db.pool.query(sql)).rows;
  return {
    tasks: await q("SELECT id, task_id, name, host, history_month::text AS month FROM tasks ORDER BY id"),
    params: await q("SELECT task_id, name, value, history_month::text AS month FROM task_parameters ORDER BY task_id, name"),
    events: await q("SELECT id, task_id, event_name, ts::text FROM task_events ORDER BY id"),
    deps: await q("SELECT task_id, dep_task_id, history_month::text AS month FROM task_dependencies"),
    failures: await q("SELECT task_id, ts::text, explanation FROM task_failures"),
  };
};

describe(`migration ${MIGRATION}`, () => {
  it("keeps every history row, each task row in the month of its first event", async () => {
    await db.pool.query(sqlOf(MIGRATION));
    const now = monthOf(new Date());
    const after = await snapshot();
    expect(after.tasks).toEqual([
      { id: 1, task_id: "A_1", name: "A", host: "h1", month: "2026-10-01" },
      { id: 2, task_id: "B_1", name: "B", host: null, month: "2026-11-01" },
      { id: 3, task_id: "C_1", name: "C", host: null, month: now }, // no event: the month of the migration
    ]);
    expect(after.params.map((p) => [p.task_id, p.name, p.month])).toEqual([[1, "day", "2026-10-01"], [1, "n", "2026-10-01"], [2, "day", "2026-11-01"]]);
    expect(after.events.map((e) => e.ts)).toEqual(["2026-10-30 23:00:00", "2026-11-01 01:00:00", "2026-11-02 01:00:00", "2026-11-02 02:00:00"]);
    expect(after.deps).toEqual([{ task_id: "B_1", dep_task_id: "A_1", month: expect.stringMatching(/^2026-11-01$/) }]);
    expect(after.failures).toEqual([{ task_id: "B_1", ts: "2026-11-02 02:00:00", explanation: '"boom"' }]);
    const months = await listHistoryMonths(db.pool);
    expect(months.get("task_events")).toEqual(["2026-10-01", "2026-11-01", ...[0, 1, 2].map((i) => addMonths(now, i))].filter((m, i, a) => a.indexOf(m) === i).sort());
    expect(months.get("task_parameters")).toEqual(months.get("task_events"));
    // the sequences go on from the copied ids, and each of Luigi's indexes is there
    const ids = await db.pool.query("INSERT INTO tasks (task_id, name) VALUES ('D_1', 'D') RETURNING id");
    expect(ids.rows[0].id).toBe(4);
    const indexes = await db.pool.query("SELECT indexname FROM pg_indexes WHERE tablename IN ('tasks', 'task_events') ORDER BY 1");
    expect(indexes.rows.map((r) => r.indexname)).toEqual(["ix_task_events_task_id", "ix_task_events_ts", "ix_tasks_name", "ix_tasks_task_id", "task_events_pkey", "tasks_pkey"]);
    expect(ids.rows[0].id).toBe(4);
    await db.pool.query("DELETE FROM tasks WHERE id = 4");
  });

  it("does nothing when run again", async () => {
    const before = await snapshot();
    await db.pool.query(sqlOf(MIGRATION));
    expect(await snapshot()).toEqual(before);
  });

  it(`is followed by ${LATER}, which makes Luigi's tasks a plain table keyed on id again, for luigid's readers`, async () => {
    const before = await snapshot();
    for (const name of fs.readdirSync(dir).filter((d) => /^\d{14}_/.test(d) && d > MIGRATION && d <= LATER).sort()) await db.pool.query(sqlOf(name));
    expect(await snapshot()).toEqual(before);
    const kind = await db.pool.query("SELECT relkind FROM pg_class WHERE oid = 'tasks'::regclass");
    expect(kind.rows[0].relkind).toBe("r");
    const key = await db.pool.query("SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'tasks'::regclass AND contype = 'p'");
    expect(key.rows).toEqual([{ def: "PRIMARY KEY (id)" }]);
    // luigid's find_latest_runs (its /history page), as SQLAlchemy 2 sends it: PostgreSQL accepts
    // tasks.task_id grouped by tasks.id only when id alone is the primary key
    const latest = await db.pool.query(
      `SELECT tasks.id AS tasks_id, tasks.task_id AS tasks_task_id, tasks.name AS tasks_name, tasks.host AS tasks_host
         FROM tasks JOIN task_events ON tasks.id = task_events.task_id
        WHERE task_events.ts >= $1 GROUP BY tasks.id, task_events.event_name, task_events.ts ORDER BY task_events.ts DESC`,
      ["2026-10-01 00:00:00"],
    );
    expect(latest.rows.map((r) => r.tasks_task_id)).toEqual(["B_1", "B_1", "A_1", "A_1"]);
    const ids = await db.pool.query("INSERT INTO tasks (task_id, name) VALUES ('E_1', 'E') RETURNING id, history_month::text AS m");
    expect(ids.rows[0]).toEqual({ id: 5, m: monthOf(new Date()) });
    await db.pool.query("DELETE FROM tasks WHERE id = 5");
    // running it again changes nothing
    await db.pool.query(sqlOf(LATER));
    expect(await snapshot()).toEqual(before);
  });

  it("lets the app role add and drop months, but not create tables", async () => {
    await ensureAppRole(db.pool, password, role);
    await grantAppRole(db.pool, role);
    const app = new pg.Pool({ connectionString: urlAs(db.url, role, password), max: 2 });
    try {
      await expect(app.query("CREATE TABLE sneaky (id int)")).rejects.toMatchObject({ code: "42501" });
      await expect(app.query("SELECT switchyard_history_add_partition('users', '2030-01-01')")).rejects.toThrow(/not a partitioned history table/);
      await expect(app.query("SELECT switchyard_history_add_partition('tasks', '2030-01-01')")).rejects.toThrow(/not a partitioned history table/);
      expect(await ensureHistoryPartitions(app, ["2026-09-01"])).toHaveLength(4);
      const pruned = await pruneHistory(app, new Date(2026, 10, 15));
      expect(pruned.months).toEqual(["2026-09-01", "2026-10-01"]);
      expect(pruned.carried).toBe(1); // A_1 ended on 1 November: its row moves to November
      expect((await app.query("SELECT id, history_month::text AS m FROM tasks WHERE id = 1")).rows).toEqual([{ id: 1, m: "2026-11-01" }]);
      expect((await app.query("SELECT count(*)::int AS n FROM task_events")).rows[0].n).toBe(3);
    } finally {
      await app.end();
    }
  });
});
