// Writes a realistic fleet history into a fresh database for the dashboard benchmark.
//
//   node --import tsx bench/dashboard/generate.ts [--services 1000] [--days 90] [--hourly 100] [--database switchyard_bench_dashboard]
//
// Uses BENCH_ADMIN_URL (any database on a PostgreSQL 15+ server; the bench database is dropped and
// created next to it) or starts the embedded PostgreSQL kept in BENCH_HOME (see postgres.ts).
// At the defaults it writes ~300,000 runs and ~10 million task events; on 2 cores that takes
// several minutes. Never run from tests.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { dailyRunsSql, hourlyRunsSql, queuedRunsSql, servicesSql } from "./generate-sql";
import { auditSql, eventsSql, genTableSql, hostsSql, parametersSql, tasksSql } from "./generate-history-sql";
import { addMonths, ensureHistoryPartitions, monthOf } from "@/lib/db/history/history-partitions";
import { startBenchPostgres } from "./postgres";

const { values: args } = parseArgs({
  options: {
    services: { type: "string", default: "1000" },
    days: { type: "string", default: "90" },
    hourly: { type: "string", default: "100" },
    database: { type: "string", default: "switchyard_bench_dashboard" },
  },
});
const services = Number(args.services);
const days = Number(args.days);
const hourly = Number(args.hourly);
const database = args.database!;
if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`not a database name: ${database}`);

const server = process.env.BENCH_ADMIN_URL ? null : await startBenchPostgres();
const adminUrl = process.env.BENCH_ADMIN_URL ?? server!.url;

async function step(client: pg.Client, label: string, sql: string) {
  const t0 = performance.now();
  const r = await client.query(sql);
  const rows = Array.isArray(r) ? r.reduce((n, x) => n + (x.rowCount ?? 0), 0) : (r.rowCount ?? 0);
  console.log(`${label.padEnd(34)} ${String(rows).padStart(10)} rows  ${((performance.now() - t0) / 1000).toFixed(1).padStart(7)} s`);
}

/** Migrations applied as plain SQL files, in order: the same schema `switchyard migrate` builds. */
async function migrate(client: pg.Client) {
  const dir = path.resolve(import.meta.dirname, "../../prisma/migrations");
  for (const name of fs.readdirSync(dir).filter((d) => /^\d{14}_/.test(d)).sort()) {
    await client.query(fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8"));
  }
}

/** Bulk loads run without the history tables' indexes and foreign keys, rebuilt afterwards exactly as they were. */
async function dropHistoryIndexes(client: pg.Client): Promise<string[]> {
  const defs: string[] = [];
  const fks = await client.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE contype = 'f' AND conrelid::regclass::text IN ('task_events', 'task_parameters')`,
  );
  for (const fk of fks.rows) {
    defs.push(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.def}`);
    await client.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
  }
  const idx = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename IN ('tasks', 'task_events', 'task_parameters')
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  for (const i of idx.rows) {
    // a partitioned table's index is defined ON ONLY the parent: rebuilt ON it, it covers every partition
    defs.unshift(i.def.replace(" ON ONLY ", " ON "));
    await client.query(`DROP INDEX ${i.name}`);
  }
  return defs;
}

const admin = new pg.Client(adminUrl);
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${database}`);
await admin.end();
const url = new URL(adminUrl);
url.pathname = `/${database}`;
const client = new pg.Client(url.toString());
await client.connect();
await client.query("SET synchronous_commit = off; SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'");
const t0 = performance.now();
await migrate(client);
console.log(`generating ${services} services × ${days} days (${hourly} hourly) into ${database}`);
await step(client, "services", servicesSql(services, hourly));
await step(client, "daily runs", dailyRunsSql(days));
await step(client, "hourly runs", hourlyRunsSql(days));
await step(client, "queued runs", queuedRunsSql);
// one partition per month of the history, so nothing lands in the DEFAULT partitions
const history = new pg.Pool({ connectionString: url.toString(), max: 1 });
const first = monthOf(new Date(Date.now() - (days + 2) * 86_400_000));
const months = Array.from({ length: Math.ceil(days / 28) + 6 }, (_, i) => addMonths(first, i)).filter((m) => m <= addMonths(monthOf(new Date()), 2));
console.log(`history partitions: ${(await ensureHistoryPartitions(history, months)).length} created for ${months[0]} to ${months.at(-1)}`);
await history.end();
const rebuild = await dropHistoryIndexes(client);
await step(client, "runs to expand into history", genTableSql);
await step(client, "tasks", tasksSql);
await step(client, "task_parameters", parametersSql);
await step(client, "task_events", eventsSql);
for (const sql of rebuild) await step(client, sql.replace(/^(CREATE (UNIQUE )?INDEX|ALTER TABLE) /, "").slice(0, 34), sql);
await step(client, "drop generator table", "DROP TABLE bench_gen");
await step(client, "hosts, samples, runners", hostsSql);
await step(client, "audit log", auditSql);
await step(client, "vacuum analyze", "VACUUM ANALYZE");
const counts = await client.query(
  `SELECT (SELECT count(*) FROM services) AS services, (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM tasks) AS tasks,
          (SELECT count(*) FROM task_parameters) AS task_parameters, (SELECT count(*) FROM task_events) AS task_events,
          pg_size_pretty(pg_database_size(current_database())) AS size`,
);
console.log(counts.rows[0]);
console.log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${url.toString().replace(/:[^:@/]+@/, ":…@")}`);
await client.end();
await server?.stop();
