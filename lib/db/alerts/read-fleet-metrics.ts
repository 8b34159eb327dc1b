import type { Queryable } from "@/lib/db/runs/run-columns";

// The fleet half of /metrics, in one round trip, each part bounded: durations of runs of
// yesterday's and today's periods (runs_grid_idx), SLA-miss incidents (open ones, and those
// opened in the last day through alert_incidents_recent_idx), live runners, and the latest
// sample of each host seen in the last 10 minutes (host_samples_host_id_at_idx).

/** Upper bounds (seconds) of the run duration histogram: 1 min … 8 h. */
export const RUN_DURATION_BUCKETS = [60, 300, 900, 1800, 3600, 7200, 14400, 28800];

export type FleetMetrics = {
  durations: Array<{ kind: string; buckets: number[]; count: number; sum: number }>;
  slaMissesOpen: number;
  slaMissesLastDay: number;
  runners: Array<{ runner: string; host: string; heartbeatAgeSeconds: number; schedulerReachable: boolean | null }>;
  hosts: Array<{ host: string; cpuPercent: number; memoryUsedBytes: number; memoryTotalBytes: number }>;
};

export async function readFleetMetrics(db: Queryable): Promise<FleetMetrics> {
  const r = await db.query<{ m: FleetMetrics }>(
    `WITH d AS (SELECT kind::text, extract(epoch FROM (finished_at - started_at))::float8 AS s FROM runs
                WHERE kind IN ('daily', 'hourly') AND period_date >= current_date - 1
                  AND status IN ('done', 'failed') AND started_at IS NOT NULL AND finished_at IS NOT NULL),
          per AS (SELECT d.kind, b, (count(*) FILTER (WHERE d.s <= b))::int AS n FROM d CROSS JOIN unnest($1::float8[]) b GROUP BY 1, 2)
    SELECT json_build_object(
      'durations', (SELECT coalesce(json_agg(json_build_object('kind', t.kind, 'count', t.n, 'sum', t.total,
                                    'buckets', (SELECT array_agg(per.n ORDER BY per.b) FROM per WHERE per.kind = t.kind))), '[]')
                      FROM (SELECT kind, count(*)::int AS n, sum(s)::float8 AS total FROM d GROUP BY kind) t),
      'slaMissesOpen', (SELECT count(*)::int FROM alert_incidents WHERE rule = 'sla_miss' AND status = 'open'),
      'slaMissesLastDay', (SELECT count(*)::int FROM alert_incidents WHERE rule = 'sla_miss' AND opened_at > now() - interval '1 day'),
      'runners', (SELECT coalesce(json_agg(json_build_object('runner', x.id, 'host', h.name,
                           'heartbeatAgeSeconds', extract(epoch FROM (now() - x.heartbeat_at))::float8,
                           'schedulerReachable', CASE WHEN c.runner_id IS NULL THEN NULL ELSE c.ok_at IS NOT NULL AND c.ok_at >= coalesce(c.error_at, '-infinity') END)), '[]')
                    FROM runners x JOIN hosts h ON h.id = x.host_id LEFT JOIN runner_scheduler_contact c ON c.runner_id = x.id
                   WHERE x.stopped_at IS NULL),
      'hosts', (SELECT coalesce(json_agg(json_build_object('host', h.name, 'cpuPercent', s.cpu_percent,
                         'memoryUsedBytes', s.memory_used_bytes, 'memoryTotalBytes', s.memory_total_bytes)), '[]')
                  FROM hosts h CROSS JOIN LATERAL (SELECT * FROM host_samples s WHERE s.host_id = h.id AND s.at > now() - interval '10 minutes'
                                                    ORDER BY s.at DESC LIMIT 1) s)
    ) AS m`,
    [RUN_DURATION_BUCKETS],
  );
  return r.rows[0].m;
}
