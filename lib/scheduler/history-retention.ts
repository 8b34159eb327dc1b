import pg from "pg";
import { pruneHistory, retentionCutoff } from "@/lib/db/history/prune-history";
import type { Logger } from "@/lib/log/logger";

// `[task_history] retention_days`: while the scheduler runs, history older than that many days is
// deleted once an hour (and a minute after start). A transaction-scoped advisory lock keeps two
// schedulers on one database (an active one and a standby taking over) from pruning at once.
// Off (0, the default): Luigi's history is kept for ever, as luigid keeps it.

const LOCK = 0x53_57_48_52; // "SWHR"

export type RetentionOptions = { databaseUrl: string; retentionDays: number; intervalSeconds: number; logger: Logger; /** delay of the first pass (a minute after start) */ firstPassMs?: number };

export function startHistoryRetention(opts: RetentionOptions): { stop(): Promise<void> } {
  if (opts.retentionDays <= 0) return { stop: async () => {} };
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 1, application_name: "switchyard-history-retention" });
  pool.on("error", () => {}); // a dropped idle connection: the next pass reconnects
  let running: Promise<void> | null = null;
  const pass = async () => {
    const cutoff = retentionCutoff(opts.retentionDays)!;
    const lock = await pool.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [LOCK]);
    if (!lock.rows[0].ok) return;
    try {
      const t0 = performance.now();
      const result = await pruneHistory(pool, cutoff);
      if (result.events > 0) {
        opts.logger.info(`history retention: removed ${result.events} events, ${result.tasks} tasks older than ${cutoff.toISOString()} in ${Math.round(performance.now() - t0)} ms`);
      }
    } finally {
      await pool.query("SELECT pg_advisory_unlock($1)", [LOCK]).catch(() => {});
    }
  };
  const tick = () => {
    if (running) return;
    running = pass()
      .catch((error: Error) => opts.logger.warn(`history retention pass failed (next try in ${opts.intervalSeconds} s): ${error.message}`))
      .finally(() => (running = null));
  };
  const first = setTimeout(tick, opts.firstPassMs ?? 60_000);
  const timer = setInterval(tick, opts.intervalSeconds * 1000);
  first.unref();
  timer.unref();
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
      await pool.end().catch(() => {});
    },
  };
}
