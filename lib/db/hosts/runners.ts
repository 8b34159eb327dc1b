import type { Queryable } from "@/lib/db/runs/run-columns";

// Hosts and runners: a runner registers its host and itself on start, heartbeats while alive
// (lost-run detection reads heartbeat_at), and marks itself stopped on a clean shutdown.

/**
 * SQL condition on a runner row `x` that went silent without stopping (kill -9, a crash): a runner
 * was started on the same host after x's last heartbeat — x was restarted (`switchyard start`'s
 * supervisor, systemd), and the newer row speaks for the host (stale itself if it died too). Read
 * only: x is never marked stopped for it, so a runner that was merely stalled and heartbeats again
 * is simply alive. The alert rule runner_stale and the health's runner list leave such rows out.
 * (A runner that crashes over and over leaves each row replaced before it is stale: the rule
 * runner_restarts counts those.)
 */
export const REPLACED_RUNNER_SQL = `EXISTS (SELECT 1 FROM runners y WHERE y.host_id = x.host_id AND y.id <> x.id AND y.started_at > x.heartbeat_at)`;

export type HostInfo = { name: string; cpuCount: number; memoryTotalBytes: number };

export async function registerRunner(db: Queryable, runner: { id: string; pid: number; version: string | null; host: HostInfo }): Promise<number> {
  const result = await db.query(
    `WITH host AS (
       INSERT INTO hosts (name, cpu_count, memory_total_bytes) VALUES ($1, $2, $3)
           ON CONFLICT (name) DO UPDATE SET cpu_count = excluded.cpu_count, memory_total_bytes = excluded.memory_total_bytes, last_seen_at = now()
       RETURNING id
     )
     INSERT INTO runners (id, host_id, pid, version) SELECT $4, id, $5, $6 FROM host RETURNING host_id`,
    [runner.host.name, runner.host.cpuCount, runner.host.memoryTotalBytes, runner.id, runner.pid, runner.version],
  );
  return result.rows[0].host_id as number;
}

export type RunnerControl = { paused: boolean; runnerPaused: boolean; maxRunning: number | null };

/** Heartbeat; answers whether claiming is paused (the whole fleet, or this runner). */
export async function heartbeatRunner(db: Queryable, runnerId: string): Promise<RunnerControl> {
  const result = await db.query(
    `UPDATE runners x SET heartbeat_at = now() FROM runner_control c
      WHERE x.id = $1 AND c.id = 1 AND x.stopped_at IS NULL
      RETURNING c.paused, x.paused AS runner_paused, c.max_running`,
    [runnerId],
  );
  const row = result.rows[0];
  // No row: this runner was marked stopped behind its back; it must not claim.
  if (!row) return { paused: true, runnerPaused: true, maxRunning: null };
  return { paused: row.paused, runnerPaused: row.runner_paused, maxRunning: row.max_running };
}

export async function stopRunner(db: Queryable, runnerId: string): Promise<void> {
  await db.query("UPDATE runners SET stopped_at = now() WHERE id = $1 AND stopped_at IS NULL", [runnerId]);
}
