import type pg from "pg";

// Worker hosts' CPU and memory over a window, averaged into fixed buckets so a day of 10-second
// samples becomes a chart-sized series. Range scan on host_samples_at_idx (at).

export type HostPoint = { at: string; cpuPercent: number; memoryPercent: number; memoryUsedBytes: number; runningRuns: number };
export type HostSeries = { host: string; cpuCount: number; memoryTotalBytes: number; points: HostPoint[] };

const SQL = `
SELECT h.name, h.cpu_count, h.memory_total_bytes,
       json_agg(json_build_array(b.bucket, b.cpu, b.mem_pct, b.mem_used, b.running) ORDER BY b.bucket) AS points
  FROM (SELECT s.host_id,
               date_bin($2::interval, s.at, timestamptz '2000-01-01') AS bucket,
               round(avg(s.cpu_percent)::numeric, 1)::float8 AS cpu,
               round(avg(100.0 * s.memory_used_bytes / nullif(s.memory_total_bytes, 0))::numeric, 1)::float8 AS mem_pct,
               round(avg(s.memory_used_bytes))::float8 AS mem_used,
               max(s.running_runs) AS running
          FROM host_samples s
         WHERE s.at > $3::timestamptz - $1::interval AND s.at <= $3::timestamptz
         GROUP BY s.host_id, bucket) b
  JOIN hosts h ON h.id = b.host_id
 GROUP BY h.id
 ORDER BY h.name`;

type Raw = { name: string; cpu_count: number; memory_total_bytes: number; points: Array<[string, number, number | null, number, number]> };

export async function selectHostSeries(pool: pg.Pool, now: number, window: string, bucket: string): Promise<HostSeries[]> {
  const r = await pool.query<Raw>(SQL, [window, bucket, new Date(now)]);
  return r.rows.map((row) => ({
    host: row.name,
    cpuCount: row.cpu_count,
    memoryTotalBytes: Number(row.memory_total_bytes),
    points: row.points.map(([at, cpu, mem, used, running]) => ({
      at: new Date(at).toISOString(),
      cpuPercent: cpu,
      memoryPercent: mem ?? 0,
      memoryUsedBytes: used,
      runningRuns: running,
    })),
  }));
}
