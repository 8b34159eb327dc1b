import type pg from "pg";

// Each worker host's newest CPU and memory sample, for the workers view: one index probe per host
// on host_samples_host_id_at_idx (host_id, at) — the cost is the number of hosts, not of samples.

export type HostNow = { host: string; cpuCount: number; cpuPercent: number; memoryPercent: number | null; load1: number; runningRuns: number; at: string };

const SQL = `
SELECT h.name, h.cpu_count, s.cpu_percent, s.load1, s.running_runs, s.at,
       round((100.0 * s.memory_used_bytes / nullif(s.memory_total_bytes, 0))::numeric, 1)::float8 AS memory_percent
  FROM hosts h
  CROSS JOIN LATERAL (SELECT * FROM host_samples x WHERE x.host_id = h.id ORDER BY x.at DESC LIMIT 1) s
 WHERE h.last_seen_at > now() - interval '1 day'
 ORDER BY h.name`;

type Raw = { name: string; cpu_count: number; cpu_percent: number; memory_percent: number | null; load1: number; running_runs: number; at: Date };

export async function selectLatestHostSamples(pool: pg.Pool): Promise<HostNow[]> {
  const r = await pool.query<Raw>(SQL);
  return r.rows.map((row) => ({
    host: row.name,
    cpuCount: row.cpu_count,
    cpuPercent: row.cpu_percent,
    memoryPercent: row.memory_percent,
    load1: row.load1,
    runningRuns: row.running_runs,
    at: row.at.toISOString(),
  }));
}
