// A PostgreSQL for the dashboard benchmark: the server in BENCH_DATABASE_URL's host, or the
// embedded one kept in its own folder (BENCH_HOME, default /tmp/switchyard-bench-dashboard) so a
// 10-million-event history is generated once and measured many times.
//
//   node --import tsx bench/dashboard/postgres.ts        # starts it and prints the admin URL; Ctrl-C stops it
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { createPool } from "@/lib/db/pool";
import { createLogger } from "@/lib/log/logger";

export const benchHome = process.env.BENCH_HOME ?? path.join(os.tmpdir(), "switchyard-bench-dashboard");
export const benchPort = Number(process.env.BENCH_PG_PORT ?? 55432);

export async function startBenchPostgres() {
  fs.mkdirSync(benchHome, { recursive: true });
  fs.chmodSync(benchHome, 0o755);
  return startEmbeddedPostgres({ home: benchHome, port: benchPort, logger: createLogger("bench-pg", "warn"), database: "postgres" });
}

/** A pool on the generated bench database, and a stop() that also stops a server we started. */
export async function openBenchDatabase(database = process.env.BENCH_DATABASE ?? "switchyard_bench_dashboard") {
  const server = process.env.BENCH_ADMIN_URL ? null : await startBenchPostgres();
  const url = new URL(process.env.BENCH_ADMIN_URL ?? server!.url);
  url.pathname = `/${database}`;
  const pool = createPool(url.toString(), { max: 10 });
  await pool.query("SELECT 1 FROM runs LIMIT 1").catch((error: Error) => {
    throw new Error(`no generated history in ${database} (${error.message}): run bench/dashboard/generate.ts first`);
  });
  return {
    pool,
    url: url.toString(),
    async stop() {
      await pool.end();
      await server?.stop();
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const db = await startBenchPostgres();
  console.log(db.url);
  const stop = async () => {
    await db.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  setInterval(() => {}, 1 << 30);
}
