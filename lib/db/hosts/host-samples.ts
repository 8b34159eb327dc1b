import type { Queryable } from "@/lib/db/runs/run-columns";

// Host samples: one row every few seconds per runner host, kept for a retention window.
// The retention DELETE is served by host_samples_at_idx.

export type HostSample = {
  hostId: number;
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  load1: number;
  load5: number;
  load15: number;
  runningRuns: number;
};

export async function insertHostSample(db: Queryable, s: HostSample): Promise<void> {
  await db.query(
    `WITH seen AS (UPDATE hosts SET last_seen_at = now() WHERE id = $1)
     INSERT INTO host_samples (host_id, cpu_percent, memory_used_bytes, memory_total_bytes, load1, load5, load15, running_runs)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [s.hostId, s.cpuPercent, s.memoryUsedBytes, s.memoryTotalBytes, s.load1, s.load5, s.load15, s.runningRuns],
  );
}

/** Deletes samples older than the retention window; returns how many. */
export async function pruneHostSamples(db: Queryable, retentionSeconds: number): Promise<number> {
  const result = await db.query("DELETE FROM host_samples WHERE at < now() - make_interval(secs => $1::double precision)", [retentionSeconds]);
  return result.rowCount ?? 0;
}
