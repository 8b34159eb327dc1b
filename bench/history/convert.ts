// How long the upgrade that partitions the history by month (migration 20261205050000) takes on a
// database that already holds history: the migrations before it are applied to an embedded
// PostgreSQL in a temporary folder, N tasks are written as a luigid or an earlier Switchyard left
// them (4 events and 2 parameters each, spread over DAYS days, one dependency edge and, for one in
// ten, a failure), then the conversion is timed, and each migration after it. Each runs in one
// transaction: the history tables are locked for that long, so this is the downtime of the upgrade.
//
//   node --import tsx bench/history/convert.ts [--tasks 1000000] [--days 90]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { createLogger } from "@/lib/log/logger";
import { freePort } from "@/lib/testing/free-port";

const { values: args } = parseArgs({ options: { tasks: { type: "string", default: "1000000" }, days: { type: "string", default: "90" } } });
const TASKS = Number(args.tasks);
const DAYS = Number(args.days);
const MIGRATION = "20261205050000_history_partitions";
const dir = path.resolve("prisma/migrations");
const sqlOf = (name: string) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
const loadavg = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");

const home = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-convert-"));
fs.chmodSync(home, 0o755);
const server = await startEmbeddedPostgres({ home, port: await freePort(), logger: createLogger("bench-pg", "warn"), database: "postgres" });
const client = new pg.Client(server.url);
await client.connect();
try {
  for (const name of fs.readdirSync(dir).filter((d) => /^\d{14}_/.test(d) && d < MIGRATION).sort()) await client.query(sqlOf(name));
  const t0 = performance.now();
  // generated in SQL: task i of day d = i % DAYS, its events an hour apart from 02:00 that day
  await client.query(
    `INSERT INTO tasks (id, task_id, name, host)
     SELECT i, 'Step_' || i, 'Step' || (i % 10), 'host-' || (i % 8) FROM generate_series(1, $1::int) i`,
    [TASKS],
  );
  await client.query(
    `INSERT INTO task_parameters (task_id, name, value)
     SELECT i, p.name, CASE p.name WHEN 'day' THEN (current_date - (i % $2::int))::text ELSE 'svc-' || (i % 1000) END
       FROM generate_series(1, $1::int) i CROSS JOIN (VALUES ('day'), ('service_id')) p(name)`,
    [TASKS, DAYS],
  );
  await client.query(
    `INSERT INTO task_events (task_id, event_name, ts)
     SELECT i, e.name, (current_date - (i % $2::int))::timestamp + interval '2 hours' + e.k * interval '1 hour'
       FROM generate_series(1, $1::int) i CROSS JOIN (VALUES (0, 'PENDING'), (1, 'RUNNING'), (2, 'DONE'), (3, 'PENDING')) e(k, name)`,
    [TASKS, DAYS],
  );
  await client.query(
    `INSERT INTO task_dependencies (task_id, dep_task_id, first_seen_at)
     SELECT 'Step_' || i, 'Step_' || (i - 1), (current_date - (i % $2::int))::timestamptz FROM generate_series(2, $1::int) i`,
    [TASKS, DAYS],
  );
  await client.query(
    `INSERT INTO task_failures (task_id, ts, explanation)
     SELECT 'Step_' || i, (current_date - (i % $2::int))::timestamp, '"boom"' FROM generate_series(10, $1::int, 10) i`,
    [TASKS, DAYS],
  );
  await client.query("SELECT setval('tasks_id_seq', $1::int)", [TASKS]);
  await client.query("VACUUM ANALYZE");
  const size = (await client.query("SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS s FROM pg_class c WHERE c.relname IN ('tasks', 'task_events', 'task_parameters', 'task_dependencies', 'task_failures')")).rows[0].s;
  console.log(`history written in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${TASKS} tasks, ${TASKS * 4} events, ${TASKS * 2} parameters, ${TASKS - 1} edges over ${DAYS} days (${size}); load average ${loadavg()}`);
  const t1 = performance.now();
  await client.query(sqlOf(MIGRATION));
  const seconds = (performance.now() - t1) / 1000;
  const events = Number((await client.query("SELECT count(*) AS n FROM task_events")).rows[0].n);
  console.log(`migration ${MIGRATION}: ${seconds.toFixed(1)} s (${Math.round((TASKS * 8.1) / seconds)} rows/s over the five tables; ${events} events after), load average ${loadavg()}`);
  // the migrations after it, each timed: 20261205080000 copies Luigi's tasks back into a plain table
  for (const name of fs.readdirSync(dir).filter((d) => /^\d{14}_/.test(d) && d > MIGRATION).sort()) {
    const t = performance.now();
    await client.query(sqlOf(name));
    console.log(`migration ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
} finally {
  await client.end();
  await server.stop();
  fs.rmSync(home, { recursive: true, force: true });
}
