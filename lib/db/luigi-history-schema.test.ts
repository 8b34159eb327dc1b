import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/database";

// Luigi's history tables must hold what luigid creates (spec/luigi-protocol/history-schema.sql,
// a pg_dump of the database SQLAlchemy made), so a real luigid can write into our database and read it.
// We load that dump into an empty database and compare the catalogues of both, column by column.

const tables = ["tasks", "task_parameters", "task_events"];

let ours: TestDatabase;
let luigi: TestDatabase;

beforeAll(async () => {
  ours = await createTestDatabase();
  luigi = await createTestDatabase();
  // Start the reference database empty: drop everything the template gave it.
  await luigi.pool.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
  const dump = fs.readFileSync(path.resolve("spec/luigi-protocol/history-schema.sql"), "utf8");
  const sql = dump
    .split("\n")
    .filter((line) => !line.startsWith("\\")) // psql meta-commands (\restrict) are not SQL
    .join("\n");
  await luigi.pool.query(sql);
  await luigi.pool.query("SET search_path = public"); // the dump cleared it for its own session only
});

afterAll(async () => {
  await ours?.drop();
  await luigi?.drop();
});

async function columns(pool: pg.Pool) {
  const r = await pool.query(
    `SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, is_nullable, column_default, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY($1)
      ORDER BY table_name, ordinal_position`,
    [tables],
  );
  return r.rows;
}

async function indexes(pool: pg.Pool) {
  const r = await pool.query(
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY indexname`,
    [tables],
  );
  return r.rows;
}

async function constraints(pool: pg.Pool) {
  const r = await pool.query(
    `SELECT c.conrelid::regclass::text AS table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c WHERE c.conrelid::regclass::text = ANY($1) ORDER BY c.conname`,
    [tables],
  );
  return r.rows;
}

async function sequences(pool: pg.Pool) {
  const r = await pool.query(
    `SELECT sequencename, data_type::text, start_value, increment_by, cache_size FROM pg_sequences
      WHERE schemaname = 'public' AND sequencename IN ('tasks_id_seq', 'task_events_id_seq') ORDER BY sequencename`,
  );
  return r.rows;
}

// Partitioned by month (migration 20261205050000_history_partitions): task_events and
// task_parameters gain the partition key in their primary keys (PostgreSQL requires it), and
// task_parameters a history_month column with a default so luigid's inserts need not name it.
// Luigi's own columns stay exactly as luigid makes them, and its indexes keep their names and
// columns. There are no foreign keys to tasks(id): retention drops months of events and
// parameters and then deletes task rows, and an orphaned event must not stop it.
// Luigi's tasks is a plain table again (migration 20261205080000) with luigid's own key on id:
// luigid's find_latest_runs groups by tasks.id alone. It gains two indexes of ours.
const PARTITION_KEY: Record<string, string> = { task_parameters: "history_month", task_events: "ts" };
const OUR_INDEXES = ["ix_tasks_history_month", "ix_tasks_name_id"];

describe("Luigi history tables", () => {
  it("have luigid's columns, types, lengths, nullability and defaults, plus history_month with a default", async () => {
    const expected = await columns(luigi.pool);
    expect(expected).toHaveLength(11);
    const mine = await columns(ours.pool);
    expect(mine.filter((c) => c.column_name !== "history_month")).toEqual(expected);
    const added = mine.filter((c) => c.column_name === "history_month");
    expect(added.map((c) => c.table_name).sort()).toEqual(["task_parameters", "tasks"]);
    for (const c of added) expect(c.column_default).toContain("date_trunc('month'");
  });

  it("are partitioned but tasks, with luigid's indexes under the same names and columns", async () => {
    const expected = (await indexes(luigi.pool)).filter((i) => !i.indexname.endsWith("_pkey"));
    expect(expected.map((i) => i.indexname)).toContain("ix_task_events_ts");
    const actual = (await indexes(ours.pool)).filter((i) => !i.indexname.endsWith("_pkey") && !OUR_INDEXES.includes(i.indexname));
    // an index of a partitioned table is defined "ON ONLY" the parent, and built on every partition
    expect(actual.map((i) => ({ ...i, indexdef: i.indexdef.replace(" ON ONLY ", " ON ") }))).toEqual(expected);
    const kinds = await ours.pool.query("SELECT relname, relkind FROM pg_class WHERE relname = ANY($1) ORDER BY relname", [tables]);
    expect(kinds.rows.map((r) => [r.relname, r.relkind])).toEqual([["task_events", "p"], ["task_parameters", "p"], ["tasks", "r"]]);
  });

  it("have luigid's primary keys, plus the partition key where partitioned, and no foreign keys", async () => {
    const expected = (await constraints(luigi.pool)).filter((c) => c.contype === "p");
    expect(expected).toHaveLength(3);
    const actual = (await constraints(ours.pool)).filter((c) => c.contype === "p" || c.contype === "f");
    expect(actual).toEqual(expected.map((c) => (PARTITION_KEY[c.table_name] ? { ...c, def: c.def.replace(")", `, ${PARTITION_KEY[c.table_name]})`) } : c)));
  });

  it("use integer sequences like SERIAL columns", async () => {
    const expected = await sequences(luigi.pool);
    expect(expected).toHaveLength(2);
    expect(await sequences(ours.pool)).toEqual(expected);
  });

  it("accept the rows luigid wrote during the fixture capture", async () => {
    const data = fs.readFileSync(path.resolve("spec/luigi-protocol/history-data.sql"), "utf8");
    const client = await ours.pool.connect();
    try {
      await loadCopyDump(client, data);
      const counts = await client.query(
        "SELECT (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM task_events)::int AS events, (SELECT count(*) FROM task_parameters)::int AS params",
      );
      expect(counts.rows[0]).toEqual({ tasks: 87, events: 274, params: 202 });
    } finally {
      client.release();
    }
  });
});

/** Replays a pg_dump --data-only file (COPY ... FROM stdin blocks) as INSERTs. */
async function loadCopyDump(client: pg.PoolClient, dump: string) {
  const lines = dump.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^COPY public\.(\w+) \(([^)]+)\) FROM stdin;$/.exec(lines[i]);
    if (m) {
      const [, table, cols] = m;
      for (i++; lines[i] !== "\\."; i++) {
        const values = lines[i].split("\t").map((v) => (v === "\\N" ? null : v.replace(/\\t/g, "\t").replace(/\\n/g, "\n").replace(/\\\\/g, "\\")));
        const params = values.map((_, k) => `$${k + 1}`).join(", ");
        await client.query(`INSERT INTO public.${table} (${cols}) VALUES (${params})`, values);
      }
    } else if (/^SELECT pg_catalog\.setval/.test(lines[i])) {
      await client.query(lines[i]);
    }
  }
}
