import pg from "pg";
import { ensureHistoryPartitions, monthsAhead } from "@/lib/db/history/history-partitions";
import { pruneHistory, retentionCutoff } from "@/lib/db/history/prune-history";
import type { Logger } from "@/lib/log/logger";

// History maintenance, once an hour (retention_interval) and a minute after start. The history is
// partitioned by month (lib/db/history/history-partitions.ts): each pass creates the current month
// and the next two ahead of time, so rows never pile up in the DEFAULT partition, and, with
// `[task_history] retention_days` set, drops the months that ended before the cutoff
// (prune-history.ts). An advisory lock keeps two schedulers on one database (an active one and a
// standby taking over) from doing it at once. Retention off (0, the default): Luigi's history is
// kept for ever, as luigid keeps it.

const LOCK = 0x53_57_48_52; // "SWHR"

export type RetentionOptions = { databaseUrl: string; retentionDays: number; intervalSeconds: number; logger: Logger; /** delay of the first pass (a minute after start) */ firstPassMs?: number };

export function startHistoryRetention(opts: RetentionOptions): { stop(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 1, application_name: "switchyard-history-retention" });
  pool.on("error", () => {}); // a dropped idle connection: the next pass reconnects
  let running: Promise<void> | null = null;
  const pass = async () => {
    const cutoff = retentionCutoff(opts.retentionDays);
    const lock = await pool.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [LOCK]);
    if (!lock.rows[0].ok) return;
    try {
      const created = await ensureHistoryPartitions(pool, monthsAhead(new Date()));
      if (created.length > 0) opts.logger.info(`task history: created partitions ${created.join(", ")}`);
      if (!cutoff) return;
      const t0 = performance.now();
      const result = await pruneHistory(pool, cutoff);
      if (result.months.length + result.strays > 0) {
        const months = result.months.length ? `dropped the months ${result.months.map((m) => m.slice(0, 7)).join(", ")}` : "no month to drop";
        opts.logger.info(`history retention: ${months} (${result.carried} tasks still in use moved on), ${result.strays} stray rows deleted, in ${Math.round(performance.now() - t0)} ms`);
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
