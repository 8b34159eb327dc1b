import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// After every migration, the history tables keep the indexes their readers rely on — the
// partitioning migration rebuilt the tables, and an index added before it must not be lost.

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("history indexes after all migrations", () => {
  it("has Luigi's indexes, the failures key and the dependency walk's index, on the partitioned tables", async () => {
    const r = await db.pool.query<{ indexname: string }>(
      `SELECT i.relname AS indexname FROM pg_class i JOIN pg_index x ON x.indexrelid = i.oid JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname IN ('task_events', 'task_parameters', 'task_dependencies', 'task_failures') AND t.relkind = 'p' ORDER BY 1`,
    );
    expect(r.rows.map((x) => x.indexname)).toEqual(expect.arrayContaining(["ix_task_events_task_id", "ix_task_events_ts", "task_dependencies_dep_task_id_idx", "task_failures_task_id_ts_key"]));
  });

  it("keeps Luigi's tasks a plain table keyed on id, with Luigi's indexes and those of retention and search", async () => {
    const r = await db.pool.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'tasks' ORDER BY 1");
    expect(r.rows.map((x) => x.indexname)).toEqual(["ix_tasks_history_month", "ix_tasks_name", "ix_tasks_name_id", "ix_tasks_task_id", "tasks_pkey"]);
    expect((await db.pool.query("SELECT relkind FROM pg_class WHERE oid = 'tasks'::regclass")).rows[0].relkind).toBe("r");
  });
});
