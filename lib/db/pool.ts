import pg from "pg";
import { POOL_TIMEOUTS } from "@/lib/db/pool-timeouts";

// bigint columns (run ids, byte counts) arrive as strings by default; they fit in a JS number
// for any realistic count, and pages want numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** A pool with POOL_TIMEOUTS (lib/db/pool-timeouts.ts) unless `options` says otherwise. */
export function createPool(url: string, options: Partial<pg.PoolConfig> = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 10, ...POOL_TIMEOUTS, ...options });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on("error", () => {});
  return pool;
}
